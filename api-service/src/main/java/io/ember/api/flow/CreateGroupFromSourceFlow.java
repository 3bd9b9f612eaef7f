package io.ember.api.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ember.api.fault.CinderFault;
import io.ember.api.group.Group;
import io.ember.api.group.GroupSnapshot;
import io.ember.api.qos.PyRepr;
import io.ember.api.quota.ProjectQuota;
import io.ember.api.snapshot.Snapshot;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeFields;
import io.ember.model.RequestContext;
import io.ember.model.flow.FlowFailedException;
import io.ember.model.flow.LinearFlow;
import io.ember.model.flow.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A group made from a source, as Cinder's {@code group/api.py create_from_src}: extract the request
 * and the source (a group snapshot or a group; its group type, volume types, zone and backend) →
 * reserve the {@code groups} quota → the group's entry in {@code creating} on the source's backend
 * → commit the quota → one volume per snapshot of the group snapshot (or per volume of the source
 * group), each through the create-volume flow from that snapshot (or as a clone of that volume),
 * which charges its quota and casts it to the scheduler. The group becomes {@code available} when
 * all its volumes are ({@code GroupService.memberCreated}).
 *
 * <p>The caller runs it in one transaction: a refusal at any step (a 413 for the fifth volume
 * included) reverts the tasks and rolls back the rows, the quota and the casts of the volumes
 * already made, so nothing is left.
 */
@ApplicationScoped
public class CreateGroupFromSourceFlow {

  static final String ACTION = "create-from-src";

  @Inject CreateVolumeFlow volumeFlow;

  /** What the tasks share. */
  public static final class Context extends GroupCreateTasks.Context {
    GroupSnapshot groupSnapshot;
    Group sourceGroup;

    /** The group the source's group type, volume types, zone and backend come from. */
    Group origin;

    /** The snapshots of the group snapshot, or the volumes of the source group. */
    List<Snapshot> snapshots = List.of();

    List<Volume> sourceVolumes = List.of();
    final List<CreateVolumeContext> members = new ArrayList<>();

    public Context(JsonNode body, RequestContext caller, ProjectQuota quota) {
      super(body, caller, quota);
    }

    /** The volumes made for the group, in the source's order. */
    public List<Volume> volumes() {
      return members.stream().map(CreateVolumeContext::volume).toList();
    }
  }

  public void run(Context context) {
    LinearFlow.of(
            "group:create_from_src_api",
            new ExtractSourceTask(),
            new GroupCreateTasks.QuotaReserve<>(),
            new EntryCreateTask(),
            new GroupCreateTasks.QuotaCommit<>(),
            new MemberVolumesCreateTask())
        .run(context);
  }

  /**
   * Cinder's schema ({@code create_from_source}: exactly one source, each a uuid), then the source
   * as the caller may see it (404 otherwise) and its members: an empty source makes no group.
   */
  static final class ExtractSourceTask implements Task<Context> {

    @Override
    public void execute(Context context) {
      JsonNode request = VolumeFields.root(context.body, ACTION);
      VolumeFields.only(
          request, Set.of("name", "description", "group_snapshot_id", "source_group_id"));
      boolean fromSnapshot = request.has("group_snapshot_id");
      boolean fromGroup = request.has("source_group_id");
      if (fromSnapshot == fromGroup) {
        String repr = PyRepr.of(request);
        throw CinderFault.badRequest(
            "Invalid input for field/attribute "
                + ACTION
                + ". Value: "
                + repr
                + ". "
                + repr
                + (fromSnapshot
                    ? " is valid under each of {'required': ['group_snapshot_id']}, {'required':"
                        + " ['source_group_id']}"
                    : " is not valid under any of the given schemas"));
      }
      context.name = stripped(VolumeFields.optionalString(request, "name"));
      context.description = stripped(VolumeFields.optionalString(request, "description"));
      if (fromSnapshot) {
        String id = uuid(request, "group_snapshot_id");
        GroupSnapshot snapshot = GroupSnapshot.findById(UUID.fromString(id));
        if (snapshot == null || !visible(snapshot.projectId, context.caller)) {
          throw CinderFault.notFound("GroupSnapshot " + id + " could not be found.");
        }
        context.groupSnapshot = snapshot;
        context.origin = Group.findById(snapshot.groupId);
        context.snapshots =
            Snapshot.list("groupSnapshotId = ?1 order by createdAt, id", snapshot.id);
        if (context.snapshots.isEmpty()) {
          throw invalidGroup("Group snapshot is empty. No group will be created.");
        }
      } else {
        String id = uuid(request, "source_group_id");
        Group source = Group.findById(UUID.fromString(id));
        if (source == null || !visible(source.projectId, context.caller)) {
          throw CinderFault.notFound("Group " + id + " could not be found.");
        }
        context.sourceGroup = source;
        context.origin = source;
        context.sourceVolumes = Volume.list("groupId = ?1 order by createdAt, id", source.id);
        if (context.sourceVolumes.isEmpty()) {
          throw invalidGroup("Source Group is empty. No group will be created.");
        }
      }
    }

