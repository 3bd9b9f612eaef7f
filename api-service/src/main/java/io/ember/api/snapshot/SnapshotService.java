package io.ember.api.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.microversion.ApiVersion;
import io.ember.api.outbound.HostCommands;
import io.ember.api.outbound.SnapshotNotifications;
import io.ember.api.quota.QuotaLedger;
import io.ember.api.quota.QuotaService;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.CreateSnapshot;
import io.ember.model.contract.DeleteSnapshot;
import io.ember.model.contract.ManageExistingSnapshot;
import io.ember.model.contract.RevertVolume;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.jpa.HibernateHints;
import org.jboss.logging.Logger;

/**
 * Snapshot operations of the API, with the rules of Cinder's {@code volume/api.py}
 * (create_snapshot, delete_snapshot, update_snapshot, revert_to_snapshot): each state change, its
 * quota and its command to the volume's host commit together.
 */
@ApplicationScoped
public class SnapshotService {

  private static final Logger LOG = Logger.getLogger(SnapshotService.class);

  /** The volume status of a revert in progress (Cinder sets it as a plain string, too). */
  public static final String REVERTING = "reverting";

  /** Cinder's {@code SNAPSHOT_IN_USE_FLAG_MSG}, typo and double space included. */
  static final String FORCE_FLAG_INVALID =
      "Since microversion 3.66 the 'force' flag is invalid for this request.  For backward"
          + " compatability, however, when the 'force' flag is passed with a value evaluating to"
          + " True, it is silently ignored.";

  static final String DELETE_REFUSED =
      "Snapshot status must be available or error and must not be part of a group.";

  @Inject QuotaService quotas;
  @Inject SnapshotQuotas snapshotQuotas;
  @Inject HostCommands hostCommands;
  @Inject SnapshotNotifications notifications;

  /**
   * {@code POST /snapshots}: the row in {@code creating}, its quota and the {@code create_snapshot}
   * command in one transaction, the volume locked so that its status cannot change in between.
   */
  @Transactional
  public Snapshot create(JsonNode body, RequestContext caller, ApiVersion version) {
    SnapshotFields.Create request = SnapshotFields.create(body);
    Volume volume = lockedVolume(request.volumeId(), caller);
    boolean force = Boolean.TRUE.equals(request.force());
    if (version.atLeast(66) && Boolean.FALSE.equals(request.force())) {
      throw CinderFault.badRequest(FORCE_FLAG_INVALID);
    }
    if (volume.host == null) {
      throw CinderFault.invalidVolume(
          "The snapshot cannot be created because volume has not been scheduled to any host.");
    }
    if (VolumeStatus.MAINTENANCE.wire().equals(volume.status)) {
      throw CinderFault.invalidVolume(
          "The snapshot cannot be created when the volume is in maintenance mode.");
    }
    if (VolumeStatus.ERROR.wire().equals(volume.status)) {
      throw CinderFault.invalidVolume(
          "The snapshot cannot be created when the volume is in error status.");
    }
    List<String> valid =
        force || version.atLeast(66)
            ? List.of(VolumeStatus.AVAILABLE.wire(), VolumeStatus.IN_USE.wire())
            : List.of(VolumeStatus.AVAILABLE.wire());
    if (!valid.contains(volume.status)) {
      throw CinderFault.invalidVolume(
          "Volume "
              + volume.id
              + " status must be "
              + String.join(", ", valid)
              + ", but current status is: "
              + volume.status
              + ".");
    }
    // Charged to the caller's project, as Cinder's create_snapshot_in_db does.
    QuotaLedger quota = quotas.open(caller.projectId());
    quota.commit(quota.reserve(snapshotQuotas.of(volume.size, volume.volumeTypeId)));
    quotas.close(quota);
    return startCreate(
        volume, request.name(), request.description(), request.metadata(), null, caller);
  }

