package io.ember.api.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * Gives every request Cinder's {@code req-<uuid>} id: in the log context, on the response ({@code
 * X-OpenStack-Request-Id}, {@code X-Compute-Request-Id}) and, through the caller's context, on
 * every message the request causes. Also echoes the microversion as Cinder does.
 */
@Provider
@PreMatching
@Priority(1)
public class RequestIds implements ContainerRequestFilter, ContainerResponseFilter {

  static final String PROPERTY = "ember.request-id";

  /** Set on answers given before any version was negotiated (noauth's token hint). */
  static final String UNVERSIONED = "ember.unversioned";

  public static final String MDC_KEY = "requestId";

  @jakarta.inject.Inject Caller caller;

  @Override
  public void filter(ContainerRequestContext request) {
    String id = "req-" + UUID.randomUUID();
    request.setProperty(PROPERTY, id);
    MDC.put(MDC_KEY, id);
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    MultivaluedMap<String, Object> headers = response.getHeaders();
    Object id = request.getProperty(PROPERTY);
    if (id != null) {
      headers.putSingle("X-OpenStack-Request-Id", id);
      headers.putSingle("X-Compute-Request-Id", id);
    }
    // Every versioned answer names its version, a 204 too (Tempest checks it on each response).
    if (request.getUriInfo().getPath().startsWith("/v3")
        && request.getProperty(UNVERSIONED) == null) {
      headers.putSingle("OpenStack-API-Version", "volume " + caller.version());
      headers.putSingle("Vary", "OpenStack-API-Version");
    }
    MDC.remove(MDC_KEY);
  }

  static String current(ContainerRequestContext request) {
    Object id = request.getProperty(PROPERTY);
    return id == null ? "req-" + UUID.randomUUID() : id.toString();
  }
}
