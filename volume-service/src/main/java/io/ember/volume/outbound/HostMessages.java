package io.ember.volume.outbound;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.AdoptMigrationTarget;
import io.ember.model.contract.CreateMigrationTarget;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.MigrationTargetReady;
import io.ember.model.contract.Notification;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.SnapshotCreateFailed;
import io.ember.model.contract.SnapshotCreated;
import io.ember.model.contract.SnapshotDeleteFailed;
import io.ember.model.contract.SnapshotDeleted;
import io.ember.model.contract.SnapshotUsage;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeCreated;
import io.ember.model.contract.VolumeDeleteFailed;
import io.ember.model.contract.VolumeDeleted;
import io.ember.model.contract.VolumeDownloading;
import io.ember.model.contract.VolumeExtendFailed;
import io.ember.model.contract.VolumeExtended;
import io.ember.model.contract.VolumeManageFailed;
import io.ember.model.contract.VolumeManaged;
import io.ember.model.contract.VolumeMigrateFailed;
import io.ember.model.contract.VolumeMigrated;
import io.ember.model.contract.VolumeMigrationStatus;
import io.ember.model.contract.VolumeRetypeFailed;
import io.ember.model.contract.VolumeRetyped;
import io.ember.model.contract.VolumeRevertFailed;
import io.ember.model.contract.VolumeReverted;
import io.ember.model.contract.VolumeUploadFailed;
import io.ember.model.contract.VolumeUploaded;
import io.ember.model.contract.VolumeUsage;
import io.ember.model.outbox.Outbox;
import io.ember.volume.config.VolumeHostConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

/**
 * Everything this host tells the others about a volume, written to the {@link Outbox} so it leaves
 * only if the caller's transaction commits. Every message is keyed by the volume id.
 */
@Singleton
public class HostMessages {

  private final Outbox outbox;
  private final Topics topics;
  private final String publisherId;
  private final String snapshotPublisherId;

  @Inject
  HostMessages(Outbox outbox, Topics topics, VolumeHostConfig config) {
    this(outbox, topics, config.host());
  }

  /** For tests: the messages {@code host} would send, to {@code outbox}. */
  public HostMessages(Outbox outbox, Topics topics, String host) {
    this.outbox = outbox;
    this.topics = topics;
    this.publisherId = "volume." + host;
    this.snapshotPublisherId = "snapshot." + host;
  }

  public void volumeCreated(RequestContext context, VolumeCreated event) {
    send(topics.volumeEvents(), MessageType.VOLUME_CREATED, event.volumeId(), context, event);
  }

  /**
   * Sent at once, in a transaction of its own: the create's transaction commits only after the
   * copy, and the volume is to show {@code downloading} while it runs. Should the create then roll
   * back, its redelivery ends the volume either way.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void volumeDownloading(RequestContext context, VolumeDownloading event) {
    send(topics.volumeEvents(), MessageType.VOLUME_DOWNLOADING, event.volumeId(), context, event);
  }

  public void volumeCreateFailed(RequestContext context, VolumeCreateFailed event) {
    send(topics.volumeEvents(), MessageType.VOLUME_CREATE_FAILED, event.volumeId(), context, event);
  }

  public void volumeManaged(RequestContext context, VolumeManaged event) {
    send(topics.volumeEvents(), MessageType.VOLUME_MANAGED, event.volumeId(), context, event);
  }

  public void volumeManageFailed(RequestContext context, VolumeManageFailed event) {
    send(topics.volumeEvents(), MessageType.VOLUME_MANAGE_FAILED, event.volumeId(), context, event);
  }

  public void volumeDeleted(RequestContext context, VolumeDeleted event) {
    send(topics.volumeEvents(), MessageType.VOLUME_DELETED, event.volumeId(), context, event);
  }

  public void volumeDeleteFailed(RequestContext context, VolumeDeleteFailed event) {
    send(topics.volumeEvents(), MessageType.VOLUME_DELETE_FAILED, event.volumeId(), context, event);
  }

  public void snapshotCreated(RequestContext context, SnapshotCreated event) {
    send(topics.volumeEvents(), MessageType.SNAPSHOT_CREATED, event.volumeId(), context, event);
  }

  public void snapshotCreateFailed(RequestContext context, SnapshotCreateFailed event) {
    send(
        topics.volumeEvents(),
        MessageType.SNAPSHOT_CREATE_FAILED,
        event.volumeId(),
        context,
        event);
  }

  public void snapshotDeleted(RequestContext context, SnapshotDeleted event) {
    send(topics.volumeEvents(), MessageType.SNAPSHOT_DELETED, event.volumeId(), context, event);
  }

  public void snapshotDeleteFailed(RequestContext context, SnapshotDeleteFailed event) {
    send(
        topics.volumeEvents(),
        MessageType.SNAPSHOT_DELETE_FAILED,
        event.volumeId(),
        context,
        event);
  }

  public void volumeExtended(RequestContext context, VolumeExtended event) {
    send(topics.volumeEvents(), MessageType.VOLUME_EXTENDED, event.volumeId(), context, event);
  }

  public void volumeExtendFailed(RequestContext context, VolumeExtendFailed event) {
    send(topics.volumeEvents(), MessageType.VOLUME_EXTEND_FAILED, event.volumeId(), context, event);
  }

  public void volumeReverted(RequestContext context, VolumeReverted event) {
    send(topics.volumeEvents(), MessageType.VOLUME_REVERTED, event.volumeId(), context, event);
  }

  public void volumeRevertFailed(RequestContext context, VolumeRevertFailed event) {
    send(topics.volumeEvents(), MessageType.VOLUME_REVERT_FAILED, event.volumeId(), context, event);
  }

  public void volumeMigrationStatus(RequestContext context, VolumeMigrationStatus event) {
    send(
        topics.volumeEvents(),
        MessageType.VOLUME_MIGRATION_STATUS,
        event.volumeId(),
        context,
        event);
  }

  public void volumeMigrated(RequestContext context, VolumeMigrated event) {
    send(topics.volumeEvents(), MessageType.VOLUME_MIGRATED, event.volumeId(), context, event);
  }

  public void volumeMigrateFailed(RequestContext context, VolumeMigrateFailed event) {
    send(
        topics.volumeEvents(), MessageType.VOLUME_MIGRATE_FAILED, event.volumeId(), context, event);
  }

  /** To the destination host: create the target of a copying migration. */
  public void createMigrationTarget(RequestContext context, CreateMigrationTarget command) {
    send(
        topics.volumeHost(HostAddress.parse(command.destPool()).backendHost()),
        MessageType.CREATE_MIGRATION_TARGET,
        command.volumeId(),
        context,
        command);
  }

