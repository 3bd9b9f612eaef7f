package io.ember.api.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.fault.CinderFault;
import io.ember.api.group.Group;
import io.ember.api.group.GroupStatus;
import io.ember.api.volume.Volume;
import io.ember.model.flow.Task;
import java.util.Set;
import java.util.UUID;

/**
 * The group part of Cinder's volume create ({@code group_id}, 3.13): the group must be the
 * caller's, {@code available} or {@code creating}, and allow the volume's type; the volume goes to
 * the group's backend.
 */
public class VolumeGroupTask implements Task<CreateVolumeContext> {

  private static final Set<String> USABLE = Set.of(GroupStatus.AVAILABLE, GroupStatus.CREATING);

  @Override
  public void execute(CreateVolumeContext context) {
    JsonNode asked = context.body.path("volume").get("group_id");
    if (asked == null || asked.isNull()) {
      return;
    }
    UUID id = Volume.parseId(asked.asText());
    Group group = id == null ? null : Group.findById(id);
    if (group == null
        || !(context.caller.isAdmin() || group.projectId.equals(context.caller.projectId()))) {
      throw CinderFault.notFound("Group " + asked.asText() + " could not be found.");
    }
    if (context.type == null || !group.volumeTypeIds.contains(context.type.id())) {
      throw CinderFault.invalidInput(
          "Invalid volume_type provided: "
              + (context.type == null ? null : context.type.id())
              + " (requested type must be supported by this group).");
    }
    if (!USABLE.contains(group.status)) {
      throw CinderFault.invalidInput(
          "Originating group status must be one of 'available, creating' values");
    }
    if (context.snapshotId == null && context.sourceVolid == null) {
      context.sourceHost = group.host;
    }
    context.groupId = group.id;
  }
}
