package io.ember.api.outbound;

import io.ember.api.snapshot.Snapshot;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.ember.model.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The notifications the API sends about snapshots, through the outbox of the transaction. */
@ApplicationScoped
public class SnapshotNotifications {

  @Inject Outbox outbox;
  @Inject Topics topics;

  /**
   * Cinder's {@code notify_about_snapshot_usage}: {@code snapshot.<suffix>} with the snapshot's
   * usage payload ({@code _usage_from_snapshot}); {@code availabilityZone} is its volume's.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void usage(
      RequestContext caller, Snapshot snapshot, String availabilityZone, String suffix) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("tenant_id", snapshot.projectId);
    payload.put("user_id", snapshot.userId);
    payload.put("availability_zone", availabilityZone);
    payload.put("volume_id", snapshot.volumeId.toString());
    payload.put("volume_size", snapshot.volumeSize);
    payload.put("snapshot_id", snapshot.id.toString());
    payload.put("display_name", snapshot.name);
    payload.put(
        "created_at",
        snapshot.createdAt == null
            ? null
            : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(snapshot.createdAt));
    payload.put("status", snapshot.status);
    payload.put("deleted", "False");
    payload.put("metadata", snapshot.metadata);
    outbox.send(
        topics.notifications(),
        Envelope.of(
            MessageType.NOTIFICATION,
            snapshot.volumeId.toString(),
            caller,
            Notification.info("snapshot.api", "snapshot." + suffix, payload)));
  }
}
