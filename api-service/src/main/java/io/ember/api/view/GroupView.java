package io.ember.api.view;

import io.ember.api.group.Group;
import io.ember.api.microversion.ApiVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Groups in Cinder's shapes ({@code api/v3/views/groups.py}): the summary is id and name; the
 * detail adds {@code group_snapshot_id}/{@code source_group_id} from 3.14, the volumes from 3.25
 * when asked ({@code list_volume}), {@code replication_status} from 3.38 and the project to admins
 * from 3.58.
 */
public final class GroupView {

  private final ApiVersion version;
  private final boolean admin;
  private final boolean listVolumes;
  private final Function<UUID, List<String>> volumesOf;

  public GroupView(
      ApiVersion version,
      boolean admin,
      boolean listVolumes,
      Function<UUID, List<String>> volumesOf) {
    this.version = version;
    this.admin = admin;
    this.listVolumes = listVolumes;
    this.volumesOf = volumesOf;
  }

  public static Map<String, Object> summary(Group g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", g.id.toString());
    m.put("name", g.name);
    return m;
  }

  public Map<String, Object> detail(Group g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", g.id.toString());
    m.put("status", g.status);
    m.put("availability_zone", g.availabilityZone);
    m.put("created_at", SnapshotView.time(g.createdAt));
    m.put("name", g.name);
    m.put("description", g.description);
    m.put("group_type", g.groupTypeId.toString());
    m.put("volume_types", g.volumeTypeIds.stream().map(UUID::toString).toList());
    if (version.atLeast(14)) {
      m.put("group_snapshot_id", g.groupSnapshotId == null ? null : g.groupSnapshotId.toString());
      m.put("source_group_id", g.sourceGroupId == null ? null : g.sourceGroupId.toString());
    }
    if (version.atLeast(25) && listVolumes) {
      m.put("volumes", volumesOf.apply(g.id));
    }
    if (version.atLeast(38)) {
      m.put("replication_status", "disabled");
    }
    if (version.atLeast(58) && admin) {
      m.put("project_id", g.projectId);
    }
    return m;
  }
}
