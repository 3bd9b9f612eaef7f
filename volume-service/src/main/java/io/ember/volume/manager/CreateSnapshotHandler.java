package io.ember.volume.manager;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.contract.CreateSnapshot;
import io.ember.model.contract.SnapshotCreateFailed;
import io.ember.model.contract.SnapshotCreated;
import io.ember.model.contract.SnapshotUsage;
import io.ember.volume.backend.BackendSnapshot;
import io.ember.volume.backend.BackendSnapshots;
import io.ember.volume.backend.BackendVolume;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.capability.CapabilityPublisher;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverSnapshot;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.outbound.HostMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * {@code create_snapshot} of Cinder's volume rpcapi. Runs inside the inbox transaction: the record
 * and the messages commit with the inbox entry. A snapshot already recorded (a command re-sent
 * under a new message id) is announced again rather than taken twice.
 */
@ApplicationScoped
public class CreateSnapshotHandler {

  private static final Logger LOG = Logger.getLogger(CreateSnapshotHandler.class);

  @Inject VolumeDriver driver;
  @Inject BackendVolumes volumes;
  @Inject BackendSnapshots snapshots;
  @Inject HostMessages messages;
  @Inject CapabilityPublisher capabilities;

  @Inject VolumeHostConfig config;

  public void handle(RequestContext context, CreateSnapshot command) {
    OwnPool.require(command.snapshotId(), "create_snapshot without a snapshot id");
    OwnPool.require(command.volumeId(), "create_snapshot without a volume id");
    HostAddress pool = OwnPool.of(command.pool(), config.host());
    BackendSnapshot held = snapshots.find(command.snapshotId()).orElse(null);
    if (held != null) {
      messages.snapshotCreated(
          context,
          new SnapshotCreated(held.snapshotId(), held.volumeId(), held.providerLocation()));
      LOG.infof("snapshot %s already on %s: announced again", held.snapshotId(), held.pool());
      return;
    }
    Instant createdAt = Instant.now();
    messages.notify(
        context, "snapshot.create.start", usage(context, command, "creating", createdAt));
    String location;
    int volumeSize;
    try {
      if (!driver.initialized()) {
        throw new VolumeDriverException("volume driver is not initialized");
      }
      BackendVolume volume = volumes.find(command.volumeId()).orElse(null);
      if (volume == null) {
        throw new VolumeDriverException(
            "Volume " + command.volumeId() + " could not be found on " + config.host() + ".");
      }
      volumeSize = volume.size();
      location =
          driver
              .createSnapshot(
                  new DriverSnapshot(command.snapshotId(), command.volumeId(), volume.size(), null))
              .providerLocation();
    } catch (RuntimeException e) {
      String reason = OwnPool.reason(e);
      messages.snapshotCreateFailed(
          context, new SnapshotCreateFailed(command.snapshotId(), command.volumeId(), reason));
      LOG.warnf(
          "snapshot %s of volume %s failed: %s", command.snapshotId(), command.volumeId(), reason);
      return;
    }
    snapshots.record(
        command.snapshotId(), command.volumeId(), pool.toString(), volumeSize, location);
    messages.snapshotCreated(
        context, new SnapshotCreated(command.snapshotId(), command.volumeId(), location));
    messages.notify(
        context, "snapshot.create.end", usage(context, command, "available", createdAt));
    capabilities.changedAfterCommit();
    LOG.infof(
        "snapshot %s of volume %s taken at %s", command.snapshotId(), command.volumeId(), location);
  }

  private SnapshotUsage usage(
      RequestContext context, CreateSnapshot command, String status, Instant createdAt) {
    return new SnapshotUsage(
        command.projectId(),
        context == null ? null : context.userId(),
        config.availabilityZone(),
        command.volumeId(),
        command.volumeSize(),
        command.snapshotId(),
        command.name(),
        createdAt,
        status,
        "False",
        null);
  }
}