  /**
   * A snapshot of each volume of a group snapshot ({@code create_snapshots_in_db}), their quota
   * charged together; the volumes are the group's, locked by the caller.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void createForGroup(
      List<Volume> volumes,
      String name,
      String description,
      UUID groupSnapshotId,
      RequestContext caller) {
    QuotaLedger quota = quotas.open(caller.projectId());
    for (Volume volume : volumes) {
      quota.commit(quota.reserve(snapshotQuotas.of(volume.size, volume.volumeTypeId)));
    }
    quotas.close(quota);
    for (Volume volume : volumes) {
      startCreate(volume, name, description, Map.of(), groupSnapshotId, caller);
    }
  }

  /** Starts deleting a snapshot of a group snapshot being deleted. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void deleteForGroup(Snapshot snapshot, RequestContext caller) {
    startDelete(snapshot, caller);
  }

  /**
   * The snapshot's row in {@code creating} and its {@code create_snapshot} to the volume's host.
   */
  private Snapshot startCreate(
      Volume volume,
      String name,
      String description,
      Map<String, String> metadata,
      UUID groupSnapshotId,
      RequestContext caller) {
    Snapshot snapshot = newRow(volume, name, description, metadata, groupSnapshotId, caller);
    hostCommands.createSnapshot(
        new CreateSnapshot(
            snapshot.id.toString(),
            volume.id.toString(),
            snapshot.projectId,
            volume.host,
            volume.size,
            snapshot.name),
        caller);
    LOG.infof("snapshot %s of volume %s creating on %s", snapshot.id, volume.id, volume.host);
    return snapshot;
  }

  /** The snapshot's row in {@code creating}. */
  private Snapshot newRow(
      Volume volume,
      String name,
      String description,
      Map<String, String> metadata,
      UUID groupSnapshotId,
      RequestContext caller) {
    Snapshot snapshot = new Snapshot();
    snapshot.id = UUID.randomUUID();
    snapshot.volumeId = volume.id;
    snapshot.projectId = caller.projectId();
    snapshot.userId = caller.userId();
    snapshot.name = name;
    snapshot.description = description;
    snapshot.groupSnapshotId = groupSnapshotId;
    snapshot.volumeSize = volume.size;
    snapshot.status = SnapshotStatus.CREATING;
    snapshot.progress = "0%";
    snapshot.volumeTypeId = volume.volumeTypeId;
    snapshot.metadata = new LinkedHashMap<>(metadata);
    snapshot.createdAt = VolumeClock.now();
    snapshot.persist();
    return snapshot;
  }

  /** {@code GET /snapshots/{id}}: loaded read-only. */
  public Snapshot show(String id, RequestContext caller) {
    UUID uuid = Volume.parseId(id);
    return visible(
        id,
        uuid == null
            ? null
            : Snapshot.<Snapshot>find("id", uuid)
                .withHint(HibernateHints.HINT_READ_ONLY, true)
                .firstResult(),
        caller);
  }

  /** The snapshot, locked until the transaction ends, if the caller may see it; else 404. */
  Snapshot locked(String id, RequestContext caller) {
    UUID uuid = Volume.parseId(id);
    return visible(
        id, uuid == null ? null : Snapshot.findById(uuid, LockModeType.PESSIMISTIC_WRITE), caller);
  }

  private static Snapshot visible(String id, Snapshot snapshot, RequestContext caller) {
    if (snapshot == null || !(caller.isAdmin() || snapshot.projectId.equals(caller.projectId()))) {
      throw CinderFault.snapshotNotFound(id);
    }
    return snapshot;
  }

  private static Volume lockedVolume(String id, RequestContext caller) {
    UUID uuid = id == null ? null : Volume.parseId(id);
    Volume volume = uuid == null ? null : Volume.findById(uuid, LockModeType.PESSIMISTIC_WRITE);
    if (volume == null || !(caller.isAdmin() || volume.projectId.equals(caller.projectId()))) {
      throw CinderFault.volumeNotFound(id);
    }
    return volume;
  }

  /** {@code PUT /snapshots/{id}}: name and description, announced {@code snapshot.update.*}. */
  @Transactional
  public Snapshot update(String id, JsonNode body, RequestContext caller) {
    Map<String, String> changes = SnapshotFields.update(body);
    Snapshot snapshot = locked(id, caller);
    String zone = zoneOf(snapshot);
    notifications.usage(caller, snapshot, zone, "update.start");
    for (Map.Entry<String, String> change : changes.entrySet()) {
      if (change.getKey().endsWith("name")) {
        snapshot.name = change.getValue();
      } else {
        snapshot.description = change.getValue();
      }
    }
    snapshot.updatedAt = VolumeClock.now();
    notifications.usage(caller, snapshot, zone, "update.end");
    LOG.infof("snapshot %s updated", snapshot.id);
    return snapshot;
  }

