package io.ember.api.auth;

import io.ember.api.config.ApiConfig;
import io.ember.api.microversion.ApiVersion;
import io.ember.model.RequestContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Set;

/** Who is calling in this HTTP request, and under which request id and microversion. */
@RequestScoped
public class Caller {

  @Inject ApiConfig config;

  private RequestContext context;
  private ApiVersion version = ApiVersion.MIN;
  private String authToken;
  private Set<String> serviceRoles = Set.of();

  public RequestContext context() {
    if (context == null) {
      throw new IllegalStateException("request has no authenticated caller");
    }
    return context;
  }

  void authenticate(RequestContext context) {
    this.context = context;
  }

  /**
   * The caller's token (what Nova is asked with), and the roles of a service vouching for the
   * request: a valid {@code X-Service-Token}'s in Keystone mode, {@code X-Service-Roles} in noauth
   * mode, where every header is trusted, as Cinder's noauth trusts them.
   */
  void credentials(String authToken, Set<String> serviceRoles) {
    this.authToken = authToken;
    this.serviceRoles = Set.copyOf(serviceRoles);
  }

  public String authToken() {
    return authToken;
  }

  /** Cinder's {@code is_service_request}: a service role that {@code service_token_roles} names. */
  public boolean isServiceRequest() {
    Set<String> accepted = config.auth().keystone().serviceTokenRoles();
    return serviceRoles.stream().anyMatch(accepted::contains);
  }

  public ApiVersion version() {
    return version;
  }

  void useVersion(ApiVersion version) {
    this.version = version;
  }

  public String projectId() {
    return context().projectId();
  }

  public boolean isAdmin() {
    return context().isAdmin();
  }

  public String requestId() {
    return context().requestId();
  }
}
