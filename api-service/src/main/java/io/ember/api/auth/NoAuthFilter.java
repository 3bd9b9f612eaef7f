package io.ember.api.auth;

import io.ember.api.config.ApiConfig;
import io.ember.api.fault.CinderFault;
import io.ember.api.microversion.ApiVersion;
import io.ember.model.RequestContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cinder's {@code noauth} middleware: the token {@code user:project} names the caller. As Cinder, a
 * request without a token is answered 204 with a token to use, a project in the URL must be the
 * token's, and since 3.67 the project segment may be left out (the token's project is used). Unlike
 * Cinder's noauth, only the configured admin users are admins.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
// Not the providers' default singleton, which is made at static init, before the runtime
// configuration (ApiConfig) exists: application-scoped, it is made at the first request.
@ApplicationScoped
public class NoAuthFilter implements ContainerRequestFilter {

  /** Cinder's default {@code project_id_regex}. */
  static final Pattern PROJECT_ID = Pattern.compile("[0-9a-f\\-]+");

  /** What a token's project may be: a path segment, at most as long as the project column. */
  static final Pattern TOKEN_PROJECT = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");

  private static final String AUTH_TOKEN = "X-Auth-Token";

  @Inject Caller caller;
  @Inject ApiConfig config;

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (!path.startsWith("/v3") || config.auth().strategy() != ApiConfig.Auth.Strategy.NOAUTH) {
      return; // Keystone mode: KeystoneAuthFilter
    }
    String token = request.getHeaderString(AUTH_TOKEN);
    if (token == null || token.isBlank()) {
      request.setProperty(RequestIds.UNVERSIONED, Boolean.TRUE);
      request.abortWith(
          Response.noContent()
              .header(AUTH_TOKEN, "admin:admin")
              .header("X-Server-Management-Url", request.getUriInfo().getRequestUri().toString())
              .build());
      return;
    }
    caller.useVersion(ApiVersion.fromHeader(request.getHeaderString("OpenStack-API-Version")));
    int colon = token.indexOf(':');
    String user = colon < 0 ? token : token.substring(0, colon);
    String project = colon < 0 ? token : token.substring(colon + 1);
    if (project.isEmpty()) {
      project = user;
    }
    // A caller Ember cannot record (the columns hold 255 and 64 characters) or route to (the
    // project becomes a path segment) is no caller: as an invalid Keystone token, a 401.
    if (user.isEmpty()
        || user.length() > 255
        || user.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
        || !TOKEN_PROJECT.matcher(project).matches()) {
      throw new CinderFault(401, "The request you have made requires authentication.");
    }
    List<String> roles =
        config.auth().adminUsers().contains(user) ? List.of("admin", "member") : List.of("member");
    caller.authenticate(new RequestContext(RequestIds.current(request), user, project, roles));
    caller.credentials(token, headerList(request.getHeaderString("X-Service-Roles")));

    String[] segments = path.split("/");
    // segments: "", "v3", first, ...
    if (segments.length < 3 || segments[2].isEmpty()) {
      return;
    }
    String first = segments[2];
    if (PROJECT_ID.matcher(first).matches()) {
      if (!first.equals(project)) {
        throw CinderFault.badRequest("Malformed request url");
      }
    } else {
      // Project-less URL (3.67+, and what cinderclient sends): route it as the token's project.
      // Rebuilt from the raw (still encoded) path and query: a decoded "%", space or brace is no
      // URI, and a brace would be taken for a template.
      java.net.URI raw = request.getUriInfo().getRequestUri();
      String rawPath = raw.getRawPath();
      String rest = rawPath.substring(rawPath.indexOf("/v3") + "/v3".length());
      if (rest.contains("%")) {
        // No resource of the API has an escaped character in its path, and a rerouted path with
        // one fails in the REST layer (a 500): as Cinder's router, no such resource.
        throw new jakarta.ws.rs.NotFoundException();
      }
      String rebuilt =
          basePath(request)
              + "v3/"
              + project
              + rest
              + (raw.getRawQuery() == null ? "" : "?" + raw.getRawQuery());
      try {
        request.setRequestUri(
            new java.net.URI(raw.getScheme() + "://" + raw.getRawAuthority() + rebuilt));
      } catch (java.net.URISyntaxException e) {
        throw CinderFault.badRequest("Malformed request url");
      }
    }
  }

  private static String basePath(ContainerRequestContext request) {
    String base = request.getUriInfo().getBaseUri().getPath();
    return base.endsWith("/") ? base : base + "/";
  }

  /** A comma-separated header (oslo.context's reading of {@code X-Service-Roles}). */
  private static Set<String> headerList(String header) {
    if (header == null || header.isBlank()) {
      return Set.of();
    }
    Set<String> values = new HashSet<>();
    for (String value : header.split(",")) {
      if (!value.isBlank()) {
        values.add(value.strip());
      }
    }
    return values;
  }
}
