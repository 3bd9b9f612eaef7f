package io.ember.api.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.config.ApiConfig;
import io.ember.api.fault.CinderFault;
import io.ember.api.group.Group;
import io.ember.api.group.GroupStatus;
import io.ember.api.outbound.SchedulerCommands;
import io.ember.api.quota.ProjectQuota;
import io.ember.api.quota.Reservation;
import io.ember.api.type.GroupType;
import io.ember.api.type.GroupTypeService;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.type.VolumeTypeService;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volume.VolumeFields;
import io.ember.model.RequestContext;
import io.ember.model.contract.ScheduleGroup;
import io.ember.model.flow.LinearFlow;
import io.ember.model.flow.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
  public static final class Context {
    final JsonNode body;
    final RequestContext caller;
    final ProjectQuota quota;
    String name;
    String description;
    String availabilityZone;
    GroupType groupType;
    List<VolumeTypeCatalog.Entry> volumeTypes = new ArrayList<>();
    Reservation reservation;
    Group group;

    public Context(JsonNode body, RequestContext caller, ProjectQuota quota) {
      this.body = body;
      this.caller = caller;
      this.quota = quota;
    }

    public Group group() {
      return group;
    }
  }

  public void run(Context context) {
    LinearFlow.of(
            "group:create_api",
            new ExtractGroupRequestTask(),
            new GroupQuotaReserveTask(),
            new GroupEntryCreateTask(),
            new GroupQuotaCommitTask(),
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

  /** Holds one {@code groups}; a 413 here leaves nothing behind. */
  static final class GroupQuotaReserveTask implements Task<Context> {

    @Override
    public void execute(Context context) {
      context.reservation = context.quota.reserve(GROUP_QUOTA);
    }

    @Override
    public void revert(Context context, Throwable cause) {
      context.quota.rollback(context.reservation);
    }
  }

  /** The group's row in {@code creating}; reverting removes it. */
  static final class GroupEntryCreateTask implements Task<Context> {

    @Override
    public void execute(Context context) {
      Group group = new Group();
      group.id = UUID.randomUUID();
      group.projectId = context.caller.projectId();
      group.userId = context.caller.userId();
      group.name = context.name;
      group.description = context.description;
      group.status = GroupStatus.CREATING;
      group.availabilityZone = context.availabilityZone;
      group.groupTypeId = context.groupType.id;
      group.volumeTypeIds =
          new ArrayList<>(context.volumeTypes.stream().map(VolumeTypeCatalog.Entry::id).toList());
      group.requestId = context.caller.requestId();
      group.createdAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
      group.persist();
      context.group = group;
    }

    @Override
    public void revert(Context context, Throwable cause) {
      if (context.group != null) {
        context.group.delete();
      }
    }
  }

  /** Turns the reservation into usage; reverting gives it back. */
  static final class GroupQuotaCommitTask implements Task<Context> {

    @Override
    public void execute(Context context) {
      context.quota.commit(context.reservation);
    }

    @Override
    public void revert(Context context, Throwable cause) {
      context.quota.release(GROUP_QUOTA);
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
