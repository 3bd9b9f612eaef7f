package io.ember.volume.inbound;

import io.ember.model.Topics;
import io.ember.model.contract.AcceptTransfer;
import io.ember.model.contract.AdoptMigrationTarget;
import io.ember.model.contract.CompleteMigration;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.CopyVolumeToImage;
import io.ember.model.contract.CreateMigrationTarget;
import io.ember.model.contract.CreateSnapshot;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.DeleteSnapshot;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ExtendVolume;
import io.ember.model.contract.ListManageable;
import io.ember.model.contract.ManageExisting;
import io.ember.model.contract.ManageExistingSnapshot;
import io.ember.model.contract.MigrateVolume;
import io.ember.model.contract.MigrationTargetReady;
import io.ember.model.contract.RetypeVolume;
import io.ember.model.contract.RevertVolume;
import io.ember.model.inbox.Inbox;
import io.ember.model.inbox.InboxLoops;
import io.ember.model.reply.ReplySender;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.manager.AcceptTransferHandler;
import io.ember.volume.manager.ConnectionHandler;
import io.ember.volume.manager.CopyVolumeToImageHandler;
import io.ember.volume.manager.CreateSnapshotHandler;
import io.ember.volume.manager.CreateVolumeHandler;
import io.ember.volume.manager.DeleteSnapshotHandler;
import io.ember.volume.manager.DeleteVolumeHandler;
import io.ember.volume.manager.ExtendVolumeHandler;
import io.ember.volume.manager.ManageHandler;
import io.ember.volume.manager.MigrateVolumeHandler;
import io.ember.volume.manager.MigrationTargetHandler;
import io.ember.volume.manager.RetypeVolumeHandler;
import io.ember.volume.manager.RevertVolumeHandler;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Takes the commands sent to this host and hands each to its handler, once (the inbox drops
 * redeliveries; {@link Inbox#receive} dead-letters what cannot be processed).
 */
@ApplicationScoped
public class VolumeCommandConsumer {

  static final String CONSUMER = "volume.commands";

  @Inject CreateVolumeHandler createVolume;
  @Inject DeleteVolumeHandler deleteVolume;
  @Inject CreateSnapshotHandler createSnapshot;
  @Inject DeleteSnapshotHandler deleteSnapshot;
  @Inject ExtendVolumeHandler extendVolume;
  @Inject RevertVolumeHandler revertVolume;
  @Inject ConnectionHandler connections;
  @Inject MigrateVolumeHandler migrateVolume;
  @Inject MigrationTargetHandler migrationTarget;
  @Inject AcceptTransferHandler acceptTransfer;
  @Inject ReplySender replies;
  @Inject CopyVolumeToImageHandler copyVolumeToImage;
  @Inject RetypeVolumeHandler retypeVolume;
  @Inject ManageHandler manage;
  @Inject BackendVolumes backendVolumes;

  @Inject InboxLoops loops;
  @Inject Topics topics;

  @Inject VolumeHostConfig config;

  /** One loop takes the commands in order: one volume's commands must not overtake each other. */
  void start(@Observes StartupEvent event) {
    String host = config.host();
    // Checked first: the driver's work is outside the transaction and must not run for a
    // redelivered command. The poll's backend records are read in the same round trip.
    loops.start(
        CONSUMER,
        topics.volumeHost(host),
        topics.prefix() + "-volume-" + host,
        backendVolumes.prefetch(),
        this::dispatch);
  }

  private void dispatch(Envelope envelope) {
    switch (envelope.messageType()) {
      case CREATE_VOLUME ->
          createVolume.handle(envelope.context(), envelope.payloadAs(CreateVolume.class));
      case DELETE_VOLUME ->
          deleteVolume.handle(envelope.context(), envelope.payloadAs(DeleteVolume.class));
      case CREATE_SNAPSHOT ->
          createSnapshot.handle(envelope.context(), envelope.payloadAs(CreateSnapshot.class));
      case DELETE_SNAPSHOT ->
          deleteSnapshot.handle(envelope.context(), envelope.payloadAs(DeleteSnapshot.class));
      case EXTEND_VOLUME ->
          extendVolume.handle(envelope.context(), envelope.payloadAs(ExtendVolume.class));
      case REVERT_VOLUME ->
          revertVolume.handle(envelope.context(), envelope.payloadAs(RevertVolume.class));
      // The calls: their handlers answer through the reply address the envelope carries.
      case ATTACHMENT_UPDATE -> connections.connect(envelope, true);
      case INITIALIZE_CONNECTION -> connections.connect(envelope, false);
      case ATTACH_VOLUME -> connections.attach(envelope);
      case ATTACHMENT_DELETE, DETACH_VOLUME -> connections.disconnect(envelope, true);
      case TERMINATE_CONNECTION -> connections.disconnect(envelope, false);
      case MIGRATE_VOLUME ->
          migrateVolume.handle(envelope.context(), envelope.payloadAs(MigrateVolume.class));
      case MIGRATION_TARGET_READY ->
          migrateVolume.targetReady(
              envelope.context(), envelope.payloadAs(MigrationTargetReady.class));
      case CREATE_MIGRATION_TARGET ->
          migrationTarget.create(
              envelope.context(), envelope.payloadAs(CreateMigrationTarget.class));
      case ADOPT_MIGRATION_TARGET ->
          migrationTarget.adopt(envelope.context(), envelope.payloadAs(AdoptMigrationTarget.class));
      case MIGRATE_VOLUME_COMPLETION ->
          replies.answer(
              envelope,
              () ->
                  migrateVolume.completion(
                      envelope.context(), envelope.payloadAs(CompleteMigration.class)));
      case ACCEPT_TRANSFER ->
          replies.answer(
              envelope,
              () ->
                  acceptTransfer.handle(
                      envelope.context(), envelope.payloadAs(AcceptTransfer.class)));
      case COPY_VOLUME_TO_IMAGE ->
          copyVolumeToImage.handle(envelope.context(), envelope.payloadAs(CopyVolumeToImage.class));
      case RETYPE_VOLUME ->
          retypeVolume.handle(envelope.context(), envelope.payloadAs(RetypeVolume.class));
      case UNMANAGE_VOLUME ->
          deleteVolume.unmanage(envelope.context(), envelope.payloadAs(DeleteVolume.class));
      case UNMANAGE_SNAPSHOT ->
          deleteSnapshot.unmanage(envelope.context(), envelope.payloadAs(DeleteSnapshot.class));
      case MANAGE_EXISTING ->
          manage.manageVolume(envelope.context(), envelope.payloadAs(ManageExisting.class));
      case MANAGE_EXISTING_SNAPSHOT ->
          manage.manageSnapshot(
              envelope.context(), envelope.payloadAs(ManageExistingSnapshot.class));
      case LIST_MANAGEABLE ->
          replies.answer(envelope, () -> manage.list(envelope.payloadAs(ListManageable.class)));
      default -> throw new ContractException("volume-service does not handle " + envelope.type());
    }
  }
}
