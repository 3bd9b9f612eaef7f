package io.ember.volume.manager;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.contract.RetypeVolume;
import io.ember.model.contract.VolumeRetypeFailed;
import io.ember.model.contract.VolumeRetyped;
import io.ember.volume.backend.BackendVolume;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.outbound.HostMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * {@code retype} of Cinder's volume rpcapi, on the volume's own host (the scheduler found it fit
 * for the new type): the driver's retype. A driver that cannot take the new type in place is, like
 * a driver failure, reported as a failed retype and the volume keeps its type (the scheduler sends
 * an {@code on-demand} retype elsewhere only when the pool itself does not fit).
 */
@ApplicationScoped
public class RetypeVolumeHandler {

  private static final Logger LOG = Logger.getLogger(RetypeVolumeHandler.class);

  @Inject VolumeDriver driver;
  @Inject BackendVolumes volumes;
  @Inject HostMessages messages;
  @Inject VolumeHostConfig config;

  public void handle(RequestContext context, RetypeVolume command) {
    OwnPool.require(command.volumeId(), "retype without a volume id");
    OwnPool.require(command.newTypeId(), "retype without a new type");
    HostAddress pool = OwnPool.of(command.pool(), config.host());
    String volumeId = command.volumeId();
    try {
      if (!driver.initialized()) {
        throw new VolumeDriverException("volume driver is not initialized");
      }
      BackendVolume held =
          volumes
              .find(volumeId)
              .orElseThrow(
                  () ->
                      new VolumeDriverException(
                          "Volume " + volumeId + " could not be found on " + config.host() + "."));
      DriverVolume volume =
          new DriverVolume(volumeId, held.size(), pool.pool(), null, held.providerLocation());
      // As Cinder's manager: a change of encryption is never left to the driver.
      if (command.encryptionChanges() || !driver.retype(volume, command.newExtraSpecs())) {
        throw new VolumeDriverException("Retype requires migration but is not allowed.");
      }
    } catch (RuntimeException e) {
      String reason = OwnPool.reason(e);
      messages.volumeRetypeFailed(
          context, new VolumeRetypeFailed(volumeId, command.newTypeId(), reason, false));
      LOG.warnf("retype of volume %s to type %s failed: %s", volumeId, command.newTypeId(), reason);
      return;
    }
    messages.volumeRetyped(context, new VolumeRetyped(volumeId, command.newTypeId()));
    LOG.infof("volume %s retyped to %s in place", volumeId, command.newTypeId());
  }
}
