package io.ember.model;

import java.util.List;

/**
 * Who asked for an operation, carried with every message so each service acts for the caller. The
 * domains are Keystone's (the user's and the project's); null under noauth.
 */
public record RequestContext(
    String requestId,
    String userId,
    String projectId,
    List<String> roles,
    String userDomainId,
    String projectDomainId) {

  public RequestContext {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  /** A caller without domains (noauth, tests, service-internal work). */
  public RequestContext(String requestId, String userId, String projectId, List<String> roles) {
    this(requestId, userId, projectId, roles, null, null);
  }

  public boolean isAdmin() {
    return roles.contains("admin");
  }
}
