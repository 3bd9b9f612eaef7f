package io.ember.api.auth;

import io.ember.api.config.ApiConfig;
import io.ember.api.fault.CinderFault;
import io.ember.api.microversion.ApiVersion;
import io.ember.model.RequestContext;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Keystone mode ({@code ember.auth.strategy=keystone}): what keystonemiddleware's auth_token and
 * Cinder's keystone context do in front of Cinder. The token is validated without blocking the
 * event loop (first filter, asynchronous); the caller is then set from it and the project in the
 * URL checked against the token's scope (second filter). In noauth mode both do nothing.
 */
@ApplicationScoped
public class KeystoneAuthFilter {

  private static final Logger LOG = Logger.getLogger(KeystoneAuthFilter.class);
  static final String TOKEN_PROPERTY = "ember.keystone.token";

  /** The roles of a valid {@code X-Service-Token} that vouched for the request. */
  private static final String SERVICE_ROLES_PROPERTY = "ember.keystone.service-roles";

  @Inject ApiConfig config;
  @Inject KeystoneTokens tokens;
  @Inject Caller caller;

  /** Keystone mode without the service user's password could only answer 503: refuse to start. */
  void checkSettings(@Observes StartupEvent start) {
    ApiConfig.Auth auth = config.auth();
    if (auth.strategy() == ApiConfig.Auth.Strategy.KEYSTONE
        && auth.keystone().password().filter(p -> !p.isEmpty()).isEmpty()) {
      throw new IllegalStateException(
          "ember.auth.strategy=keystone needs ember.auth.keystone.password"
              + " (EMBER_AUTH_KEYSTONE_PASSWORD): the password of the service user "
              + auth.keystone().username());
    }
  }

  @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION - 10)
  public Uni<Response> validate(ContainerRequestContext request) {
    if (!applies(request)) {
      return Uni.createFrom().nullItem();
    }
    String token = request.getHeaderString("X-Auth-Token");
    if (token == null || token.isBlank()) {
      return Uni.createFrom().item(unauthorized());
    }
    String serviceToken = request.getHeaderString("X-Service-Token");
    CompletableFuture<KeystoneTokens.Outcome> outcome;
    if (serviceToken == null || serviceToken.isBlank()) {
      outcome = tokens.validate(token, false);
    } else {
      outcome =
          tokens
              .validate(serviceToken, false)
              .thenCompose(
                  service -> {
                    if (!(service instanceof KeystoneTokens.Valid v)) {
                      return CompletableFuture.completedFuture(service);
                    }
                    // A service (Nova, say) vouches for a user's token: it may have expired
                    // during a long operation. Without the service role it counts for nothing.
                    boolean vouched =
                        v.token().hasAnyRole(config.auth().keystone().serviceTokenRoles());
                    if (vouched) {
                      request.setProperty(SERVICE_ROLES_PROPERTY, Set.copyOf(v.token().roles()));
                    }
                    return tokens.validate(token, vouched);
                  });
    }
    Uni<KeystoneTokens.Outcome> answer = Uni.createFrom().completionStage(outcome);
    // Come back on the request's event loop, not on the HTTP client's thread.
    Context context = Vertx.currentContext();
    if (context != null) {
      answer = answer.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }
    return answer.map(
        result -> {
          if (result instanceof KeystoneTokens.Valid v) {
            request.setProperty(TOKEN_PROPERTY, v.token());
            return null;
          }
          if (result instanceof KeystoneTokens.Unavailable u) {
            LOG.warnf("cannot validate a token: %s", u.reason());
            return error(
                503, "Service Unavailable", "The Keystone service is temporarily unavailable.");
          }
          LOG.infof("401: token refused (%s)", ((KeystoneTokens.Invalid) result).reason());
          return unauthorized();
        });
  }

  @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
  public void authenticate(ContainerRequestContext request) {
    if (!applies(request)) {
      return;
    }
    KeystoneToken token = (KeystoneToken) request.getProperty(TOKEN_PROPERTY);
    if (token == null) {
      return; // refused by validate()
    }
    caller.useVersion(ApiVersion.fromHeader(request.getHeaderString("OpenStack-API-Version")));
    if (token.projectId() == null) {
      // Cinder's resources all belong to a project: a domain- or system-scoped token has none.
      throw new CinderFault(403, "A project-scoped token is required.");
    }
    caller.authenticate(
        new RequestContext(
            RequestIds.current(request),
            token.userId(),
            token.projectId(),
            token.roles(),
            token.userDomainId(),
            token.projectDomainId()));
    @SuppressWarnings("unchecked")
    Set<String> serviceRoles = (Set<String>) request.getProperty(SERVICE_ROLES_PROPERTY);
    caller.credentials(
        request.getHeaderString("X-Auth-Token"), serviceRoles == null ? Set.of() : serviceRoles);
    routeToProject(request, token.projectId());
  }

  private boolean applies(ContainerRequestContext request) {
    return config.auth().strategy() == ApiConfig.Auth.Strategy.KEYSTONE
        && request.getUriInfo().getPath().startsWith("/v3");
  }

  /**
   * As Cinder: a project in the URL must be the token's ("Malformed request url" otherwise, for
   * admins too); a URL without one (3.67+, cinderclient) is routed as the token's project.
   */
  static void routeToProject(ContainerRequestContext request, String project) {
    String path = request.getUriInfo().getPath();
    String[] segments = path.split("/");
    if (segments.length < 3 || segments[2].isEmpty()) {
      return;
    }
    String first = segments[2];
    if (NoAuthFilter.PROJECT_ID.matcher(first).matches()) {
      if (!first.equals(project)) {
        throw CinderFault.badRequest("Malformed request url");
      }
    } else {
      String base = request.getUriInfo().getBaseUri().getPath();
      base = base.endsWith("/") ? base : base + "/";
      request.setRequestUri(
          UriBuilder.fromUri(request.getUriInfo().getRequestUri())
              .replacePath(base + "v3/" + project + path.substring("/v3".length()))
              .build());
    }
  }

  /** keystonemiddleware's 401: its own body, and where to get a token. */
  private Response unauthorized() {
    ApiConfig.Keystone k = config.auth().keystone();
    String uri = k.wwwAuthenticateUri().orElse(k.url());
    return Response.fromResponse(
            error(401, "Unauthorized", "The request you have made requires authentication."))
        .header("WWW-Authenticate", "Keystone uri=\"" + uri + "\"")
        .build();
  }

  private static Response error(int code, String title, String message) {
    return Response.status(code)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("error", Map.of("code", code, "title", title, "message", message)))
        .build();
  }
}
