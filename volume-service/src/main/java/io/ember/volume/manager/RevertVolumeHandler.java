package io.ember.volume.manager;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.RevertVolume;
import io.ember.model.contract.SnapshotUsage;
import io.ember.model.contract.VolumeRevertFailed;
import io.ember.model.contract.VolumeReverted;
import io.ember.model.contract.VolumeUsage;
import io.ember.volume.backend.BackendSnapshot;
import io.ember.volume.backend.BackendSnapshots;
import io.ember.volume.backend.BackendVolume;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverSnapshot;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.outbound.HostMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * {@code revert_to_snapshot} of Cinder's volume rpcapi (3.40), with {@code volume.revert.*} and
 * {@code snapshot.revert.*} as Cinder's manager sends them. A revert is idempotent: a repeated one
 * copies the same snapshot again.
 */
@ApplicationScoped
public class RevertVolumeHandler {

  private static final Logger LOG = Logger.getLogger(RevertVolumeHandler.class);
  private static final String REVERTING = "reverting";

  @Inject VolumeDriver driver;
  @Inject BackendVolumes volumes;
  @Inject BackendSnapshots snapshots;
  @Inject HostMessages messages;

  @Inject VolumeHostConfig config;

  public void handle(RequestContext context, RevertVolume command) {
    OwnPool.require(command.volumeId(), "revert_to_snapshot without a volume id");
    OwnPool.require(command.snapshotId(), "revert_to_snapshot without a snapshot id");
    HostAddress pool = OwnPool.of(command.pool(), config.host());
    String volumeId = command.volumeId();
    BackendVolume held = volumes.find(volumeId).orElse(null);
    BackendSnapshot snapshot = snapshots.find(command.snapshotId()).orElse(null);
    String host = held != null ? held.pool() : pool.toString();
    notify(context, command, held, snapshot, host, REVERTING, "revert.start");
    try {
      if (!driver.initialized()) {
        throw new VolumeDriverException("volume driver is not initialized");
      }
      if (held == null) {
        throw new VolumeDriverException(
            "Volume " + volumeId + " could not be found on " + config.host() + ".");
      }
      if (snapshot == null || !snapshot.volumeId().equals(volumeId)) {
        throw new VolumeDriverException(
            "Snapshot " + command.snapshotId() + " could not be found.");
      }
      driver.revertToSnapshot(
          new DriverVolume(volumeId, held.size(), pool.pool(), null, held.providerLocation()),
          new DriverSnapshot(
              snapshot.snapshotId(), volumeId, snapshot.volumeSize(), snapshot.providerLocation()));
    } catch (RuntimeException e) {
      String reason = OwnPool.reason(e);
      messages.volumeRevertFailed(
          context, new VolumeRevertFailed(volumeId, command.snapshotId(), reason));
      LOG.warnf(
          "revert of volume %s to snapshot %s failed: %s", volumeId, command.snapshotId(), reason);
      return;
    }
    messages.volumeReverted(context, new VolumeReverted(volumeId, command.snapshotId()));
    notify(context, command, held, snapshot, host, VolumeStatus.AVAILABLE.wire(), "revert.end");
    LOG.infof("reverted volume %s to snapshot %s", volumeId, command.snapshotId());
  }

  private void notify(
      RequestContext context,
      RevertVolume command,
      BackendVolume held,
      BackendSnapshot snapshot,
      String host,
      String status,
      String action) {
    messages.notify(
        context,
        "volume." + action,
        VolumeUsage.of(
            HeldVolumeUsage.spec(
                context,
                command.volumeId(),
                command.projectId(),
                command.size(),
                held,
                config.availabilityZone()),
            host,
            status,
            null));
    messages.notify(
        context,
        "snapshot." + action,
        new SnapshotUsage(
            command.projectId(),
            context == null ? null : context.userId(),
            config.availabilityZone(),
            command.volumeId(),
            snapshot == null ? command.size() : snapshot.volumeSize(),
            command.snapshotId(),
            null,
            snapshot == null ? null : snapshot.createdAt(),
            "available",
            "False",
            null));
  }
}
