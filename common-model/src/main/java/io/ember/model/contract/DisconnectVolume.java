package io.ember.model.contract;

import java.util.Map;

/**
 * api → volume host, a call: close a volume's connection, Cinder's {@code attachment_delete}
 * (terminate and detach), {@code terminate_connection} or {@code detach_volume} (legacy). The reply
 * has no result.
 *
 * @param attachmentId the attachment ended, or null ({@code terminate_connection})
 * @param connector the connector whose connection ends, or null (every connection of the
 *     attachment)
 * @param force {@code terminate_connection}'s {@code force}: end it even if the backend objects
 */
public record DisconnectVolume(
    String volumeId,
    String projectId,
    String pool,
    String attachmentId,
    Map<String, Object> connector,
    boolean force) {}
