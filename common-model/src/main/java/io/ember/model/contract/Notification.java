package io.ember.model.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

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

  /** A new INFO notification (Cinder's {@code notifier.info}), stamped now with its own id. */
  public static Notification info(String publisherId, String eventType, Object payload) {
    return of(publisherId, eventType, "INFO", payload);
  }

  /** A new ERROR notification (Cinder's {@code notifier.error}), stamped now with its own id. */
  public static Notification error(String publisherId, String eventType, Object payload) {
    return of(publisherId, eventType, "ERROR", payload);
  }

  private static Notification of(
      String publisherId, String eventType, String priority, Object payload) {
    return new Notification(
        UUID.randomUUID().toString(), publisherId, eventType, priority, payload, Instant.now());
  }

  /** The payload's fields by their JSON names. */
  @JsonIgnore
  @SuppressWarnings("unchecked")
  public Map<String, Object> payloadFields() {
    return payload instanceof Map<?, ?> map
        ? (Map<String, Object>) map
        : Json.MAPPER.convertValue(payload, Map.class);
  }
}
