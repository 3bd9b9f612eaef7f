package io.ember.api.group;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.fault.CinderFault;
import io.ember.api.flow.CreateGroupFlow;
import io.ember.api.flow.CreateGroupFromSourceFlow;
import io.ember.api.outbound.GroupNotifications;
import io.ember.api.paging.MarkerPage;
import io.ember.api.paging.SortParams;
import io.ember.api.quota.QuotaLedger;
import io.ember.api.quota.QuotaService;
import io.ember.api.snapshot.Snapshot;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volume.VolumeFields;
import io.ember.api.volumeops.VolumeService;
import io.ember.model.RequestContext;
import io.ember.model.contract.GroupCreateFailed;
import io.ember.model.contract.GroupCreated;
import io.ember.model.flow.FlowFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Generic volume groups with Cinder's rules ({@code api/v3/groups.py}, {@code group/api.py}):
 * create through {@link CreateGroupFlow}, the placement from the scheduler's event; update moves
 * volumes in and out; delete with {@code delete-volumes} deletes the volumes on their host and the
 * group goes with its last volume.
 */
@ApplicationScoped
public class GroupService {

  private static final Logger LOG = Logger.getLogger(GroupService.class);

  private static final Map<String, String> SORT_KEYS =
      Map.of(
          "created_at", "createdAt",
          "updated_at", "updatedAt",
          "id", "id",
          "name", "name",
          "status", "status");

  /** Cinder's {@code VALID_REMOVE_VOL_FROM_GROUP_STATUS}. */
  private static final List<String> REMOVABLE =
      List.of("available", "in-use", "error", "error_deleting");

  /** Cinder's {@code VALID_ADD_VOL_TO_GROUP_STATUS}. */
  private static final List<String> ADDABLE = List.of("available", "in-use");

  @Inject CreateGroupFlow createFlow;
  @Inject CreateGroupFromSourceFlow fromSourceFlow;
  @Inject EntityManager em;
  @Inject QuotaService quotas;
  @Inject VolumeService volumes;
  @Inject GroupNotifications notifications;

  @Transactional
  public Group create(JsonNode body, RequestContext caller) {
    Group group =
        withQuota(
            caller,
            quota -> {
              CreateGroupFlow.Context context = new CreateGroupFlow.Context(body, caller, quota);
              createFlow.run(context);
              return context.group();
            });
    LOG.infof("group %s creating (type %s)", group.id, group.groupTypeId);
    return group;
  }

  /**
   * {@code POST /groups/action {"create-from-src": ...}} (3.14): the group and one volume per
   * member of the source, quota and casts in one transaction ({@link CreateGroupFromSourceFlow}).
   */
  @Transactional
  public Group createFromSource(JsonNode body, RequestContext caller) {
    CreateGroupFromSourceFlow.Context made =
        withQuota(
            caller,
            quota -> {
              CreateGroupFromSourceFlow.Context context =
                  new CreateGroupFromSourceFlow.Context(body, caller, quota);
              fromSourceFlow.run(context);
              return context;
            });
    Group group = made.group();
    // Cinder's manager starts create_group_from_src here: the group is on its backend already.
    notifications.group(caller, group, "group.create.start", group.status);
    LOG.infof(
        "group %s creating from %s %s with %d volumes on %s",
        group.id,
        group.groupSnapshotId != null ? "group snapshot" : "group",
        group.groupSnapshotId != null ? group.groupSnapshotId : group.sourceGroupId,
        made.volumes().size(),
        group.host);
    return group;
  }

  /**
   * Runs a create flow with the project's quota ledger, closed once it ran; a flow that reverted
   * throws what made it revert (a {@link CinderFault} is the answer).
   */
  private <T> T withQuota(RequestContext caller, Function<QuotaLedger, T> flow) {
    QuotaLedger quota = quotas.open(caller.projectId());
    T made;
    try {
      made = flow.apply(quota);
    } catch (FlowFailedException reverted) {
      throw reverted.getCause() instanceof RuntimeException cause ? cause : reverted;
    }
    quotas.close(quota);
    return made;
  }