  /** {@code DELETE /snapshots/{id}}: from available or error only. */
  @Transactional
  public void delete(String id, RequestContext caller) {
    Snapshot snapshot = locked(id, caller);
    if (!SnapshotStatus.DELETABLE.contains(snapshot.status) || snapshot.groupSnapshotId != null) {
      throw CinderFault.invalidSnapshot(DELETE_REFUSED);
    }
    startDelete(snapshot, caller);
  }

  /**
   * {@code os-unmanage} (Cinder's delete with {@code unmanage_only}): from available or error,
   * {@code unmanaging}, and {@code unmanage_snapshot} to the volume's host, whose {@code
   * snapshot.deleted} removes the row and gives the quota back.
   */
  @Transactional
  public void unmanage(String id, RequestContext caller) {
    Snapshot snapshot = locked(id, caller);
    AdminPolicy.requireRule(caller, "snapshot_extension:snapshot_unmanage");
    if (!SnapshotStatus.DELETABLE.contains(snapshot.status) || snapshot.groupSnapshotId != null) {
      throw CinderFault.invalidSnapshot(DELETE_REFUSED);
    }
    Volume volume = Volume.findById(snapshot.volumeId);
    snapshot.status = SnapshotStatus.UNMANAGING;
    snapshot.updatedAt = VolumeClock.now();
    hostCommands.unmanageSnapshot(deleteCommand(snapshot, volume), caller);
    LOG.infof("snapshot %s unmanaging on %s", snapshot.id, volume.host);
  }

  /**
   * {@code POST /manageable_snapshots} (Cinder's {@code manage_existing_snapshot}): the volume's
   * checks of a forced create, the snapshot charged at its volume's size and its row in {@code
   * creating}, and {@code manage_existing_snapshot} to the volume's host, which answers as a create
   * does. Unlike Cinder's, the command goes to the host directly: the scheduler would only pass it
   * on to the volume's own host.
   */
  @Transactional
  public Snapshot manage(JsonNode body, RequestContext caller) {
    SnapshotFields.Manage request = SnapshotFields.manage(body);
    Volume volume = lockedVolume(request.volumeId(), caller);
    AdminPolicy.requireRule(caller, "snapshot_extension:snapshot_manage");
    if (volume.host == null) {
      throw CinderFault.invalidVolume(
          "The snapshot cannot be created because volume has not been scheduled to any host.");
    }
    if (!List.of(VolumeStatus.AVAILABLE.wire(), VolumeStatus.IN_USE.wire())
        .contains(volume.status)) {
      throw CinderFault.invalidVolume(
          "Volume "
              + volume.id
              + " status must be available, in-use, but current status is: "
              + volume.status
              + ".");
    }
    QuotaLedger quota = quotas.open(caller.projectId());
    quota.commit(quota.reserve(snapshotQuotas.of(volume.size, volume.volumeTypeId)));
    quotas.close(quota);
    Snapshot snapshot =
        newRow(volume, request.name(), request.description(), request.metadata(), null, caller);
    hostCommands.manageSnapshot(
        new ManageExistingSnapshot(
            snapshot.id.toString(),
            volume.id.toString(),
            snapshot.projectId,
            volume.host,
            request.ref()),
        caller);
    LOG.infof(
        "snapshot %s of volume %s managing %s on %s",
        snapshot.id, volume.id, request.ref(), volume.host);
    return snapshot;
  }

  /** {@code os-force_delete}: an admin's delete from any status. */
  @Transactional
  public void forceDelete(String id, RequestContext caller) {
    Snapshot snapshot = locked(id, caller);
    AdminPolicy.requireRule(caller, "volume_extension:snapshot_admin_actions:force_delete");
    startDelete(snapshot, caller);
  }

  /** {@code os-reset_status}: an admin sets the status, announced as Cinder does. */
  @Transactional
  public void resetStatus(String id, JsonNode args, RequestContext caller) {
    String status = SnapshotFields.resetStatus(args);
    Snapshot snapshot = locked(id, caller);
    AdminPolicy.requireRule(caller, "volume_extension:snapshot_admin_actions:reset_status");
    String zone = zoneOf(snapshot);
    notifications.usage(caller, snapshot, zone, "reset_status.start");
    snapshot.status = status;
    snapshot.updatedAt = VolumeClock.now();
    notifications.usage(caller, snapshot, zone, "reset_status.end");
    LOG.infof("snapshot %s reset to %s", snapshot.id, status);
  }

