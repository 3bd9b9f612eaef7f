package io.ember.volume.manager;

import io.ember.model.RequestContext;
import io.ember.model.contract.DeleteSnapshot;
import io.ember.model.contract.SnapshotDeleteFailed;
import io.ember.model.contract.SnapshotDeleted;
import io.ember.model.contract.SnapshotUsage;
import io.ember.volume.backend.BackendSnapshot;
import io.ember.volume.backend.BackendSnapshots;
import io.ember.volume.capability.CapabilityPublisher;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverSnapshot;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.outbound.HostMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * {@code delete_snapshot} of Cinder's volume rpcapi. Deleting a snapshot the backend does not hold
 * succeeds, so a repeated delete converges.
 */
@ApplicationScoped
public class DeleteSnapshotHandler {

  private static final Logger LOG = Logger.getLogger(DeleteSnapshotHandler.class);

  @Inject VolumeDriver driver;
  @Inject BackendSnapshots snapshots;
  @Inject HostMessages messages;
  @Inject CapabilityPublisher capabilities;

  @Inject VolumeHostConfig config;

  public void handle(RequestContext context, DeleteSnapshot command) {
    handle(context, command, false);
  }

  /**
   * {@code unmanage_snapshot} (Cinder's {@code delete_snapshot} with {@code unmanage_only}): the
   * driver forgets the snapshot and keeps its bytes; {@code snapshot.unmanage.*} notices.
   */
  public void unmanage(RequestContext context, DeleteSnapshot command) {
    handle(context, command, true);
  }

  private void handle(RequestContext context, DeleteSnapshot command, boolean unmanageOnly) {
    String start = unmanageOnly ? "snapshot.unmanage.start" : "snapshot.delete.start";
    String end = unmanageOnly ? "snapshot.unmanage.end" : "snapshot.delete.end";
    String what = unmanageOnly ? "unmanage" : "delete";
    OwnPool.require(command.snapshotId(), "delete_snapshot without a snapshot id");
    OwnPool.of(command.pool(), config.host());
    // Taken in the statement that reads it; put back below if the backend keeps the snapshot.
    BackendSnapshot held = snapshots.take(command.snapshotId()).orElse(null);
    messages.notify(context, start, usage(context, command, held, "deleting"));
    try {
      if (!driver.initialized()) {
        throw new VolumeDriverException("volume driver is not initialized");
      }
      DriverSnapshot snapshot =
          new DriverSnapshot(
              command.snapshotId(),
              command.volumeId(),
              command.volumeSize(),
              held == null ? null : held.providerLocation());
      if (unmanageOnly) {
        driver.unmanageSnapshot(snapshot);
      } else {
        driver.deleteSnapshot(snapshot);
      }
    } catch (RuntimeException e) {
      if (held != null) {
        snapshots.restore(held);
      }
      String reason = OwnPool.reason(e);
      messages.snapshotDeleteFailed(
          context, new SnapshotDeleteFailed(command.snapshotId(), command.volumeId(), reason));
      LOG.warnf("%s of snapshot %s failed: %s", what, command.snapshotId(), reason);
      return;
    }
    messages.snapshotDeleted(
        context, new SnapshotDeleted(command.snapshotId(), command.volumeId()));
    messages.notify(context, end, usage(context, command, held, "deleted"));
    capabilities.changedAfterCommit();
    LOG.infof(
        "%s snapshot %s of volume %s",
        unmanageOnly ? "unmanaged" : "deleted", command.snapshotId(), command.volumeId());
  }

  private SnapshotUsage usage(
      RequestContext context, DeleteSnapshot command, BackendSnapshot held, String status) {
    return new SnapshotUsage(
        command.projectId(),
        context == null ? null : context.userId(),
        config.availabilityZone(),
        command.volumeId(),
        held != null ? held.volumeSize() : command.volumeSize(),
        command.snapshotId(),
        null,
        held == null ? null : held.createdAt(),
        status,
        "deleted".equals(status) ? "True" : "False",
        null);
  }
}
