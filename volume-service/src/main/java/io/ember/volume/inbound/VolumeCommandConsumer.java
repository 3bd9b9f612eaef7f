package io.ember.volume.inbound;

import io.ember.model.Topics;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.CopyVolumeToImage;
import io.ember.model.contract.CreateSnapshot;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.DeleteSnapshot;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ExtendVolume;
import io.ember.model.contract.RetypeVolume;
import io.ember.model.contract.RevertVolume;
import io.ember.model.inbox.Inbox;
import io.ember.model.inbox.InboxLoops;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.manager.CopyVolumeToImageHandler;
import io.ember.volume.manager.CreateSnapshotHandler;
import io.ember.volume.manager.CreateVolumeHandler;
import io.ember.volume.manager.DeleteSnapshotHandler;
import io.ember.volume.manager.DeleteVolumeHandler;
import io.ember.volume.manager.ExtendVolumeHandler;
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
  @Inject CopyVolumeToImageHandler copyVolumeToImage;
  @Inject RetypeVolumeHandler retypeVolume;
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
      case COPY_VOLUME_TO_IMAGE ->
          copyVolumeToImage.handle(envelope.context(), envelope.payloadAs(CopyVolumeToImage.class));
      case RETYPE_VOLUME ->
          retypeVolume.handle(envelope.context(), envelope.payloadAs(RetypeVolume.class));
      default -> throw new ContractException("volume-service does not handle " + envelope.type());
    }
  }
}
