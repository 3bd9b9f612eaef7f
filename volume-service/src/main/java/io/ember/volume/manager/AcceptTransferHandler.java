package io.ember.volume.manager;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.contract.AcceptTransfer;
import io.ember.model.contract.TransferAccepted;
import io.ember.model.reply.ReplyFailedException;
import io.ember.volume.backend.BackendVolume;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * {@code accept_transfer} of Cinder's volume rpcapi, a call: the driver takes the volume over for
 * the new project, and the API records the new owner on the reply. The host keeps no owner of its
 * own, so a repeated call does the driver's part again, which changes nothing the second time.
 */
@ApplicationScoped
public class AcceptTransferHandler {

  private static final Logger LOG = Logger.getLogger(AcceptTransferHandler.class);

  @Inject VolumeDriver driver;
  @Inject BackendVolumes volumes;
  @Inject VolumeHostConfig config;

  /**
   * @throws ReplyFailedException when the driver is not set up, the backend does not hold the
   *     volume or the driver refuses: answered as the call's fault (Cinder's remote error, a 500)
   */
  public TransferAccepted handle(RequestContext context, AcceptTransfer command) {
    OwnPool.require(command.volumeId(), "accept_transfer without a volume id");
    OwnPool.require(command.newProjectId(), "accept_transfer without the new project");
    HostAddress pool = OwnPool.of(command.pool(), config.host());
    try {
      if (!driver.initialized()) {
        throw new VolumeDriverException("volume driver is not initialized");
      }
      BackendVolume held =
          volumes
              .find(command.volumeId())
              .orElseThrow(
                  () ->
                      new VolumeDriverException(
                          "Volume " + command.volumeId() + " could not be found."));
      driver.acceptTransfer(
          new DriverVolume(
              command.volumeId(), held.size(), pool.pool(), null, held.providerLocation()),
          command.newUserId(),
          command.newProjectId());
    } catch (VolumeDriverException e) {
      String reason = OwnPool.reason(e);
      LOG.warnf("accept_transfer of volume %s failed: %s", command.volumeId(), reason);
      throw new ReplyFailedException(reason, 500);
    }
    LOG.infof(
        "volume %s accepted for project %s (from %s)",
        command.volumeId(), command.newProjectId(), command.projectId());
    return new TransferAccepted(command.volumeId());
  }
}
