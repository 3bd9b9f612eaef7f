package io.ember.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What Keystone says a token is: its user, scope, roles (implied ones included) and expiry. */
public record KeystoneToken(
    String userId,
    String userName,
    String userDomainId,
    String projectId,
    String projectDomainId,
    List<String> roles,
    Instant expiresAt) {

  public KeystoneToken {
    roles = List.copyOf(roles);
  }

  /** Reads the {@code token} object of a {@code GET /v3/auth/tokens} answer. */
  static KeystoneToken fromJson(JsonNode body) {
    JsonNode token = body.path("token");
    JsonNode user = token.path("user");
    JsonNode project = token.path("project");
    List<String> roles = new ArrayList<>();
    for (JsonNode role : token.path("roles")) {
      roles.add(role.path("name").asText());
    }
    String expires = token.path("expires_at").asText(null);
    if (expires == null || user.path("id").asText(null) == null) {
      throw new IllegalArgumentException("not a Keystone token document");
    }
    return new KeystoneToken(
        user.path("id").asText(),
        user.path("name").asText(null),
        user.path("domain").path("id").asText(null),
        project.path("id").asText(null),
        project.path("domain").path("id").asText(null),
        roles,
        Instant.parse(expires));
  }

  boolean hasAnyRole(java.util.Collection<String> wanted) {
    return roles.stream().anyMatch(wanted::contains);
  }
}
