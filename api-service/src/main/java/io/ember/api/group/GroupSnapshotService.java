package io.ember.api.group;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.fault.CinderFault;
import io.ember.api.outbound.GroupNotifications;
import io.ember.api.paging.MarkerPage;
import io.ember.api.paging.SortParams;
import io.ember.api.snapshot.Snapshot;
import io.ember.api.snapshot.SnapshotService;
import io.ember.api.snapshot.SnapshotStatus;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volume.VolumeFields;
import io.ember.model.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Group snapshots with Cinder's rules ({@code api/v3/group_snapshots.py}, {@code group/api.py}): a
 * snapshot of every volume of the group, each taken on its volume's host by the snapshot commands;
 * the group snapshot follows its snapshots ({@code available} when all are, {@code error} when one
 * fails, gone with the last one deleted).
 */
@ApplicationScoped
public class GroupSnapshotService {

  private static final Logger LOG = Logger.getLogger(GroupSnapshotService.class);

  private static final Map<String, String> SORT_KEYS =
      Map.of(
          "created_at", "createdAt",
          "updated_at", "updatedAt",
          "id", "id",
          "name", "name",
          "status", "status");

  /** Cinder's {@code GroupSnapshotStatus.ALL}, what {@code reset_status} may set. */
  private static final Set<String> STATUSES =
      Set.of("error", "available", "creating", "deleting", "deleted", "updating", "error_deleting");

  @Inject SnapshotService snapshots;
  @Inject GroupNotifications notifications;

  /** {@code POST /group_snapshots}: the group must be {@code available} and hold volumes. */
  @Transactional
  public GroupSnapshot create(JsonNode body, RequestContext caller) {
    AdminPolicy.require(caller, "group:create_group_snapshot", AdminPolicy.Level.MEMBER);
    JsonNode request = VolumeFields.root(body, "group_snapshot");
    VolumeFields.only(request, Set.of("group_id", "name", "description"));
    String groupId = VolumeFields.optionalString(request, "group_id");
    if (groupId == null) {
      throw CinderFault.badRequest("'group_id' is a required property");
    }
    Group group = GroupService.locked(groupId, caller);
    if (!GroupStatus.AVAILABLE.equals(group.status)) {
      throw GroupService.invalidGroup(
          "Group "
              + group.id
              + " status must be available, but current status is: "
              + group.status
              + ".");
    }
    List<Volume> volumes =
        Volume.<Volume>find("groupId = ?1 order by id", group.id)
            .withLock(LockModeType.PESSIMISTIC_WRITE)
            .list();
    for (Volume volume : volumes) {
      if (!Set.of("available", "in-use").contains(volume.status)) {
        throw CinderFault.invalidVolume(
            "Volume "
                + volume.id
                + " status must be available or in-use, but current status is: "
                + volume.status
                + ".");
      }
    }
    GroupSnapshot snapshot = new GroupSnapshot();
    snapshot.id = UUID.randomUUID();
    snapshot.projectId = group.projectId;
    snapshot.userId = caller.userId();
    snapshot.groupId = group.id;
    snapshot.groupTypeId = group.groupTypeId;
    snapshot.name = VolumeFields.optionalString(request, "name");
    snapshot.description = VolumeFields.optionalString(request, "description");
    snapshot.status = volumes.isEmpty() ? GroupStatus.AVAILABLE : GroupStatus.CREATING;
    snapshot.requestId = caller.requestId();
    snapshot.createdAt = VolumeClock.now();
    snapshot.persist();
    notifications.groupSnapshot(caller, snapshot, group.host, "group_snapshot.create.start");
    snapshots.createForGroup(volumes, snapshot.name, snapshot.description, snapshot.id, caller);
    if (volumes.isEmpty()) {
      notifications.groupSnapshot(caller, snapshot, group.host, "group_snapshot.create.end");
    }
    LOG.infof("group snapshot %s of group %s: %d snapshots", snapshot.id, group.id, volumes.size());
    return snapshot;
  }

  @Transactional
  public MarkerPage<GroupSnapshot> list(
      RequestContext caller, MultivaluedMap<String, String> query) {
    ListFilter filter = ListFilter.of(caller, query);
    List<GroupSnapshot> found =
        GroupSnapshot.<GroupSnapshot>find(
                filter.where(), SortParams.sort(query, SORT_KEYS), filter.params())
            .list();
    return MarkerPage.of(found, query, g -> g.id.toString());
  }

  @Transactional
  public GroupSnapshot show(String id, RequestContext caller) {
    return visible(id, caller);
  }