  /** To the source host: the target is ready for its bytes (or could not be made). */
  public void migrationTargetReady(
      RequestContext context, String sourceHost, MigrationTargetReady answer) {
    send(
        topics.volumeHost(sourceHost),
        MessageType.MIGRATION_TARGET_READY,
        answer.volumeId(),
        context,
        answer);
  }

  /** To the destination host: the copy is complete, the target becomes the volume. */
  public void adoptMigrationTarget(RequestContext context, AdoptMigrationTarget command) {
    send(
        topics.volumeHost(HostAddress.parse(command.destPool()).backendHost()),
        MessageType.ADOPT_MIGRATION_TARGET,
        command.volumeId(),
        context,
        command);
  }

  /**
   * To the destination host: delete a failed migration's target (keyed by the volume, as every
   * message of its migration).
   */
  public void deleteMigrationTarget(RequestContext context, String volumeId, DeleteVolume target) {
    send(
        topics.volumeHost(HostAddress.parse(target.pool()).backendHost()),
        MessageType.DELETE_VOLUME,
        volumeId,
        context,
        target);
  }

  public void volumeUploaded(RequestContext context, VolumeUploaded event) {
    send(topics.volumeEvents(), MessageType.VOLUME_UPLOADED, event.volumeId(), context, event);
  }

  public void volumeUploadFailed(RequestContext context, VolumeUploadFailed event) {
    send(topics.volumeEvents(), MessageType.VOLUME_UPLOAD_FAILED, event.volumeId(), context, event);
  }

  public void volumeRetyped(RequestContext context, VolumeRetyped event) {
    send(topics.volumeEvents(), MessageType.VOLUME_RETYPED, event.volumeId(), context, event);
  }

  public void volumeRetypeFailed(RequestContext context, VolumeRetypeFailed event) {
    send(topics.volumeEvents(), MessageType.VOLUME_RETYPE_FAILED, event.volumeId(), context, event);
  }

  /** Sends the volume back to the scheduler for another backend. */
  public void reschedule(RequestContext context, ScheduleVolume request) {
    send(
        topics.schedulerRequests(),
        MessageType.SCHEDULE_VOLUME,
        request.volume().volumeId(),
        context,
        request);
  }

  /** A Cinder-style INFO notification, e.g. {@code volume.create.start}. */
  public void notify(RequestContext context, String eventType, VolumeUsage usage) {
    send(
        topics.notifications(),
        MessageType.NOTIFICATION,
        usage.volumeId(),
        context,
        Notification.info(publisherId, eventType, usage));
  }

  /**
   * A Cinder-style INFO notification about a snapshot, e.g. {@code snapshot.create.end}, published
   * as {@code snapshot.<host>} as Cinder's are; keyed by the snapshot's volume.
   */
  public void notify(RequestContext context, String eventType, SnapshotUsage usage) {
    send(
        topics.notifications(),
        MessageType.NOTIFICATION,
        usage.volumeId(),
        context,
        Notification.info(snapshotPublisherId, eventType, usage));
  }

  private void send(
      String topic, MessageType type, String key, RequestContext context, Object payload) {
    outbox.send(topic, Envelope.of(type, key, context, payload));
  }
}
