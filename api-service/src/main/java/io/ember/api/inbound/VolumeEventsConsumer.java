package io.ember.api.inbound;

import io.ember.api.config.ApiConfig;
import io.ember.api.group.GroupService;
import io.ember.api.group.GroupSnapshotService;
import io.ember.api.snapshot.SnapshotEvents;
import io.ember.api.volumeops.ImageUploads;
import io.ember.api.volumeops.Retypes;
import io.ember.api.volumeops.VolumeEvents;
import io.ember.api.volumeops.VolumeManage;
import io.ember.api.volumeops.VolumeMigrations;
import io.ember.model.Topics;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.GroupCreateFailed;
import io.ember.model.contract.GroupCreated;
import io.ember.model.contract.SnapshotCreateFailed;
import io.ember.model.contract.SnapshotCreated;
import io.ember.model.contract.SnapshotDeleteFailed;
import io.ember.model.contract.SnapshotDeleted;
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
import io.ember.model.inbox.Inbox;
import io.ember.model.inbox.Inbox.DuplicateCheck;
import io.ember.model.inbox.InboxLoops;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Applies what the scheduler and the volume hosts report to the API's records. */
@ApplicationScoped
public class VolumeEventsConsumer {

  static final String CONSUMER = "api.volume-events";

  @Inject VolumeEvents events;
  @Inject SnapshotEvents snapshotEvents;
  @Inject VolumeMigrations migrations;
  @Inject ImageUploads uploads;
  @Inject Retypes retypes;
  @Inject GroupService groups;
  @Inject GroupSnapshotService groupSnapshots;

  @Inject VolumeManage manage;
  @Inject InboxLoops loops;
  @Inject Topics topics;
  @Inject ApiConfig config;

  /** Sees each poll whole first ({@link #applyAhead}), then each event ({@link #apply}). */
  private final Inbox.PollHandler handler =
      new Inbox.PollHandler() {
        @Override
        public void begin(List<Envelope> firstDeliveries) {
          applyAhead(firstDeliveries);
        }

        @Override
        public void accept(Envelope envelope) {
          apply(envelope);
        }
      };

  void start(@Observes StartupEvent event) {
    // Every effect is a row of this transaction: the ids are checked as it commits.
    loops.start(
        CONSUMER,
        topics.volumeEvents(),
        config.api().consumerGroup(),
        DuplicateCheck.AT_COMMIT,
        handler);
  }

  /**
   * The poll's {@code volume.created} and {@code volume.deleted} events, each about a volume no
   * other event of the poll is about, applied together; worth it from two on. A message that cannot
   * be read is left to its own handling, which dead-letters it.
   */
  private void applyAhead(List<Envelope> poll) {
    Map<String, Integer> eventsPerVolume = new HashMap<>();
    List<Object> payloads = new ArrayList<>();
    for (Envelope envelope : poll) {
      Object payload = readAheadOf(envelope);
      payloads.add(payload);
      eventsPerVolume.merge(volumeOf(payload, envelope), 1, Integer::sum);
    }
    List<VolumeCreated> created = new ArrayList<>();
    List<VolumeDeleted> deleted = new ArrayList<>();
    for (int i = 0; i < poll.size(); i++) {
      Object payload = payloads.get(i);
      if (eventsPerVolume.get(volumeOf(payload, poll.get(i))) == 1) {
        if (payload instanceof VolumeCreated c) {
          created.add(c);
        } else if (payload instanceof VolumeDeleted d) {
          deleted.add(d);
        }
      }
    }
    if (created.size() + deleted.size() > 1) {
      events.applyAhead(created, deleted);
    }
  }

  /** The payload of a {@code volume.created} or {@code volume.deleted} event, else the envelope. */
  private static Object readAheadOf(Envelope envelope) {
    try {
      return switch (envelope.messageType()) {
        case VOLUME_CREATED -> envelope.payloadAs(VolumeCreated.class);
        case VOLUME_DELETED -> envelope.payloadAs(VolumeDeleted.class);
        default -> envelope;
      };
    } catch (ContractException unreadable) {
      return envelope;
    }
  }

