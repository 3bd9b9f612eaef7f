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
    LOG.infof("%d %s", fault.status(), fault.getMessage());
    return render(fault.status(), fault.getMessage());
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String message =
        switch (status) {
          case 404 -> "The resource could not be found.";
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
