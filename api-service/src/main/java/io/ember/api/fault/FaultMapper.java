package io.ember.api.fault;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders every error in Cinder's fault shape; only unexpected errors are logged with a trace. */
public class FaultMapper {

  private static final Logger LOG = Logger.getLogger(FaultMapper.class);

  @ServerExceptionMapper
  public Response cinderFault(CinderFault fault) {
    // %d would clone number symbols; the message is capped as a hostile value may be in it.
    LOG.infof("%s %s", fault.status(), Echo.cap(fault.getMessage(), 1024));
    return render(fault.status(), fault.getMessage());
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status == 404) {
      return routeNotFound();
    }
    String message =
        switch (status) {
          case 405 -> "The method specified is not allowed for this resource.";
          case 406 -> "The requested media type is not acceptable.";
          case 415 -> "Unsupported Content-Type";
          default -> e.getMessage();
        };
    if (status >= 500) {
      LOG.errorf(e, "unexpected error");
    }
    return render(status, message);
  }

  @ServerExceptionMapper(priority = 6000)
  public Response unexpected(Throwable e) {
    LOG.errorf(e, "unexpected error");
    return render(
        500, "The server has either erred or is incapable of performing the requested operation.");
  }

  /**
   * A path no route serves: Cinder's router answers with webob's plain 404 body, not a fault, so
   * clients tell "no such API" from "no such volume".
   */
  private static Response routeNotFound() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", "The resource could not be found.<br /><br />\n\n\n");
    body.put("code", "404 Not Found");
    body.put("title", "Not Found");
    return Response.status(404).type(MediaType.APPLICATION_JSON).entity(body).build();
  }

  /** The fault body as JSON text, for answers written below the REST layer (Vert.x routes). */
  public static String json(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", status);
    body.put("message", message);
    if (status == 413) {
      body.put("retryAfter", "0");
    }
    try {
      return JSON.writeValueAsString(Map.of(CinderFault.faultName(status), body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  static Response render(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", status);
    body.put("message", message);
    Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON);
    if (status == 413) {
      body.put("retryAfter", "0");
      response.header("Retry-After", "0");
    }
    return response.entity(Map.of(CinderFault.faultName(status), body)).build();
  }
}