  /** The volume an event is about: its payload's, else its key (the volume id by contract). */
  private static String volumeOf(Object payload, Envelope envelope) {
    String id =
        payload instanceof VolumeCreated c
            ? c.volumeId()
            : payload instanceof VolumeDeleted d ? d.volumeId() : envelope.key();
    return String.valueOf(id);
  }

  private void apply(Envelope envelope) {
    switch (envelope.messageType()) {
      case VOLUME_CREATED -> {
        VolumeCreated created = envelope.payloadAs(VolumeCreated.class);
        if (events.created(envelope.context(), created)) {
          groups.memberSettled(envelope.context(), created.volumeId());
        }
      }
      case VOLUME_CREATE_FAILED -> {
        VolumeCreateFailed failed = envelope.payloadAs(VolumeCreateFailed.class);
        events.createFailed(failed);
        groups.memberSettled(envelope.context(), failed.volumeId());
      }
      case VOLUME_DELETED -> {
        UUID group = events.deleted(envelope.payloadAs(VolumeDeleted.class));
        if (group != null) {
          groups.memberGone(envelope.context(), group);
        }
      }
      case GROUP_CREATED ->
          groups.created(envelope.context(), envelope.payloadAs(GroupCreated.class));
      case GROUP_CREATE_FAILED -> groups.createFailed(envelope.payloadAs(GroupCreateFailed.class));
      case VOLUME_DELETE_FAILED ->
          events.deleteFailed(envelope.payloadAs(VolumeDeleteFailed.class));
      case SNAPSHOT_CREATED -> {
        SnapshotCreated created = envelope.payloadAs(SnapshotCreated.class);
        snapshotEvents.created(created);
        groupSnapshots.snapshotSettled(envelope.context(), created.snapshotId());
      }
      case SNAPSHOT_CREATE_FAILED -> {
        SnapshotCreateFailed failed = envelope.payloadAs(SnapshotCreateFailed.class);
        snapshotEvents.createFailed(failed);
        groupSnapshots.snapshotSettled(envelope.context(), failed.snapshotId());
      }
      case SNAPSHOT_DELETED -> {
        snapshotEvents.deleted(envelope.payloadAs(SnapshotDeleted.class));
        groupSnapshots.snapshotGone(envelope.context());
      }
      case SNAPSHOT_DELETE_FAILED ->
          snapshotEvents.deleteFailed(envelope.payloadAs(SnapshotDeleteFailed.class));
      case VOLUME_REVERTED -> snapshotEvents.reverted(envelope.payloadAs(VolumeReverted.class));
      case VOLUME_REVERT_FAILED ->
          snapshotEvents.revertFailed(envelope.payloadAs(VolumeRevertFailed.class));
      case VOLUME_DOWNLOADING -> events.downloading(envelope.payloadAs(VolumeDownloading.class));
      case VOLUME_EXTENDED -> events.extended(envelope.payloadAs(VolumeExtended.class));
      case VOLUME_EXTEND_FAILED ->
          events.extendFailed(envelope.payloadAs(VolumeExtendFailed.class));
      case VOLUME_MIGRATION_STATUS ->
          migrations.statusChanged(envelope.payloadAs(VolumeMigrationStatus.class));
      case VOLUME_MIGRATED ->
          migrations.migrated(envelope.context(), envelope.payloadAs(VolumeMigrated.class));
      case VOLUME_MIGRATE_FAILED ->
          migrations.failed(envelope.context(), envelope.payloadAs(VolumeMigrateFailed.class));
      case VOLUME_UPLOADED -> uploads.uploaded(envelope.payloadAs(VolumeUploaded.class));
      case VOLUME_UPLOAD_FAILED ->
          uploads.uploadFailed(envelope.payloadAs(VolumeUploadFailed.class));
      case VOLUME_RETYPED ->
          retypes.retyped(envelope.context(), envelope.payloadAs(VolumeRetyped.class));
      case VOLUME_RETYPE_FAILED ->
          retypes.retypeFailed(envelope.payloadAs(VolumeRetypeFailed.class));
      case VOLUME_MANAGED -> manage.managed(envelope.payloadAs(VolumeManaged.class));
      case VOLUME_MANAGE_FAILED ->
          manage.manageFailed(envelope.payloadAs(VolumeManageFailed.class));
      default ->
          throw new ContractException(
              "unexpected " + envelope.type() + " on the volume events topic");
    }
  }
}