  /**
   * {@code os-update_snapshot_status}: what Nova reports of a snapshot it makes itself (assisted
   * snapshots), allowed to the snapshot's owner. Only a snapshot being created or deleted may be
   * moved, and only along Cinder's transitions.
   */
  @Transactional
  public void updateStatus(String id, JsonNode args, RequestContext caller) {
    SnapshotFields.StatusUpdate update = SnapshotFields.statusUpdate(args);
    Snapshot snapshot = locked(id, caller);
    List<String> allowed = UPDATE_STATUS_TRANSITIONS.get(snapshot.status);
    if (allowed == null) {
      throw CinderFault.badRequest(
          "Snapshot status " + snapshot.status + " not allowed for update_snapshot_status");
    }
    if (!allowed.contains(update.status())) {
      throw CinderFault.badRequest(
          "Provided snapshot status "
              + Echo.cap(update.status())
              + " not allowed for snapshot with status "
              + snapshot.status
              + ".");
    }
    snapshot.status = update.status();
    if (update.progress() != null) {
      snapshot.progress = update.progress();
    }
    snapshot.updatedAt = VolumeClock.now();
    LOG.infof("snapshot %s status updated to %s", snapshot.id, update.status());
  }

  /** Cinder's {@code os-update_snapshot_status} transitions: from creating or deleting only. */
  private static final Map<String, List<String>> UPDATE_STATUS_TRANSITIONS =
      Map.of(
          SnapshotStatus.CREATING,
          List.of(SnapshotStatus.CREATING, SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR),
          SnapshotStatus.DELETING,
          List.of(SnapshotStatus.DELETING, SnapshotStatus.ERROR_DELETING));

  /** The snapshot's metadata. */
  public Map<String, String> metadata(String id, RequestContext caller) {
    return new LinkedHashMap<>(show(id, caller).metadata);
  }

  /** Merges ({@code replace}: replaces) the metadata; all of it after the change. */
  @Transactional
  public Map<String, String> setMetadata(
      String id, Map<String, String> metadata, boolean replace, RequestContext caller) {
    Snapshot snapshot = locked(id, caller);
    Map<String, String> updated =
        replace ? new LinkedHashMap<>() : new LinkedHashMap<>(snapshot.metadata);
    updated.putAll(metadata);
    snapshot.metadata = updated;
    snapshot.updatedAt = VolumeClock.now();
    return new LinkedHashMap<>(updated);
  }

  /** One metadata item, or Cinder's 404 naming the key. */
  public String metadataItem(String id, String key, RequestContext caller) {
    Map<String, String> metadata = show(id, caller).metadata;
    if (!metadata.containsKey(key)) {
      throw noSuchKey(id, key);
    }
    return metadata.get(key);
  }

  @Transactional
  public void deleteMetadataItem(String id, String key, RequestContext caller) {
    Snapshot snapshot = locked(id, caller);
    if (!snapshot.metadata.containsKey(key)) {
      throw noSuchKey(id, key);
    }
    Map<String, String> updated = new LinkedHashMap<>(snapshot.metadata);
    updated.remove(key);
    snapshot.metadata = updated;
    snapshot.updatedAt = VolumeClock.now();
  }

  private static CinderFault noSuchKey(String id, String key) {
    return CinderFault.notFound(
        "Snapshot "
            + io.ember.api.fault.Echo.cap(id)
            + " has no metadata with key "
            + io.ember.api.fault.Echo.cap(key)
            + ".");
  }

  private void startDelete(Snapshot snapshot, RequestContext caller) {
    Volume volume = Volume.findById(snapshot.volumeId);
    snapshot.status = SnapshotStatus.DELETING;
    snapshot.updatedAt = VolumeClock.now();
    castDelete(snapshot, volume, caller);
  }

  private void castDelete(Snapshot snapshot, Volume volume, RequestContext caller) {
    hostCommands.deleteSnapshot(deleteCommand(snapshot, volume), caller);
    LOG.infof("snapshot %s deleting on %s", snapshot.id, volume.host);
  }

