package io.ember.model.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A notification as event consumers read it from the notifications topic: a CloudEvent 1.0 in the
 * JSON event format (structured mode), the Cinder usage payload as its {@code data}. Documented in
 * {@code docs/asyncapi.yaml}.
 *
 * @param source who published it: Cinder's {@code publisher_id} ({@code volume.node1@fake}, {@code
 *     volume.api}, {@code scheduler.host1} ...)
 * @param type Cinder's {@code event_type} ({@code volume.create.start} ...)
 * @param subject what it is about: the id of the volume (type, QoS specs; for a snapshot event, its
 *     volume) that also keys the Kafka record
 * @param priority extension: Cinder's priority, {@code INFO} or {@code ERROR}
 * @param requestid extension: the {@code x-openstack-request-id} of the request behind it
 * @param data the payload: a record or map as the sender built it; a map when read back
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
    String specversion,
    String id,
    String source,
    String type,
    Instant time,
    String datacontenttype,
    String subject,
    String priority,
    String requestid,
    Object data) {

  public static final String SPEC_VERSION = "1.0";

  /** The Kafka {@code content-type} of a record in structured mode with the JSON format. */
  public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

  /** The notification an envelope carries, as a CloudEvent; its id stays the notification's. */
  public static CloudEvent of(Envelope envelope) {
    Notification n = envelope.payloadAs(Notification.class);
    return new CloudEvent(
        SPEC_VERSION,
        n.messageId(),
        n.publisherId(),
        n.eventType(),
        n.timestamp(),
        "application/json",
        envelope.key(),
        n.priority(),
        envelope.requestId(),
        n.payload());
  }

  public String toJson() {
    return Json.write(this);
  }

  /** Reads one record value; fails with {@link ContractException} if it is no CloudEvent 1.0. */
  public static CloudEvent fromJson(String json) {
    CloudEvent event = Json.read(json, CloudEvent.class);
    if (!SPEC_VERSION.equals(event.specversion())
        || event.id() == null
        || event.source() == null
        || event.type() == null) {
      throw new ContractException("not a CloudEvent 1.0 (specversion, id, source, type): " + json);
    }
    return event;
  }

  /** The data's fields by their JSON names. */
  @JsonIgnore
  @SuppressWarnings("unchecked")
  public Map<String, Object> dataFields() {
    return data instanceof Map<?, ?> map
        ? (Map<String, Object>) map
        : Json.MAPPER.convertValue(data, Map.class);
  }
}