  /**
   * A volume of a group was created or failed: a group still {@code creating} (one made from a
   * source) is {@code available} once all its volumes are, {@code error} once one failed. Groups
   * placed by the scheduler are not {@code creating} with members, as volumes join only groups
   * placed. The caller asks only about a group's members (the create event's statement tells).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void memberSettled(RequestContext context, String volumeId) {
    UUID id = Volume.parseId(volumeId);
    Volume volume = id == null ? null : Volume.findById(id);
    if (volume == null || volume.groupId == null) {
      return;
    }
    Group group = Group.findById(volume.groupId, LockModeType.PESSIMISTIC_WRITE);
    if (group == null || !GroupStatus.CREATING.equals(group.status)) {
      return;
    }
    @SuppressWarnings("unchecked")
    List<String> statuses =
        em.createNativeQuery("select status from volumes where group_id = :g", String.class)
            .setParameter("g", group.id)
            .getResultList();
    if (statuses.contains("error")) {
      group.status = GroupStatus.ERROR;
    } else if (statuses.stream().allMatch("available"::equals)) {
      group.status = GroupStatus.AVAILABLE;
      notifications.group(context, group, "group.create.end", group.status);
    } else {
      return;
    }
    group.updatedAt = VolumeClock.now();
    LOG.infof("group %s %s: its %d volumes settled", group.id, group.status, statuses.size());
  }

  /** {@code GET /groups[/detail]}: the caller's project's (every project's for an admin asking). */
  @Transactional
  public MarkerPage<Group> list(RequestContext caller, MultivaluedMap<String, String> query) {
    ListFilter filter = ListFilter.of(caller, query);
    List<Group> found =
        Group.<Group>find(filter.where(), SortParams.sort(query, SORT_KEYS), filter.params())
            .list();
    return MarkerPage.of(found, query, g -> g.id.toString());
  }

  @Transactional
  public Group show(String id, RequestContext caller) {
    return visible(id, caller);
  }

  /** The ids of the group's volumes, for the 3.25 {@code volumes} list. */
  @Transactional
  public List<String> volumeIds(UUID groupId) {
    return Volume.<Volume>list("groupId = ?1 order by createdAt", groupId).stream()
        .map(v -> v.id.toString())
        .toList();
  }

  /** {@code PUT /groups/{id}}: name, description, add_volumes, remove_volumes (comma lists). */
  @Transactional
  public void update(String id, JsonNode body, RequestContext caller) {
    JsonNode request = VolumeFields.root(body, "group");
    VolumeFields.only(request, Set.of("name", "description", "add_volumes", "remove_volumes"));
    String name = VolumeFields.optionalString(request, "name");
    String description = VolumeFields.optionalString(request, "description");
    List<String> add = idList(VolumeFields.optionalString(request, "add_volumes"));
    List<String> remove = idList(VolumeFields.optionalString(request, "remove_volumes"));
    if (name == null && description == null && add.isEmpty() && remove.isEmpty()) {
      throw CinderFault.badRequest(
          "Name, description, add_volumes, and remove_volumes can not be all empty in the"
              + " request body.");
    }
    Group group = locked(id, caller);
    List<String> both = add.stream().filter(remove::contains).toList();
    if (!both.isEmpty()) {
      throw CinderFault.invalidVolume(
          "UUIDs " + pyList(both) + " are in both add and remove volume list.");
    }
    if (name != null && name.equals(group.name)) {
      name = null;
    }
    if (description != null && description.equals(group.description)) {
      description = null;
    }
    List<Volume> members = Volume.list("groupId", group.id);
    List<Volume> toRemove = removable(group, members, remove);
    List<Volume> toAdd = addable(group, members, add, caller);
    if (name == null && description == null && toAdd.isEmpty() && toRemove.isEmpty()) {
      throw invalidGroup(
          "Cannot update group "
              + group.id
              + " because no valid name, description, add_volumes, or remove_volumes were"
              + " provided.");
    }
    if ((!toAdd.isEmpty() || !toRemove.isEmpty()) && !GroupStatus.AVAILABLE.equals(group.status)) {
      throw invalidGroup("Group status must be available.");
    }
    if (name != null) {
      group.name = name;
    }
    if (description != null) {
      group.description = description;
    }
    // A generic group has nothing on the backend to change: the membership is the record.
    boolean membership = !toAdd.isEmpty() || !toRemove.isEmpty();
    if (membership) {
      // Cinder's manager runs update_group (and notifies) only when the membership changes.
      notifications.group(caller, group, "group.update.start", GroupStatus.UPDATING);
    }
    toRemove.forEach(v -> v.groupId = null);
    toAdd.forEach(v -> v.groupId = group.id);
    group.status = GroupStatus.AVAILABLE;
    group.updatedAt = VolumeClock.now();
    if (membership) {
      notifications.group(caller, group, "group.update.end", group.status);
    }
    LOG.infof(
        "group %s updated: %d volumes added, %d removed", group.id, toAdd.size(), toRemove.size());
  }

