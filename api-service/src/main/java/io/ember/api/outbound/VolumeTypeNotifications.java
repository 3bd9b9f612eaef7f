package io.ember.api.outbound;

import io.ember.api.type.VolumeType;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.ember.model.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The notifications of the type management API ({@code types_manage.py}, {@code
 * types_extra_specs.py}), through the outbox of the current transaction, keyed by the type id.
 */
@ApplicationScoped
public class VolumeTypeNotifications {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  @Inject Outbox outbox;
  @Inject Topics topics;

  /** {@code volume_type.create/update/delete}: {@code {"volume_types": <the type>}}. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void type(RequestContext caller, VolumeType type, String eventType, boolean deleted) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("volume_types", asRecord(type, deleted));
    publish(caller, type, "volumeType", eventType, payload);
  }

  /** {@code volume_type_extra_specs.create}: the type id and the specs set. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void specsCreated(RequestContext caller, VolumeType type, Map<String, String> specs) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("type_id", type.id.toString());
    payload.put("specs", specs);
    payload.put("created_at", time(type.createdAt));
    payload.put("updated_at", time(type.updatedAt));
    publish(caller, type, "volumeTypeExtraSpecs", "volume_type_extra_specs.create", payload);
  }

  /** {@code volume_type_extra_specs.update/delete}: the type id and the key ({@code id}). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void specChanged(RequestContext caller, VolumeType type, String key, String eventType) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("type_id", type.id.toString());
    payload.put("id", key);
    payload.put("created_at", time(type.createdAt));
    payload.put("updated_at", time(type.updatedAt));
    if (eventType.endsWith(".delete")) {
      payload.put("deleted_at", null);
    }
    publish(caller, type, "volumeTypeExtraSpecs", eventType, payload);
  }

  /** The type as Cinder's {@code volume_types.get_volume_type} returns it. */
  private static Map<String, Object> asRecord(VolumeType type, boolean deleted) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("created_at", time(type.createdAt));
    record.put("updated_at", time(type.updatedAt));
    record.put("deleted_at", null);
    record.put("deleted", deleted);
    record.put("id", type.id.toString());
    record.put("name", type.name);
    record.put("description", type.description);
    record.put("is_public", type.isPublic);
    record.put("qos_specs_id", type.qosSpecsId == null ? null : type.qosSpecsId.toString());
    record.put("extra_specs", new TreeMap<>(type.extraSpecs));
    return record;
  }

  private void publish(
      RequestContext caller,
      VolumeType type,
      String publisherId,
      String eventType,
      Object payload) {
    outbox.send(
        topics.notifications(),
        Envelope.of(
            MessageType.NOTIFICATION,
            type.id.toString(),
            caller,
            Notification.info(publisherId, eventType, payload)));
  }

  private static String time(LocalDateTime t) {
    return t == null ? null : TIME.format(t);
  }
}
