package io.ember.model.contract;

import java.time.Instant;
import java.util.Map;

/**
 * A Cinder-style notification ({@code volume.create.start} ...), with the oslo.messaging envelope
 * fields.
 */
public record Notification(
    String messageId,
    String publisherId,
    String eventType,
    String priority,
    Map<String, Object> payload,
    Instant timestamp) {}
