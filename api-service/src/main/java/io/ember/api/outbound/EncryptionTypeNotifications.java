package io.ember.api.outbound;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.ember.model.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The notifications of the encryption type API ({@code volume_type_encryption.py}), through the
 * outbox of the current transaction, keyed by the type id. Cinder sends them for a create and an
 * update, none for a delete.
 */
@ApplicationScoped
public class EncryptionTypeNotifications {

  private static final String PUBLISHER = "volumeTypeEncryption";

  @Inject Outbox outbox;
  @Inject Topics topics;

  /** {@code volume_type_encryption.create}: the type id and the specs as stored. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void created(RequestContext caller, UUID typeId, Map<String, Object> specs) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("type_id", typeId.toString());
    payload.put("specs", specs);
    publish(caller, typeId, "volume_type_encryption.create", payload);
  }

  /** {@code volume_type_encryption.update}: the type id and the id in the request's path. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void updated(RequestContext caller, UUID typeId, String encryptionId) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("type_id", typeId.toString());
    payload.put("id", encryptionId);
    publish(caller, typeId, "volume_type_encryption.update", payload);
  }

  private void publish(RequestContext caller, UUID typeId, String eventType, Object payload) {
    outbox.send(
        topics.notifications(),
        Envelope.of(
            MessageType.NOTIFICATION,
            typeId.toString(),
            caller,
            Notification.info(PUBLISHER, eventType, payload)));
  }
}
