package io.ember.volume.manager;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.contract.AdoptMigrationTarget;
import io.ember.model.contract.CreateMigrationTarget;
import io.ember.model.contract.MigrationTargetReady;
import io.ember.model.contract.VolumeMigrated;
import io.ember.volume.backend.BackendVolume;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.capability.CapabilityPublisher;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.ModelUpdate;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.outbound.HostMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The destination host's side of a copying migration: it creates the target volume (Cinder's
 * temporary volume, under its own id) and opens the one-time data channel for its bytes; once they
 * are in, it adopts the target as the volume itself, renamed to the volume's id, and tells the API
 * the volume lives here now.
 */
@ApplicationScoped
public class MigrationTargetHandler {

  private static final Logger LOG = Logger.getLogger(MigrationTargetHandler.class);

  @Inject VolumeDriver driver;
  @Inject BackendVolumes volumes;
  @Inject HostMessages messages;
  @Inject MigrationChannels channels;
  @Inject CapabilityPublisher capabilities;
  @Inject VolumeHostConfig config;

  /** {@code create_migration_target}: the empty target and its channel, or why not. */
  public void create(RequestContext context, CreateMigrationTarget command) {
    OwnPool.require(command.targetId(), "create_migration_target without a target id");
    OwnPool.require(command.sourceHost(), "create_migration_target without a source host");
    HostAddress pool = OwnPool.of(command.destPool(), config.host());
    String targetId = command.targetId();
    ModelUpdate created;
    try {
      if (!driver.initialized()) {
        throw new VolumeDriverException("volume driver is not initialized");
      }
      created =
          driver.createVolume(
              new DriverVolume(targetId, command.size(), pool.pool(), Map.of(), null));
    } catch (RuntimeException e) {
      String reason = OwnPool.reason(e);
      answer(context, command, null, null, null, reason);
      LOG.warnf(
          "migration target %s of volume %s failed: %s", targetId, command.volumeId(), reason);
      return;
    }
    volumes.record(targetId, pool.toString(), command.size(), created.providerLocation());
    String token =
        channels.open(
            new DriverVolume(
                targetId, command.size(), pool.pool(), null, created.providerLocation()));
    answer(context, command, created.providerLocation(), channels.url(targetId), token, null);
    capabilities.changedAfterCommit();
    LOG.infof("migration target %s of volume %s created on %s", targetId, command.volumeId(), pool);
  }

  private void answer(
      RequestContext context,
      CreateMigrationTarget command,
      String location,
      String url,
      String token,
      String error) {
    messages.migrationTargetReady(
        context,
        command.sourceHost(),
        new MigrationTargetReady(
            command.volumeId(),
            command.projectId(),
            command.size(),
            command.targetId(),
            command.destPool(),
            location,
            url,
            token,
            error));
  }

  /**
   * {@code adopt_migration_target}: the target becomes the volume (the driver's {@code
   * update_migrated_volume} renames it), and the API hears {@code volume.migrated}. Repeated, it
   * announces the adopted volume again.
   */
  public void adopt(RequestContext context, AdoptMigrationTarget command) {
    HostAddress pool = OwnPool.of(command.destPool(), config.host());
    String volumeId = command.volumeId();
    channels.close(command.targetId());
    BackendVolume target = volumes.take(command.targetId()).orElse(null);
    if (target == null) {
      BackendVolume adopted = volumes.find(volumeId).orElse(null);
      if (adopted == null) {
        throw new IllegalStateException(
            "migration target " + command.targetId() + " of volume " + volumeId + " is gone");
      }
      messages.volumeMigrated(
          context, new VolumeMigrated(volumeId, adopted.pool(), adopted.providerLocation()));
      LOG.infof("volume %s already adopted: announced again", volumeId);
      return;
    }
    ModelUpdate renamed =
        driver.updateMigratedVolume(
            new DriverVolume(volumeId, target.size(), pool.pool(), null, null),
            new DriverVolume(
                target.volumeId(), target.size(), pool.pool(), null, target.providerLocation()));
    volumes.record(volumeId, target.pool(), target.size(), renamed.providerLocation());
    messages.volumeMigrated(
        context, new VolumeMigrated(volumeId, target.pool(), renamed.providerLocation()));
    capabilities.changedAfterCommit();
    LOG.infof("volume %s migrated here to %s", volumeId, target.pool());
  }
}