  /** {@code DELETE /group_snapshots/{id}}: {@code available} or {@code error} only. */
  @Transactional
  public void delete(String id, RequestContext caller) {
    AdminPolicy.require(caller, "group:delete_group_snapshot", AdminPolicy.Level.MEMBER);
    GroupSnapshot snapshot = locked(id, caller);
    if (!Set.of(GroupStatus.AVAILABLE, GroupStatus.ERROR).contains(snapshot.status)
        || Group.count("groupSnapshotId", snapshot.id) > 0) {
      throw CinderFault.badRequest(
          "Invalid GroupSnapshot: GroupSnapshot status must be available or error, and no Group"
              + " can be currently using it as source for its creation.");
    }
    snapshot.status = GroupStatus.DELETING;
    snapshot.updatedAt = VolumeClock.now();
    notifications.groupSnapshot(caller, snapshot, hostOf(snapshot), "group_snapshot.delete.start");
    for (Snapshot member : members(snapshot.id)) {
      snapshots.deleteForGroup(member, caller);
    }
    LOG.infof("group snapshot %s deleting", snapshot.id);
    removeIfDrained(caller, snapshot);
  }

  /** {@code reset_status} (3.19, admin). */
  @Transactional
  public void resetStatus(String id, JsonNode action, RequestContext caller) {
    AdminPolicy.requireRule(caller, "group:reset_group_snapshot_status");
    JsonNode status = action == null ? null : action.get("status");
    if (status == null) {
      throw CinderFault.badRequest("'status' is a required property");
    }
    String value = status.asText().toLowerCase();
    if (!status.isTextual() || !STATUSES.contains(value)) {
      throw CinderFault.badRequest(
          "Invalid GroupSnapshot Status: Group snapshot status: "
              + status.asText()
              + " is not allowed.");
    }
    GroupSnapshot snapshot = locked(id, caller);
    snapshot.status = value;
    snapshot.updatedAt = VolumeClock.now();
    LOG.infof("group snapshot %s reset to %s", snapshot.id, value);
  }

  /**
   * A snapshot was taken or failed: the group snapshot it is part of, while {@code creating}, is
   * {@code available} once all its snapshots are, {@code error} once one failed.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void snapshotSettled(RequestContext context, String snapshotId) {
    UUID id = Volume.parseId(snapshotId);
    Snapshot taken = id == null ? null : Snapshot.findById(id);
    GroupSnapshot snapshot =
        taken == null || taken.groupSnapshotId == null
            ? null
            : GroupSnapshot.findById(taken.groupSnapshotId);
    if (snapshot == null || !GroupStatus.CREATING.equals(snapshot.status)) {
      return;
    }
    List<Snapshot> members = members(snapshot.id);
    if (members.stream().anyMatch(s -> SnapshotStatus.ERROR.equals(s.status))) {
      snapshot.status = GroupStatus.ERROR;
    } else if (members.stream().allMatch(s -> SnapshotStatus.AVAILABLE.equals(s.status))) {
      snapshot.status = GroupStatus.AVAILABLE;
      notifications.groupSnapshot(context, snapshot, hostOf(snapshot), "group_snapshot.create.end");
    } else {
      return;
    }
    snapshot.updatedAt = VolumeClock.now();
    LOG.infof("group snapshot %s %s", snapshot.id, snapshot.status);
  }

  /**
   * A snapshot went: a group snapshot being deleted goes with its last snapshot (its row no longer
   * names the group snapshot, so all of those being deleted, few at a time, are looked at); so does
   * one whose delete timed out ({@code error_deleting}) when its last snapshot's delete comes late.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void snapshotGone(RequestContext context) {
    for (GroupSnapshot snapshot :
        GroupSnapshot.<GroupSnapshot>list(
            "status in ?1", List.of(GroupStatus.DELETING, GroupStatus.ERROR_DELETING))) {
      removeIfDrained(context, snapshot);
    }
  }

  private void removeIfDrained(RequestContext context, GroupSnapshot snapshot) {
    if (Set.of(GroupStatus.DELETING, GroupStatus.ERROR_DELETING).contains(snapshot.status)
        && members(snapshot.id).isEmpty()) {
      snapshot.status = "deleted";
      notifications.groupSnapshot(context, snapshot, hostOf(snapshot), "group_snapshot.delete.end");
      snapshot.delete();
      LOG.infof("group snapshot %s deleted", snapshot.id);
    }
  }

  /** The backend of the group the snapshot is of (what names the notifications' publisher). */
  private static String hostOf(GroupSnapshot snapshot) {
    Group group = Group.findById(snapshot.groupId);
    return group == null ? null : group.host;
  }

  private static List<Snapshot> members(UUID groupSnapshotId) {
    return Snapshot.list("groupSnapshotId", groupSnapshotId);
  }

  private static GroupSnapshot visible(String id, RequestContext caller) {
    UUID uuid = Volume.parseId(id);
    GroupSnapshot snapshot = uuid == null ? null : GroupSnapshot.findById(uuid);
    if (snapshot == null || !(caller.isAdmin() || snapshot.projectId.equals(caller.projectId()))) {
      throw CinderFault.notFound("GroupSnapshot " + id + " could not be found.");
    }
    return snapshot;
  }

  private static GroupSnapshot locked(String id, RequestContext caller) {
    GroupSnapshot snapshot = visible(id, caller);
    GroupSnapshot.getEntityManager().lock(snapshot, LockModeType.PESSIMISTIC_WRITE);
    return snapshot;
  }
}
