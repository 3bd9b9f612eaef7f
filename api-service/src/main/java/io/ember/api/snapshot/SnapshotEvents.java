package io.ember.api.snapshot;

import io.agroal.api.AgroalDataSource;
import io.ember.api.quota.QuotaService;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.SnapshotCreateFailed;
import io.ember.model.contract.SnapshotCreated;
import io.ember.model.contract.SnapshotDeleteFailed;
import io.ember.model.contract.SnapshotDeleted;
import io.ember.model.contract.VolumeRevertFailed;
import io.ember.model.contract.VolumeReverted;
import io.ember.model.jdbc.TransactionConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What the volume hosts' snapshot and revert results do to the records. Each applies only from the
 * status it expects, so a replayed or late event cannot move a snapshot backwards; changes are
 * written at once, as {@code VolumeEvents} does, so that a later event of the same poll sees them.
 */
@ApplicationScoped
public class SnapshotEvents {

  private static final Logger LOG = Logger.getLogger(SnapshotEvents.class);

  private static final String ANY_OF = "select 1 from snapshots where volume_id = any(?) limit 1";

  @Inject QuotaService quotas;
  @Inject AgroalDataSource dataSource;
  @Inject SnapshotQuotas snapshotQuotas;

  @Transactional(Transactional.TxType.MANDATORY)
  public void created(SnapshotCreated event) {
    Snapshot snapshot = find(event.snapshotId());
    if (snapshot == null || !SnapshotStatus.CREATING.equals(snapshot.status)) {
      LOG.infof("snapshot %s created event ignored (%s)", event.snapshotId(), status(snapshot));
      return;
    }
    snapshot.status = SnapshotStatus.AVAILABLE;
    snapshot.progress = "100%";
    snapshot.providerLocation = event.providerLocation();
    snapshot.updatedAt = VolumeClock.now();
    Snapshot.flush();
    LOG.infof("snapshot %s available", snapshot.id);
  }

  /** The snapshot goes to {@code error}; its quota stays until it is deleted, as Cinder's. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void createFailed(SnapshotCreateFailed event) {
    Snapshot snapshot = find(event.snapshotId());
    if (snapshot == null || !SnapshotStatus.CREATING.equals(snapshot.status)) {
      LOG.infof("snapshot %s create_failed ignored (%s)", event.snapshotId(), status(snapshot));
      return;
    }
    snapshot.status = SnapshotStatus.ERROR;
    snapshot.statusReason = truncate(event.reason());
    snapshot.updatedAt = VolumeClock.now();
    Snapshot.flush();
    LOG.infof("snapshot %s error: %s", snapshot.id, event.reason());
  }

  /** The row goes and its quota is given back; a second report finds nothing to do. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void deleted(SnapshotDeleted event) {
    Snapshot snapshot = find(event.snapshotId());
    if (snapshot == null) {
      LOG.infof("snapshot %s deleted event ignored (already gone)", event.snapshotId());
      return;
    }
    remove(snapshot);
    LOG.infof("snapshot %s deleted, quota released", snapshot.id);
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void deleteFailed(SnapshotDeleteFailed event) {
    Snapshot snapshot = find(event.snapshotId());
    if (snapshot == null
        || !(SnapshotStatus.DELETING.equals(snapshot.status)
            || SnapshotStatus.UNMANAGING.equals(snapshot.status))) {
      LOG.infof("snapshot %s delete_failed ignored (%s)", event.snapshotId(), status(snapshot));
      return;
    }
    snapshot.status = SnapshotStatus.ERROR_DELETING;
    snapshot.statusReason = truncate(event.reason());
    snapshot.updatedAt = VolumeClock.now();
    Snapshot.flush();
    LOG.infof("snapshot %s error_deleting: %s", snapshot.id, event.reason());
  }

  /** Both back to available. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void reverted(VolumeReverted event) {
    endRevert(event.volumeId(), event.snapshotId(), VolumeStatus.AVAILABLE.wire(), null);
  }

  /** The volume to error (its bytes are in doubt), the snapshot back to available. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void revertFailed(VolumeRevertFailed event) {
    endRevert(event.volumeId(), event.snapshotId(), VolumeStatus.ERROR.wire(), event.reason());
  }

  private void endRevert(String volumeId, String snapshotId, String volumeStatus, String reason) {
    if (volumeId == null || snapshotId == null) {
      throw new ContractException("a revert result without its volume and snapshot ids");
    }
    UUID id = Volume.parseId(volumeId);
    Volume volume = id == null ? null : Volume.findById(id, LockModeType.PESSIMISTIC_WRITE);
    if (volume != null && SnapshotService.REVERTING.equals(volume.status)) {
      volume.status = volumeStatus;
      volume.statusReason = truncate(reason);
      volume.updatedAt = VolumeClock.now();
      Volume.flush();
      LOG.infof("volume %s reverted to %s: %s", volumeId, snapshotId, volumeStatus);
    } else {
      LOG.infof(
          "volume %s revert result ignored (%s)",
          volumeId, volume == null ? "gone" : volume.status);
    }
    Snapshot snapshot = find(snapshotId);
    if (snapshot != null && SnapshotStatus.RESTORING.equals(snapshot.status)) {
      snapshot.status = SnapshotStatus.AVAILABLE;
      snapshot.updatedAt = VolumeClock.now();
      Snapshot.flush();
    }
  }

  /**
   * The snapshots of volumes about to be removed (a host deleted the volume, and with it whatever
   * of its snapshots were left): their rows go first and their quota is given back.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void removeAllOf(List<UUID> volumeIds) {
    if (volumeIds.isEmpty() || !anyOf(volumeIds)) {
      return;
    }
    List<Snapshot> left =
        Snapshot.<Snapshot>find("volumeId in ?1", volumeIds)
            .withLock(LockModeType.PESSIMISTIC_WRITE)
            .list();
    for (Snapshot snapshot : left) {
      remove(snapshot);
      LOG.infof("snapshot %s removed with its volume %s", snapshot.id, snapshot.volumeId);
    }
  }

  /**
   * Whether any of the volumes has a snapshot recorded: one indexed read, where the entity query
   * (its list parameter makes Hibernate translate it anew each time) took 7 % of the API's CPU
   * samples over a whole bench run, creates included, nearly always to find none.
   */
  private boolean anyOf(List<UUID> volumeIds) {
    try (Connection connection = TransactionConnection.of(dataSource, "a snapshot lookup");
        PreparedStatement any = connection.prepareStatement(ANY_OF)) {
      any.setArray(1, connection.createArrayOf("uuid", volumeIds.toArray(UUID[]::new)));
      try (ResultSet found = any.executeQuery()) {
        return found.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("looking up the snapshots of deleted volumes failed", e);
    }
  }

  private void remove(Snapshot snapshot) {
    snapshot.delete();
    Snapshot.flush();
    quotas.release(
        snapshot.projectId, snapshotQuotas.of(snapshot.volumeSize, snapshot.volumeTypeId));
  }

  /**
   * The snapshot an event names, locked; null when there is none (any more). An event that names no
   * snapshot at all is a bad message, for the dead-letter topic.
   */
  private static Snapshot find(String id) {
    if (id == null) {
      throw new ContractException("a snapshot event without a snapshot id");
    }
    UUID uuid = Volume.parseId(id);
    return uuid == null ? null : Snapshot.findById(uuid, LockModeType.PESSIMISTIC_WRITE);
  }

  private static String status(Snapshot snapshot) {
    return snapshot == null ? "gone" : snapshot.status;
  }

  private static String truncate(String reason) {
    return reason == null || reason.length() <= 1024 ? reason : reason.substring(0, 1024);
  }
}
