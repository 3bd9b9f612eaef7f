package io.ember.model;

import java.util.List;

/** Who asked for an operation, carried with every message so each service acts for the caller. */
public record RequestContext(
    String requestId, String userId, String projectId, List<String> roles) {

  public RequestContext {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  public boolean isAdmin() {
    return roles.contains("admin");
  }
}
