package io.ember.api.volumeops;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.flow.MigrateVolumeFlow;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.model.RequestContext;
import io.ember.model.contract.VolumeMigrateFailed;
import io.ember.model.contract.VolumeMigrated;
import io.ember.model.contract.VolumeMigrationStatus;
import io.ember.model.flow.FlowFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Volume migration in the API: {@code os-migrate_volume} through its flow, and what the scheduler
 * and the hosts report about it. A result applies only while the volume is migrating, so a late or
 * replayed one cannot move it backwards; a {@code volume.migrated} always records where the data
 * now is, even after the deadline gave up on it.
 */
@ApplicationScoped
public class VolumeMigrations {

  private static final Logger LOG = Logger.getLogger(VolumeMigrations.class);

  /** The migration statuses of a migration in flight, in their order. */
  public static final Set<String> IN_FLIGHT = Set.of("starting", "migrating", "completing");

  @Inject MigrateVolumeFlow flow;

  /** {@code os-migrate_volume}: 202 once the volume is {@code starting} and the cast is written. */
  @Transactional
  public void migrate(String id, JsonNode body, boolean clusterAllowed, RequestContext caller) {
    try {
      flow.build().run(new MigrateVolumeFlow.Context(id, body, caller, clusterAllowed));
    } catch (FlowFailedException failed) {
      if (failed.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw failed;
    }
  }

  /** The host moved the migration on ({@code migrating}, {@code completing}). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void statusChanged(VolumeMigrationStatus event) {
    Volume volume = find(event.volumeId());
    if (volume == null || !IN_FLIGHT.contains(volume.migrationStatus)) {
      LOG.infof(
          "volume %s migration status %s ignored (now %s)",
          event.volumeId(), event.migrationStatus(), migration(volume));
      return;
    }
    volume.migrationStatus = event.migrationStatus();
    volume.updatedAt = VolumeClock.now();
    Volume.flush();
    LOG.infof("volume %s migration %s", volume.id, event.migrationStatus());
  }

  /**
   * The volume lives on its new pool now: host and provider location change, the id stays; the
   * status it had before (not {@code maintenance}) comes back. Its quota never changed.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void migrated(VolumeMigrated event) {
    Volume volume = find(event.volumeId());
    if (volume == null) {
      LOG.infof("volume %s migrated event ignored (gone)", event.volumeId());
      return;
    }
    String from = volume.host;
    volume.host = event.pool();
    volume.providerLocation = event.providerLocation();
    endMigration(volume, "success");
    LOG.infof("volume %s migrated from %s to %s", volume.id, from, volume.host);
  }

  /** The migration did not happen: the volume stays where it was, usable. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void failed(VolumeMigrateFailed event) {
    Volume volume = find(event.volumeId());
    if (volume == null || !IN_FLIGHT.contains(volume.migrationStatus)) {
      LOG.infof("volume %s migrate_failed ignored (now %s)", event.volumeId(), migration(volume));
      return;
    }
    endMigration(volume, "error");
    LOG.infof("volume %s migration error: %s", volume.id, event.reason());
  }

  /**
   * As Cinder's manager at the end of {@code migrate_volume}: a volume locked in {@code
   * maintenance} gets its previous status back.
   */
  public static void endMigration(Volume volume, String migrationStatus) {
    if ("maintenance".equals(volume.status) && volume.previousStatus != null) {
      volume.status = volume.previousStatus;
    }
    if (IN_FLIGHT.contains(volume.migrationStatus)) {
      volume.previousStatus = null;
    }
    volume.migrationStatus = migrationStatus;
    volume.updatedAt = VolumeClock.now();
    Volume.flush();
  }

  private static Volume find(String id) {
    UUID uuid = Volume.parseId(id);
    return uuid == null ? null : Volume.findById(uuid);
  }

  private static String migration(Volume volume) {
    return volume == null ? "gone" : String.valueOf(volume.migrationStatus);
  }
}
