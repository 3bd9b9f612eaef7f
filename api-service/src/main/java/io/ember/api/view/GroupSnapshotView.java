package io.ember.api.view;

import io.ember.api.group.GroupSnapshot;
import io.ember.api.microversion.ApiVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Group snapshots in Cinder's shapes ({@code api/v3/views/group_snapshots.py}): the create answers
 * id, name and group type; the plain list id and name; the detail adds group, status, times and, to
 * admins from 3.58, the project.
 */
public final class GroupSnapshotView {

  private GroupSnapshotView() {}

  public static Map<String, Object> created(GroupSnapshot s) {
    Map<String, Object> m = listed(s);
    m.put("group_type_id", s.groupTypeId.toString());
    return m;
  }

  public static Map<String, Object> listed(GroupSnapshot s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id.toString());
    m.put("name", s.name);
    return m;
  }

  public static Map<String, Object> detail(GroupSnapshot s, ApiVersion version, boolean admin) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id.toString());
    m.put("group_id", s.groupId.toString());
    m.put("group_type_id", s.groupTypeId.toString());
    m.put("status", s.status);
    m.put("created_at", SnapshotView.time(s.createdAt));
    m.put("name", s.name);
    m.put("description", s.description);
    if (version.atLeast(58) && admin) {
      m.put("project_id", s.projectId);
    }
    return m;
  }
}
