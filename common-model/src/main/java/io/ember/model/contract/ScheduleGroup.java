package io.ember.model.contract;

import java.util.List;
import java.util.Map;

/**
 * api → scheduler: place a new generic volume group (Cinder's {@code create_group} cast to the
 * scheduler). The chosen pool must suit the group's specs and every volume type it allows.
 *
 * @param volumeTypes one entry per volume type of the group, in the order asked for
 */
public record ScheduleGroup(
    String groupId,
    String projectId,
    String availabilityZone,
    String groupTypeId,
    Map<String, String> groupSpecs,
    List<GroupVolumeType> volumeTypes) {

  public ScheduleGroup {
    groupSpecs = groupSpecs == null ? Map.of() : Map.copyOf(groupSpecs);
    volumeTypes = volumeTypes == null ? List.of() : List.copyOf(volumeTypes);
  }

  /** A volume type the group allows, with the extra specs the pool must satisfy. */
  public record GroupVolumeType(String volumeTypeId, Map<String, String> extraSpecs) {

    public GroupVolumeType {
      extraSpecs = extraSpecs == null ? Map.of() : Map.copyOf(extraSpecs);
    }
  }
}
