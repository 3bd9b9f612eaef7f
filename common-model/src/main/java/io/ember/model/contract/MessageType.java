package io.ember.model.contract;

import java.util.Arrays;

/** The kinds of message on Ember's topics, with the payload contract each one carries. */
public enum MessageType {
  /** api → scheduler (and volume → scheduler on reschedule): place a new volume. */
  SCHEDULE_VOLUME("schedule_volume", ScheduleVolume.class),
  /** scheduler → volume host: create the volume on the chosen pool. */
  CREATE_VOLUME("create_volume", CreateVolume.class),
  /** api → volume host: delete a placed volume. */
  DELETE_VOLUME("delete_volume", DeleteVolume.class),
  /** volume host → api. */
  VOLUME_CREATED("volume.created", VolumeCreated.class),
  /** volume host → api: an image is being copied into the new volume. */
  VOLUME_DOWNLOADING("volume.downloading", VolumeDownloading.class),
  /** scheduler or volume host → api: the volume could not be created. */
  VOLUME_CREATE_FAILED("volume.create_failed", VolumeCreateFailed.class),
  /** volume host → api. */
  VOLUME_DELETED("volume.deleted", VolumeDeleted.class),
  /** volume host → api. */
  VOLUME_DELETE_FAILED("volume.delete_failed", VolumeDeleteFailed.class),
  /** api → volume host: take a snapshot of a placed volume. */
  CREATE_SNAPSHOT("create_snapshot", CreateSnapshot.class),
  /** api → volume host. */
  DELETE_SNAPSHOT("delete_snapshot", DeleteSnapshot.class),
  /** api → scheduler: may the volume's pool hold it at its new size? */
  SCHEDULE_EXTEND("schedule_extend", ScheduleExtend.class),
  /** scheduler → volume host: grow a placed volume. */
  EXTEND_VOLUME("extend_volume", ExtendVolume.class),
  /** api → volume host: revert a volume to its latest snapshot. */
  REVERT_VOLUME("revert_to_snapshot", RevertVolume.class),
  /** api → volume host, a call: give a volume to another project; replied TransferAccepted. */
  ACCEPT_TRANSFER("accept_transfer", AcceptTransfer.class),
  /** volume host → api. */
  SNAPSHOT_CREATED("snapshot.created", SnapshotCreated.class),
  /** volume host → api. */
  SNAPSHOT_CREATE_FAILED("snapshot.create_failed", SnapshotCreateFailed.class),
  /** volume host → api. */
  SNAPSHOT_DELETED("snapshot.deleted", SnapshotDeleted.class),
  /** volume host → api. */
  SNAPSHOT_DELETE_FAILED("snapshot.delete_failed", SnapshotDeleteFailed.class),
  /** volume host → api. */
  VOLUME_EXTENDED("volume.extended", VolumeExtended.class),
  /** scheduler or volume host → api. */
  VOLUME_EXTEND_FAILED("volume.extend_failed", VolumeExtendFailed.class),
  /** volume host → api. */
  VOLUME_REVERTED("volume.reverted", VolumeReverted.class),
  /** volume host → api. */
  VOLUME_REVERT_FAILED("volume.revert_failed", VolumeRevertFailed.class),
  /** api → volume host, a call: open a connection for an attachment (reply: ConnectionInfo). */
  ATTACHMENT_UPDATE("attachment_update", ConnectVolume.class),
  /** api → volume host, a call: open a connection, legacy (reply: ConnectionInfo). */
  INITIALIZE_CONNECTION("initialize_connection", ConnectVolume.class),
  /** api → volume host, a call: the legacy attach. */
  ATTACH_VOLUME("attach_volume", AttachVolume.class),
  /** api → volume host, a call: terminate an attachment's connection and detach it. */
  ATTACHMENT_DELETE("attachment_delete", DisconnectVolume.class),
  /** api → volume host, a call: terminate a connection, legacy. */
  TERMINATE_CONNECTION("terminate_connection", DisconnectVolume.class),
  /** api → volume host, a call: the legacy detach. */
  DETACH_VOLUME("detach_volume", DisconnectVolume.class),
  /** volume host → the waiting api process's reply topic: the answer to a call. */
  REPLY("reply", io.ember.model.reply.Reply.class),
  /** api → scheduler: check a migration's destination and pass it to the volume's host. */
  MIGRATE_VOLUME_TO_HOST("migrate_volume_to_host", MigrateVolumeToHost.class),
  /** scheduler → the volume's host: move the volume to another pool. */
  MIGRATE_VOLUME("migrate_volume", MigrateVolume.class),
  /** source host → destination host: create a generic migration's target volume. */
  CREATE_MIGRATION_TARGET("create_migration_target", CreateMigrationTarget.class),
  /** destination host → source host: the target and its data channel are ready (or failed). */
  MIGRATION_TARGET_READY("migration_target_ready", MigrationTargetReady.class),
  /** source host → destination host: the copy is done; the target becomes the volume. */
  ADOPT_MIGRATION_TARGET("adopt_migration_target", AdoptMigrationTarget.class),
  /** api → the volume's host, a call: a migration's new volume becomes the volume; no result. */
  MIGRATE_VOLUME_COMPLETION("migrate_volume_completion", CompleteMigration.class),
  /** volume host → api. */
  VOLUME_MIGRATION_STATUS("volume.migration_status", VolumeMigrationStatus.class),
  /** volume host → api. */
  VOLUME_MIGRATED("volume.migrated", VolumeMigrated.class),
  /** scheduler or volume host → api. */
  VOLUME_MIGRATE_FAILED("volume.migrate_failed", VolumeMigrateFailed.class),
  /** api → volume host: copy a placed volume's bytes into an image. */
  COPY_VOLUME_TO_IMAGE("copy_volume_to_image", CopyVolumeToImage.class),
  /** volume host → api. */
  VOLUME_UPLOADED("volume.uploaded", VolumeUploaded.class),
  /** volume host → api. */
  VOLUME_UPLOAD_FAILED("volume.upload_failed", VolumeUploadFailed.class),
  /** api → scheduler: check the volume's backend against its new type. */
  SCHEDULE_RETYPE("schedule_retype", ScheduleRetype.class),
  /** scheduler → volume host: change a volume's type in place. */
  RETYPE_VOLUME("retype", RetypeVolume.class),
  /** volume host → api. */
  VOLUME_RETYPED("volume.retyped", VolumeRetyped.class),
  /** scheduler or volume host → api. */
  VOLUME_RETYPE_FAILED("volume.retype_failed", VolumeRetypeFailed.class),
  /** api → scheduler: place a new generic volume group. */
  SCHEDULE_GROUP("schedule_group", ScheduleGroup.class),
  /** scheduler → api: the group is placed. */
  GROUP_CREATED("group.created", GroupCreated.class),
  /** scheduler → api: no pool suits the group. */
  GROUP_CREATE_FAILED("group.create_failed", GroupCreateFailed.class),
  /** volume host → everyone (compacted topic, keyed by pool). */
  CAPABILITIES("capabilities", CapabilityReport.class),
  /** scheduler → api (compacted services topic): the scheduler is alive. */
  SERVICE_HEARTBEAT("service.heartbeat", ServiceHeartbeat.class),
  /** api → scheduler (compacted services topic, through the outbox): a service enabled or not. */
  SERVICE_STATUS("service.status", ServiceStatus.class),
  /** api → volume host: forget a volume but keep its bytes on the backend ({@code unmanage}). */
  UNMANAGE_VOLUME("unmanage_volume", DeleteVolume.class),
  /** api → volume host: forget a snapshot but keep its bytes on the backend. */
  UNMANAGE_SNAPSHOT("unmanage_snapshot", DeleteSnapshot.class),
  /** api → scheduler: check the named host for a volume to manage and pass it on. */
  SCHEDULE_MANAGE_EXISTING("schedule_manage_existing", ManageExisting.class),
  /** scheduler → volume host: adopt a backend object as a new volume. */
  MANAGE_EXISTING("manage_existing", ManageExisting.class),
  /** volume host → api. */
  VOLUME_MANAGED("volume.managed", VolumeManaged.class),
  /** scheduler or volume host → api. */
  VOLUME_MANAGE_FAILED("volume.manage_failed", VolumeManageFailed.class),
  /** api → volume host: adopt a backend snapshot (answered snapshot.created / create_failed). */
  MANAGE_EXISTING_SNAPSHOT("manage_existing_snapshot", ManageExistingSnapshot.class),
  /** api → volume host, a call: the backend objects it could manage (reply: ManageableList). */
  LIST_MANAGEABLE("get_manageable", ListManageable.class),
  /** any service → notification consumers. */
  NOTIFICATION("notification", Notification.class);

  private final String wire;
  private final Class<?> contract;

  MessageType(String wire, Class<?> contract) {
    this.wire = wire;
    this.contract = contract;
  }

  public String wire() {
    return wire;
  }

  public Class<?> contract() {
    return contract;
  }

  public static MessageType fromWire(String value) {
    return Arrays.stream(values())
        .filter(t -> t.wire.equals(value))
        .findFirst()
        .orElseThrow(() -> new ContractException("unknown message type: " + value));
  }
}
