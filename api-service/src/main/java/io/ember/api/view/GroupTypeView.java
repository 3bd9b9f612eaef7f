package io.ember.api.view;

import io.ember.api.type.GroupType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Group types in Cinder's shape ({@code api/v3/views/group_types.py}): the group specs only for
 * admins ({@code group:access_group_types_specs}).
 */
public final class GroupTypeView {

  private final boolean admin;

  public GroupTypeView(boolean admin) {
    this.admin = admin;
  }

  public Map<String, Object> show(GroupType t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id.toString());
    m.put("name", t.name);
    m.put("description", t.description);
    m.put("is_public", t.isPublic);
    if (admin) {
      m.put("group_specs", new TreeMap<>(t.groupSpecs));
    }
    return m;
  }

  public Map<String, Object> list(List<GroupType> types) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("group_types", types.stream().map(this::show).toList());
    return body;
  }
}
