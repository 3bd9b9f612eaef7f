package io.ember.volume.manager;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.contract.ListManageable;
import io.ember.model.contract.ManageExisting;
import io.ember.model.contract.ManageExistingSnapshot;
import io.ember.model.contract.ManageableList;
import io.ember.model.contract.SnapshotCreateFailed;
import io.ember.model.contract.SnapshotCreated;
import io.ember.model.contract.SnapshotUsage;
import io.ember.model.contract.VolumeManaged;
import io.ember.model.flow.FlowFailedException;
import io.ember.volume.backend.BackendSnapshot;
import io.ember.volume.backend.BackendSnapshots;
import io.ember.volume.backend.BackendVolume;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.capability.CapabilityPublisher;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverSnapshot;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.flow.ManageExistingFlow;
import io.ember.volume.outbound.HostMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * {@code manage_existing}, {@code manage_existing_snapshot} and the manageable listings of Cinder's
 * volume rpcapi. An object already recorded under the new id (a command re-sent under a new message
 * id) is announced again rather than adopted twice.
 */
@ApplicationScoped
public class ManageHandler {

  private static final Logger LOG = Logger.getLogger(ManageHandler.class);

  @Inject VolumeDriver driver;
  @Inject BackendVolumes volumes;
  @Inject BackendSnapshots snapshots;
  @Inject ManageExistingFlow manageFlow;
  @Inject HostMessages messages;
  @Inject CapabilityPublisher capabilities;
  @Inject VolumeHostConfig config;

  public void manageVolume(RequestContext context, ManageExisting command) {
    OwnPool.require(
        command.volume() == null ? null : command.volume().volumeId(),
        "manage_existing without a volume id");
    HostAddress pool = OwnPool.of(command.host(), config.host());
    if (pool.pool() == null) {
      throw new io.ember.model.contract.ContractException(
          "manage_existing to " + command.host() + " names no pool");
    }
    BackendVolume held = volumes.find(command.volume().volumeId()).orElse(null);
    if (held != null) {
      messages.volumeManaged(
          context,
          new VolumeManaged(held.volumeId(), held.pool(), held.size(), held.providerLocation()));
      LOG.infof("volume %s already managed on %s: announced again", held.volumeId(), held.pool());
      return;
    }
    try {
      manageFlow.run(new ManageExistingFlow.Context(context, command, pool));
      capabilities.changedAfterCommit();
    } catch (FlowFailedException reported) {
      // The flow's first task told the API: an outcome, the transaction commits.
    }
  }

  public void manageSnapshot(RequestContext context, ManageExistingSnapshot command) {
    OwnPool.require(command.snapshotId(), "manage_existing_snapshot without a snapshot id");
    OwnPool.require(command.volumeId(), "manage_existing_snapshot without a volume id");
    HostAddress pool = OwnPool.of(command.pool(), config.host());
    BackendSnapshot held = snapshots.find(command.snapshotId()).orElse(null);
    if (held != null) {
      messages.snapshotCreated(
          context,
          new SnapshotCreated(held.snapshotId(), held.volumeId(), held.providerLocation()));
      LOG.infof("snapshot %s already managed on %s: announced again", held.snapshotId(), pool);
      return;
    }
    Instant createdAt = Instant.now();
    BackendVolume volume = volumes.find(command.volumeId()).orElse(null);
    int volumeSize = volume == null ? 0 : volume.size();
    messages.notify(
        context,
        "snapshot.manage_existing_snapshot.start",
        usage(context, command, volumeSize, "creating", createdAt));
    VolumeDriver.ManagedSnapshot managed;
    try {
      if (!driver.initialized()) {
        throw new VolumeDriverException("volume driver is not initialized");
      }
      if (volume == null) {
        throw new VolumeDriverException(
            "Volume " + command.volumeId() + " could not be found on " + config.host() + ".");
      }
      managed =
          driver.manageExistingSnapshot(
              new DriverSnapshot(command.snapshotId(), command.volumeId(), volumeSize, null),
              command.ref());
    } catch (RuntimeException e) {
      String reason = OwnPool.reason(e);
      messages.snapshotCreateFailed(
          context, new SnapshotCreateFailed(command.snapshotId(), command.volumeId(), reason));
      LOG.warnf(
          "manage of snapshot %s of volume %s failed: %s",
          command.snapshotId(), command.volumeId(), reason);
      return;
    }
    snapshots.record(
        command.snapshotId(),
        command.volumeId(),
        pool.toString(),
        managed.size(),
        managed.providerLocation());
    messages.snapshotCreated(
        context,
        new SnapshotCreated(command.snapshotId(), command.volumeId(), managed.providerLocation()));
    messages.notify(
        context,
        "snapshot.manage_existing_snapshot.end",
        usage(context, command, managed.size(), "available", createdAt));
    capabilities.changedAfterCommit();
    LOG.infof(
        "snapshot %s of volume %s managed at %s",
        command.snapshotId(), command.volumeId(), managed.providerLocation());
  }

  /** The call's answer: what the driver lists (the API pages it). */
  public ManageableList list(ListManageable command) {
    if (!driver.initialized()) {
      throw new VolumeDriverException("volume driver is not initialized");
    }
    return new ManageableList(
        command.snapshots() ? driver.manageableSnapshots() : driver.manageableVolumes());
  }

  private SnapshotUsage usage(
      RequestContext context,
      ManageExistingSnapshot command,
      int volumeSize,
      String status,
      Instant createdAt) {
    return new SnapshotUsage(
        command.projectId(),
        context == null ? null : context.userId(),
        config.availabilityZone(),
        command.volumeId(),
        volumeSize,
        command.snapshotId(),
        null,
        createdAt,
        status,
        "False",
        null);
  }
}
