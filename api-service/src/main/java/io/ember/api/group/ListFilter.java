package io.ember.api.group;

import io.ember.api.paging.QueryParams;
import io.ember.model.RequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The filters of the group and group snapshot lists: the caller's project (every project for an
 * admin asking {@code all_tenants}), {@code name} and {@code status}.
 */
record ListFilter(String where, Map<String, Object> params) {

  static ListFilter of(RequestContext caller, MultivaluedMap<String, String> query) {
    boolean allTenants = caller.isAdmin() && QueryParams.truthy(query.getFirst("all_tenants"));
    StringBuilder where = new StringBuilder("1 = 1");
    Map<String, Object> params = new HashMap<>();
    if (!allTenants) {
      where.append(" and projectId = :project");
      params.put("project", caller.projectId());
    }
    for (String field : List.of("name", "status")) {
      if (query.getFirst(field) != null) {
        where.append(" and ").append(field).append(" = :").append(field);
        params.put(field, query.getFirst(field));
      }
    }
    return new ListFilter(where.toString(), params);
  }
}
