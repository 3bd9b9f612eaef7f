package io.ember.model.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Map;

/**
 * A Cinder-style notification ({@code volume.create.start} ...), with the oslo.messaging envelope
 * fields.
 *
 * @param payload what the event is about: a record (say {@link VolumeUsage}) or a map as the sender
 *     built it, written as one JSON object; a map when read back
 */
public record Notification(
    String messageId,
    String publisherId,
    String eventType,
    String priority,
    Object payload,
    Instant timestamp) {

  /** The payload's fields by their JSON names. */
  @JsonIgnore
  @SuppressWarnings("unchecked")
  public Map<String, Object> payloadFields() {
    return payload instanceof Map<?, ?> map
        ? (Map<String, Object>) map
        : Json.MAPPER.convertValue(payload, Map.class);
  }
}