    private static String uuid(JsonNode request, String field) {
      JsonNode value = request.get(field);
      String text = value.isTextual() ? value.asText() : null;
      if (text == null || Volume.parseId(text) == null) {
        throw VolumeFields.invalidField(field, value, PyRepr.of(value) + " is not a 'uuid'");
      }
      return text;
    }

    private static String stripped(String value) {
      return value == null ? null : value.strip();
    }
  }

  /**
   * The group's row in {@code creating}, of the source's group type, volume types and zone, on the
   * backend that holds the source (Cinder copies the origin group's host); a source never placed
   * has no backend to create on.
   */
  static final class EntryCreateTask extends GroupCreateTasks.EntryCreate<Context> {

    @Override
    void describe(Context context, Group group) {
      Group origin = context.origin;
      if (origin == null || origin.host == null) {
        throw invalidGroup("No valid host to create group " + group.id + ".");
      }
      group.availabilityZone = origin.availabilityZone;
      group.groupTypeId = origin.groupTypeId;
      group.host = origin.host;
      group.volumeTypeIds = new ArrayList<>(origin.volumeTypeIds);
      group.groupSnapshotId = context.groupSnapshot == null ? null : context.groupSnapshot.id;
      group.sourceGroupId = context.sourceGroup == null ? null : context.sourceGroup.id;
    }
  }

  /**
   * One volume per member of the source, of its size and type, in the new group, through the
   * create-volume flow (from the snapshot, or a clone of the volume): its checks, its quota in the
   * same ledger, its cast to the scheduler, which places it where its source is. A volume's type
   * the group does not list yet is added, as Cinder maps each snapshot's type to the group.
   */
  final class MemberVolumesCreateTask implements Task<Context> {

    @Override
    public void execute(Context context) {
      for (Snapshot snapshot : context.snapshots) {
        create(context, "snapshot_id", snapshot.id, snapshot.volumeSize, snapshot.volumeTypeId);
      }
      for (Volume source : context.sourceVolumes) {
        create(context, "source_volid", source.id, source.size, source.volumeTypeId);
      }
    }

    private void create(Context context, String sourceField, UUID source, int size, UUID type) {
      Group group = context.group;
      if (type != null && !group.volumeTypeIds.contains(type)) {
        group.volumeTypeIds.add(type);
      }
      ObjectNode volume = JsonNodeFactory.instance.objectNode();
      volume.put("size", size);
      volume.put(sourceField, source.toString());
      if (type != null) {
        volume.put("volume_type", type.toString());
      }
      volume.put("availability_zone", group.availabilityZone);
      volume.put("group_id", group.id.toString());
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.set("volume", volume);
      CreateVolumeContext member = new CreateVolumeContext(body, context.caller);
      member.useQuota(context.quota);
      try {
        volumeFlow.build().run(member);
      } catch (FlowFailedException reverted) {
        throw reverted.getCause() instanceof RuntimeException cause ? cause : reverted;
      }
      context.members.add(member);
    }

    /** The volumes made so far go with their quota; their casts go with the transaction. */
    @Override
    public void revert(Context context, Throwable cause) {
      for (CreateVolumeContext member : context.members) {
        member.volume().delete();
        context.quota.release(member.quotaDeltas);
      }
      context.members.clear();
    }
  }

  private static boolean visible(String projectId, RequestContext caller) {
    return caller.isAdmin() || projectId.equals(caller.projectId());
  }

  private static CinderFault invalidGroup(String reason) {
    return CinderFault.badRequest("Invalid Group: " + reason);
  }
}