  /** The {@code delete_snapshot} (or {@code unmanage_snapshot}) command for the volume's host. */
  private static DeleteSnapshot deleteCommand(Snapshot snapshot, Volume volume) {
    return new DeleteSnapshot(
        snapshot.id.toString(),
        snapshot.volumeId.toString(),
        snapshot.projectId,
        volume.host,
        snapshot.volumeSize);
  }

  /** Whether any snapshot of the volume exists, whatever its status. */
  public boolean volumeHasSnapshots(UUID volumeId) {
    return Snapshot.count("volumeId", volumeId) > 0;
  }

  /**
   * A cascaded volume delete: every snapshot of the (locked) volume to {@code deleting} and its
   * {@code delete_snapshot} sent, before the caller sends the volume's own delete on the same key.
   * False, with nothing changed, when one of them may not be deleted (Cinder's
   * volume_has_undeletable_snapshots_filter).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean deleteAllOf(Volume volume, RequestContext caller) {
    List<Snapshot> snapshots =
        Snapshot.<Snapshot>find("volumeId = ?1 order by createdAt", volume.id)
            .withLock(LockModeType.PESSIMISTIC_WRITE)
            .list();
    for (Snapshot snapshot : snapshots) {
      if (!SnapshotStatus.DELETABLE.contains(snapshot.status)
          || !(caller.isAdmin() || snapshot.projectId.equals(caller.projectId()))) {
        return false;
      }
    }
    for (Snapshot snapshot : snapshots) {
      snapshot.status = SnapshotStatus.DELETING;
      snapshot.updatedAt = VolumeClock.now();
      castDelete(snapshot, volume, caller);
    }
    return true;
  }

  /**
   * {@code revert} (3.40): the volume back to its latest snapshot. Checked in Cinder's order: the
   * snapshot named must be the latest and of the volume's size (400), then the volume must be
   * available and the snapshot available (409, as the API turns those errors into conflicts).
   */
  @Transactional
  public void revert(String volumeId, JsonNode args, RequestContext caller) {
    String snapshotId = SnapshotFields.revertSnapshotId(args);
    Volume volume = lockedVolume(volumeId, caller);
    AdminPolicy.require(caller, "volume:revert_to_snapshot", AdminPolicy.Level.MEMBER);
    Snapshot latest =
        Snapshot.<Snapshot>find("volumeId = ?1 order by createdAt desc, id desc", volume.id)
            .withLock(LockModeType.PESSIMISTIC_WRITE)
            .firstResult();
    if (latest == null) {
      throw CinderFault.badRequest("Volume " + volume.id + " doesn't have any snapshots.");
    }
    if (snapshotId == null || !snapshotId.equals(latest.id.toString())) {
      throw CinderFault.badRequest(
          "Specified snapshot "
              + (snapshotId == null ? "None" : io.ember.api.fault.Echo.cap(snapshotId))
              + " is None or not the latest one of volume "
              + volume.id
              + ".");
    }
    if (volume.size != latest.volumeSize) {
      throw CinderFault.badRequest(
          "Can't revert volume "
              + volume.id
              + " to its latest snapshot "
              + latest.id
              + ". The volume size must be equal to the snapshot size.");
    }
    if (!VolumeStatus.AVAILABLE.wire().equals(volume.status)) {
      throw new CinderFault(
          409,
          "Invalid volume: Can't revert volume "
              + volume.id
              + " to its latest snapshot "
              + latest.id
              + ". Volume's status must be 'available'.");
    }
    if (!SnapshotStatus.AVAILABLE.equals(latest.status)) {
      throw new CinderFault(
          409,
          "Invalid snapshot: Can't revert volume "
              + volume.id
              + " to its latest snapshot "
              + latest.id
              + ". Snapshot's status must be 'available'.");
    }
    volume.status = REVERTING;
    volume.updatedAt = VolumeClock.now();
    latest.status = SnapshotStatus.RESTORING;
    latest.updatedAt = volume.updatedAt;
    hostCommands.revert(
        new RevertVolume(
            volume.id.toString(), latest.id.toString(), volume.projectId, volume.host, volume.size),
        caller);
    LOG.infof("volume %s reverting to snapshot %s on %s", volume.id, latest.id, volume.host);
  }

  private static String zoneOf(Snapshot snapshot) {
    Volume volume = Volume.findById(snapshot.volumeId);
    return volume == null ? null : volume.availabilityZone;
  }
}
