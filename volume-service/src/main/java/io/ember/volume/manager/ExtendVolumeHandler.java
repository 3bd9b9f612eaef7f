package io.ember.volume.manager;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.ExtendVolume;
import io.ember.model.contract.VolumeExtendFailed;
import io.ember.model.contract.VolumeExtended;
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
 * {@code extend_volume} of Cinder's volume rpcapi, with its {@code volume.resize.start/end}. A
 * volume the record already shows at the new size (a command re-sent under a new message id) is
 * announced extended again without touching the backend.
 */
@ApplicationScoped
public class ExtendVolumeHandler {

  private static final Logger LOG = Logger.getLogger(ExtendVolumeHandler.class);

  @Inject VolumeDriver driver;
  @Inject BackendVolumes volumes;
  @Inject HostMessages messages;
  @Inject CapabilityPublisher capabilities;

  @Inject VolumeHostConfig config;

  public void handle(RequestContext context, ExtendVolume command) {
    OwnPool.require(command.volumeId(), "extend_volume without a volume id");
    HostAddress pool = OwnPool.of(command.pool(), config.host());
    String volumeId = command.volumeId();
    BackendVolume held = volumes.find(volumeId).orElse(null);
    if (held != null && held.size() == command.newSize()) {
      messages.volumeExtended(
          context, new VolumeExtended(volumeId, command.oldSize(), command.newSize()));
      acknowledge(command, held.pool());
      LOG.infof("volume %s already has %d GiB: announced again", volumeId, command.newSize());
      return;
    }
    String host = held != null ? held.pool() : pool.toString();
    messages.notify(
        context,
        "volume.resize.start",
        VolumeUsage.of(
            HeldVolumeUsage.spec(
                context,
                volumeId,
                command.projectId(),
                command.oldSize(),
                held,
                config.availabilityZone()),
            host,
            VolumeStatus.EXTENDING.wire(),
            null));
    try {
      if (!driver.initialized()) {
        throw new VolumeDriverException("volume driver is not initialized");
      }
      if (held == null) {
        throw new VolumeDriverException(
            "Volume " + volumeId + " could not be found on " + config.host() + ".");
      }
      driver.extendVolume(
          new DriverVolume(volumeId, held.size(), pool.pool(), null, held.providerLocation()),
          command.newSize());
    } catch (RuntimeException e) {
      String reason = OwnPool.reason(e);
      messages.volumeExtendFailed(
          context, new VolumeExtendFailed(volumeId, command.oldSize(), command.newSize(), reason));
      acknowledge(command, host);
      LOG.warnf("extend of volume %s to %d GiB failed: %s", volumeId, command.newSize(), reason);
      return;
    }
    volumes.resize(volumeId, command.newSize());
    messages.volumeExtended(
        context, new VolumeExtended(volumeId, command.oldSize(), command.newSize()));
    messages.notify(
        context,
        "volume.resize.end",
        VolumeUsage.of(
            HeldVolumeUsage.spec(
                context,
                volumeId,
                command.projectId(),
                command.newSize(),
                held,
                config.availabilityZone()),
            host,
            VolumeStatus.AVAILABLE.wire(),
            null));
    acknowledge(command, host);
    LOG.infof("extended volume %s to %d GiB", volumeId, command.newSize());
  }

  /**
   * The scheduler counts the added size on the pool until a report lists the extend as done (either
   * way): that report's capacity includes it.
   */
  private void acknowledge(ExtendVolume command, String pool) {
    capabilities.acknowledgeAfterCommit(
        pool, CapabilityReport.extendKey(command.volumeId(), command.newSize()));
  }
}