  /** {@code POST /groups/{id}/action {"delete": {"delete-volumes": bool}}}. */
  @Transactional
  public void delete(String id, boolean deleteVolumes, RequestContext caller) {
    AdminPolicy.require(caller, "group:delete", AdminPolicy.Level.MEMBER);
    Group group = locked(id, caller);
    if (group.host == null) {
      group.delete();
      quotas.release(group.projectId, CreateGroupFlow.GROUP_QUOTA);
      LOG.infof("group %s deleted (never placed)", group.id);
      return;
    }
    if (!deleteVolumes
        && !Set.of(GroupStatus.AVAILABLE, GroupStatus.ERROR).contains(group.status)) {
      throw invalidGroup(
          "Group status must be available or error, but current status is: " + group.status);
    }
    if (GroupSnapshot.count("groupId", group.id) > 0) {
      throw invalidGroup("Group has existing snapshots.");
    }
    List<Volume> members =
        Volume.<Volume>find("groupId = ?1 order by id", group.id)
            .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
            .list();
    if (!members.isEmpty() && !deleteVolumes) {
      throw invalidGroup(
          "Group "
              + group.id
              + " still contains volumes. The delete-volumes flag is required to delete it.");
    }
    for (Volume volume : members) {
      if ("attached".equals(volume.attachStatus)) {
        throw invalidGroup("Volume in group " + group.id + " is attached. Need to detach first.");
      }
      if (Snapshot.count("volumeId", volume.id) > 0) {
        throw invalidGroup("Volume in group still has dependent snapshots.");
      }
    }
    group.status = GroupStatus.DELETING;
    group.updatedAt = VolumeClock.now();
    notifications.group(caller, group, "group.delete.start", group.status);
    for (Volume volume : members) {
      volumes.deleteGroupMember(volume, caller);
    }
    LOG.infof("group %s deleting with %d volumes", group.id, members.size());
    removeIfDrained(caller, group);
  }

  /** {@code reset_status} (3.20, admin): any of Cinder's group statuses. */
  @Transactional
  public void resetStatus(String id, JsonNode action, RequestContext caller) {
    AdminPolicy.requireRule(caller, "group:reset_status");
    if (action == null || !action.isObject()) {
      throw CinderFault.badRequest(
          "Invalid input received: " + action + " is not of type 'object'");
    }
    JsonNode status = action.get("status");
    if (status == null) {
      throw CinderFault.badRequest("'status' is a required property");
    }
    String value = status.asText().toLowerCase();
    if (!status.isTextual() || !GroupStatus.ALL.contains(value)) {
      throw invalidGroupStatus("Group status " + status.asText() + " not allowed.");
    }
    Group group = locked(id, caller);
    group.status = value;
    group.updatedAt = VolumeClock.now();
    LOG.infof("group %s reset to %s", group.id, value);
  }

