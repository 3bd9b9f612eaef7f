package io.ember.api.auth;

import io.ember.api.microversion.ApiVersion;
import io.ember.model.RequestContext;
import jakarta.enterprise.context.RequestScoped;

/** Who is calling in this HTTP request, and under which request id and microversion. */
@RequestScoped
public class Caller {

  private RequestContext context;
  private ApiVersion version = ApiVersion.MIN;

  public RequestContext context() {
    if (context == null) {
      throw new IllegalStateException("request has no authenticated caller");
    }
    return context;
  }

  void authenticate(RequestContext context) {
    this.context = context;
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
