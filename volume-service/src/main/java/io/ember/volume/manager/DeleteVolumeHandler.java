package io.ember.volume.manager;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.VolumeDeleteFailed;
import io.ember.model.contract.VolumeDeleted;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.contract.VolumeUsage;
import io.ember.volume.backend.BackendVolume;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.capability.CapabilityPublisher;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.outbound.HostMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * {@code delete_volume} of Cinder's volume rpcapi, also with its {@code unmanage_only} (Ember's
 * {@code unmanage_volume}: the driver forgets the volume and keeps its bytes). Deleting a volume
 * the backend does not hold succeeds, so a repeated delete converges.
 */
@ApplicationScoped
public class DeleteVolumeHandler {

  private static final Logger LOG = Logger.getLogger(DeleteVolumeHandler.class);
  private static final String DELETING = VolumeStatus.DELETING.wire();

  @Inject VolumeDriver driver;
  @Inject BackendVolumes volumes;
  @Inject HostMessages messages;
  @Inject CapabilityPublisher capabilities;

  @Inject VolumeHostConfig config;

  public void handle(RequestContext context, DeleteVolume command) {
    handle(context, command, false);
  }

  /** {@code unmanage_volume}: as a delete, the bytes kept; {@code volume.unmanage.*} notices. */
  public void unmanage(RequestContext context, DeleteVolume command) {
    handle(context, command, true);
  }

  private void handle(RequestContext context, DeleteVolume command, boolean unmanageOnly) {
    String start = unmanageOnly ? "volume.unmanage.start" : "volume.delete.start";
    String end = unmanageOnly ? "volume.unmanage.end" : "volume.delete.end";
    String what = unmanageOnly ? "unmanage" : "delete";
    if (command.volumeId() == null || command.volumeId().isBlank()) {
      throw new ContractException("delete_volume without a volume id");
    }
    // Taken in the statement that reads it; put back below if the backend keeps the volume.
    BackendVolume held = volumes.take(command.volumeId()).orElse(null);
    String host = config.host();
    String pool = held != null ? held.pool() : command.pool();
    HostAddress address = pool == null ? null : HostAddress.parse(pool);
    if (address == null || !address.backendHost().equals(host)) {
      throw new ContractException("pool " + pool + " is not a pool of " + host);
    }
    VolumeSpec spec = usageSpec(context, command, held);
    String status = unmanageOnly ? VolumeStatus.UNMANAGING.wire() : DELETING;
    messages.notify(context, start, VolumeUsage.of(spec, pool, status, null));
    try {
      if (!driver.initialized()) {
        throw new VolumeDriverException("volume driver is not initialized");
      }
      DriverVolume volume =
          new DriverVolume(
              command.volumeId(),
              spec.size(),
              address.pool(),
              null,
              held == null ? null : held.providerLocation());
      if (unmanageOnly) {
        driver.unmanage(volume);
      } else {
        driver.deleteVolume(volume);
      }
    } catch (RuntimeException e) {
      if (held != null) {
        volumes.restore(held);
      }
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      messages.volumeDeleteFailed(
          context, new VolumeDeleteFailed(command.volumeId(), pool, reason));
      LOG.warnf("%s of volume %s on %s failed: %s", what, command.volumeId(), pool, reason);
      return;
    }
    messages.volumeDeleted(context, new VolumeDeleted(command.volumeId(), pool));
    messages.notify(context, end, VolumeUsage.of(spec, pool, status, null));
    capabilities.changedAfterCommit();
    LOG.infof(
        "%s volume %s from %s", unmanageOnly ? "unmanaged" : "deleted", command.volumeId(), pool);
  }

  /**
   * The usage info a delete notification can give: the command (with the name and metadata the API
   * sent) and this host's record.
   */
  private VolumeSpec usageSpec(RequestContext context, DeleteVolume command, BackendVolume held) {
    return new VolumeSpec(
        command.volumeId(),
        command.projectId(),
        context == null ? null : context.userId(),
        held != null ? held.size() : command.size(),
        command.name(),
        config.availabilityZone(),
        null,
        null,
        command.metadata(),
        held == null ? null : held.createdAt());
  }
}