  /** The scheduler placed the group: it records the pool and becomes {@code available}. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void created(RequestContext context, GroupCreated event) {
    Group group = find(event.groupId());
    if (group == null || !GroupStatus.CREATING.equals(group.status)) {
      LOG.infof("group %s created event ignored (status %s)", event.groupId(), status(group));
      return;
    }
    group.host = event.pool();
    // The scheduler's placement is where Cinder's manager runs create_group, start to end.
    notifications.group(context, group, "group.create.start", group.status);
    group.status = GroupStatus.AVAILABLE;
    group.updatedAt = VolumeClock.now();
    notifications.group(context, group, "group.create.end", group.status);
    LOG.infof("group %s available on %s", group.id, group.host);
  }

  /** No pool suits the group: {@code error}; its quota stays until it is deleted, as Cinder. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void createFailed(GroupCreateFailed event) {
    Group group = find(event.groupId());
    if (group == null || !GroupStatus.CREATING.equals(group.status)) {
      LOG.infof("group %s create_failed ignored (status %s)", event.groupId(), status(group));
      return;
    }
    group.status = GroupStatus.ERROR;
    group.updatedAt = VolumeClock.now();
    LOG.infof("group %s error: %s", group.id, event.reason());
  }

  /**
   * A member of {@code groupId} is gone: if the group is being deleted and that was its last
   * volume, the group goes too, its quota given back.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void memberGone(RequestContext context, UUID groupId) {
    Group group = Group.findById(groupId, LockModeType.PESSIMISTIC_WRITE);
    if (group != null) {
      removeIfDrained(context, group);
    }
  }

  private void removeIfDrained(RequestContext context, Group group) {
    if (GroupStatus.DELETING.equals(group.status) && Volume.count("groupId", group.id) == 0) {
      notifications.group(context, group, "group.delete.end", "deleted");
      group.delete();
      quotas.release(group.projectId, CreateGroupFlow.GROUP_QUOTA);
      LOG.infof("group %s deleted, quota released", group.id);
    }
  }

  private List<Volume> removable(Group group, List<Volume> members, List<String> remove) {
    List<Volume> found = new ArrayList<>();
    for (Volume volume : members) {
      if (remove.contains(volume.id.toString())) {
        if (!REMOVABLE.contains(volume.status)) {
          throw CinderFault.invalidVolume(
              "Cannot remove volume "
                  + volume.id
                  + " from group "
                  + group.id
                  + " because volume is in an invalid state: "
                  + volume.status
                  + ". Valid states are: "
                  + pyTuple(REMOVABLE)
                  + ".");
        }
        found.add(volume);
      }
    }
    for (String id : remove) {
      if (found.stream().noneMatch(v -> v.id.toString().equals(id))) {
        throw CinderFault.invalidVolume(
            "Cannot remove volume "
                + id
                + " from group "
                + group.id
                + " because it is not in"
                + " the group.");
      }
    }
    return found;
  }

  private List<Volume> addable(
      Group group, List<Volume> members, List<String> add, RequestContext caller) {
    List<Volume> found = new ArrayList<>();
    for (String id : add) {
      if (members.stream().anyMatch(v -> v.id.toString().equals(id))) {
        continue;
      }
      UUID uuid = Volume.parseId(id);
      Volume volume = uuid == null ? null : Volume.findById(uuid);
      if (volume == null || !(caller.isAdmin() || volume.projectId.equals(caller.projectId()))) {
        throw CinderFault.invalidVolume(
            "Cannot add volume "
                + id
                + " to group "
                + group.id
                + " because volume cannot be found.");
      }
      String prefix = "Cannot add volume " + volume.id + " to group " + group.id;
      if (volume.groupId != null) {
        throw CinderFault.invalidVolume(
            prefix + " because it is already in group " + volume.groupId + ".");
      }
      if (!volume.projectId.equals(group.projectId)) {
        throw CinderFault.invalidVolume(prefix + " as they belong to different projects.");
      }
      if (volume.volumeTypeId == null) {
        throw CinderFault.invalidVolume(prefix + " because it has no volume type.");
      }
      if (!group.volumeTypeIds.contains(volume.volumeTypeId)) {
        throw CinderFault.invalidVolume(
            prefix
                + " because volume type "
                + volume.volumeTypeId
                + " is not supported by the group.");
      }
      if (!ADDABLE.contains(volume.status)) {
        throw CinderFault.invalidVolume(
            prefix
                + " because volume is in an invalid state: "
                + volume.status
                + ". Valid states are: "
                + pyTuple(ADDABLE)
                + ".");
      }
      if (!backend(volume.host).equals(backend(group.host))) {
        throw CinderFault.invalidVolume("Volume is not local to this node.");
      }
      found.add(volume);
    }
    return found;
  }

  /** {@code host@backend} of a pool, as Cinder's {@code extract_host}. */
  private static String backend(String pool) {
    if (pool == null) {
      return "";
    }
    int hash = pool.indexOf('#');
    return hash < 0 ? pool : pool.substring(0, hash);
  }

  private static List<String> idList(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    Set<String> ids = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        ids.add(part.trim());
      }
    }
    return List.copyOf(ids);
  }

  private static String pyList(List<String> items) {
    return items.stream().map(i -> "'" + i + "'").toList().toString();
  }

  private static String pyTuple(List<String> items) {
    return "(" + String.join(", ", items.stream().map(i -> "'" + i + "'").toList()) + ")";
  }

  static CinderFault invalidGroup(String reason) {
    return CinderFault.badRequest("Invalid Group: " + reason);
  }

  private static CinderFault invalidGroupStatus(String reason) {
    return CinderFault.badRequest("Invalid Group Status: " + reason);
  }

  /** The group if the caller may see it (its project's, or any for an admin), else 404. */
  private static Group visible(String id, RequestContext caller) {
    Group group = find(id);
    if (group == null || !(caller.isAdmin() || group.projectId.equals(caller.projectId()))) {
      throw CinderFault.notFound("Group " + id + " could not be found.");
    }
    return group;
  }

  static Group locked(String id, RequestContext caller) {
    Group group = visible(id, caller);
    Group.getEntityManager().lock(group, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    return group;
  }

  private static Group find(String id) {
    UUID uuid = Volume.parseId(id);
    return uuid == null ? null : Group.findById(uuid);
  }

  private static String status(Group group) {
    return group == null ? "gone" : group.status;
  }
}
