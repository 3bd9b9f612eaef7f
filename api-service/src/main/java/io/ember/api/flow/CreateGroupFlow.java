package io.ember.api.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.config.ApiConfig;
import io.ember.api.fault.CinderFault;
import io.ember.api.group.Group;
import io.ember.api.outbound.SchedulerCommands;
import io.ember.api.quota.ProjectQuota;
import io.ember.api.type.GroupType;
import io.ember.api.type.GroupTypeService;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.type.VolumeTypeService;
import io.ember.api.volume.VolumeFields;
import io.ember.model.RequestContext;
import io.ember.model.contract.ScheduleGroup;
import io.ember.model.flow.LinearFlow;
import io.ember.model.flow.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The api side of a group create, as Cinder's {@code group/api.py create}: extract and validate
 * (group type, volume types, zone) → reserve the {@code groups} quota → entry in {@code creating} →
 * commit the quota → cast {@code schedule_group} to the scheduler (outbox, same transaction).
 */
@ApplicationScoped
public class CreateGroupFlow {

  /** The quota a group takes. */
  public static final Map<String, Integer> GROUP_QUOTA = Map.of("groups", 1);

  @Inject ApiConfig config;
  @Inject VolumeTypeCatalog types;
  @Inject SchedulerCommands scheduler;

  /** What the tasks share. */
  public static final class Context extends GroupCreateTasks.Context {
    String availabilityZone;
    GroupType groupType;
    List<VolumeTypeCatalog.Entry> volumeTypes = new ArrayList<>();

    public Context(JsonNode body, RequestContext caller, ProjectQuota quota) {
      super(body, caller, quota);
    }
  }

  public void run(Context context) {
    LinearFlow.of(
            "group:create_api",
            new ExtractGroupRequestTask(),
            new GroupCreateTasks.QuotaReserve<>(),
            new GroupEntryCreateTask(),
            new GroupCreateTasks.QuotaCommit<>(),
            new GroupCastTask())
        .run(context);
  }

  /** Cinder's request schema ({@code schemas/groups.py}) and the look-ups of the types. */
  final class ExtractGroupRequestTask implements Task<Context> {

    @Override
    public void execute(Context context) {
      JsonNode group = VolumeFields.root(context.body, "group");
      VolumeFields.only(
          group, Set.of("name", "description", "group_type", "volume_types", "availability_zone"));
      if (!group.has("group_type")) {
        throw CinderFault.badRequest("'group_type' is a required property");
      }
      if (!group.has("volume_types")) {
        throw CinderFault.badRequest("'volume_types' is a required property");
      }
      context.name = VolumeFields.optionalString(group, "name");
      context.description = VolumeFields.optionalString(group, "description");
      String groupType = VolumeFields.optionalString(group, "group_type");
      JsonNode volumeTypes = group.get("volume_types");
      if (!volumeTypes.isArray()) {
        throw VolumeFields.invalidField(
            "volume_types", volumeTypes, volumeTypes + " is not of type 'array'");
      }
      if (volumeTypes.isEmpty()) {
        throw VolumeFields.invalidField("volume_types", volumeTypes, "[] is too short");
      }
      context.groupType = GroupTypeService.byIdOrName(groupType, context.caller);
      for (JsonNode asked : volumeTypes) {
        if (!asked.isTextual()) {
          throw VolumeFields.invalidField(
              "volume_types", asked, asked + " is not of type 'string'");
        }
        VolumeTypeCatalog.Entry type =
            types.usable(asked.asText(), context.caller.projectId(), context.caller.isAdmin());
        if (type == null) {
          throw VolumeTypeService.notFound(asked.asText());
        }
        if (context.volumeTypes.stream().noneMatch(t -> t.id().equals(type.id()))) {
          context.volumeTypes.add(type);
        }
      }
      String zone = VolumeFields.optionalString(group, "availability_zone");
      if (zone != null && !config.availabilityZones().contains(zone)) {
        throw CinderFault.invalidInput("Availability zone '" + zone + "' is invalid.");
      }
      context.availabilityZone = zone != null ? zone : config.defaultAvailabilityZone();
    }
  }

  /** The group's row in {@code creating}, of the types and zone asked for. */
  static final class GroupEntryCreateTask extends GroupCreateTasks.EntryCreate<Context> {

    @Override
    void describe(Context context, Group group) {
      group.availabilityZone = context.availabilityZone;
      group.groupTypeId = context.groupType.id;
      group.volumeTypeIds =
          new ArrayList<>(context.volumeTypes.stream().map(VolumeTypeCatalog.Entry::id).toList());
    }
  }

  /** Casts {@code schedule_group}, through the outbox, in the transaction of the row. */
  final class GroupCastTask implements Task<Context> {

    @Override
    public void execute(Context context) {
      Group group = context.group;
      scheduler.scheduleGroup(
          new ScheduleGroup(
              group.id.toString(),
              group.projectId,
              group.availabilityZone,
              group.groupTypeId.toString(),
              context.groupType.groupSpecs,
              context.volumeTypes.stream()
                  .map(t -> new ScheduleGroup.GroupVolumeType(t.id().toString(), t.extraSpecs()))
                  .toList()),
          context.caller);
    }
  }
}
