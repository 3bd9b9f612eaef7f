package io.ember.api.outbound;

import io.ember.api.volume.Volume;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.ember.model.contract.VolumeUsage;
import io.ember.model.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** The notifications the API sends about volumes, through the outbox of the current transaction. */
@ApplicationScoped
public class VolumeNotifications {

  @Inject Outbox outbox;
  @Inject Topics topics;

  /** Cinder's {@code notify_about_volume_usage}: the volume's usage payload. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void usage(RequestContext caller, Volume volume, String eventType) {
    VolumeUsage usage =
        new VolumeUsage(
            volume.projectId,
            volume.userId,
            volume.host,
            volume.availabilityZone,
            volume.id.toString(),
            volume.volumeTypeId == null ? null : volume.volumeTypeId.toString(),
            volume.name,
            volume.createdAt.toInstant(ZoneOffset.UTC),
            volume.launchedAt == null ? null : volume.launchedAt.toInstant(ZoneOffset.UTC),
            volume.status,
            volume.snapshotId == null ? null : volume.snapshotId.toString(),
            volume.size,
            "disabled",
            volume.metadata,
            volume.sourceVolid == null ? null : volume.sourceVolid.toString(),
            volume.imageId,
            null);
    usage = usage.withGlanceMetadata(volume.imageMetadata);
    publish(caller, volume, "volume.api", eventType, usage);
  }

  /** Cinder's {@code volumeStatusUpdate} notification: the volume id and what was set. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void statusUpdate(
      RequestContext caller, Volume volume, Map<String, Object> update, String eventType) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", volume.id.toString());
    payload.put("update", update);
    publish(caller, volume, "volumeStatusUpdate", eventType, payload);
  }

  /** An INFO notification about the volume. */
  private void publish(
      RequestContext caller, Volume volume, String publisherId, String eventType, Object payload) {
    outbox.send(
        topics.notifications(),
        Envelope.of(
            MessageType.NOTIFICATION,
            volume.id.toString(),
            caller,
            Notification.info(publisherId, eventType, payload)));
  }
}
