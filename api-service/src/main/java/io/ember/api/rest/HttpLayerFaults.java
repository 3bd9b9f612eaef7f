package io.ember.api.rest;

import io.ember.api.fault.FaultMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refusals made before a request reaches the REST layer, each as a Cinder fault and at once: an
 * over-long URL or header block, a NUL in the URL, a method the management endpoints do not serve,
 * a body that is empty or not JSON (left to the REST layer, those waited for a body that never came
 * and timed out after 60 s), and a body over the size limit.
 */
@ApplicationScoped
public class HttpLayerFaults {

  /** A path below a project that ends in a slash: {@code /v3/{project_id}/volumes/}. */
  private static final Pattern RESOURCE_WITH_TRAILING_SLASH = Pattern.compile("/v3/[^/]+/.+/");

  /** Ahead of everything, the body reader included. */
  private static final int FIRST = -1000;

  /** Cinder's eventlet server refuses request lines and header lines beyond 16 KB. */
  static final int MAX_URI = 8192;

  static final int MAX_HEADERS = 16384;

  private static final java.util.Set<String> JSON_TYPES =
      java.util.Set.of("application/json", "application/vnd.openstack.volume+json");

  void guard(@Observes Router router) {
    router.route().order(FIRST).handler(this::check);
    router.route().order(FIRST).failureHandler(HttpLayerFaults::failure);
  }

  private void check(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String uri = request.uri();
    if (uri.length() > MAX_URI) {
      answer(ctx, 414, "Request-URI Too Long");
      return;
    }
    int headers = 0;
    for (Map.Entry<String, String> h : request.headers()) {
      headers += h.getKey().length() + h.getValue().length() + 4;
    }
    if (headers > MAX_HEADERS) {
      answer(ctx, 431, "Request Header Fields Too Large");
      return;
    }
    if (uri.toLowerCase(Locale.ROOT).contains("%00")) {
      answer(ctx, 400, "Malformed request url");
      return;
    }
    String path = request.path();
    HttpMethod method = request.method();
    boolean readOnly = method == HttpMethod.GET || method == HttpMethod.HEAD;
    if (path.startsWith("/q/") && !readOnly) {
      answer(ctx, 405, "The method specified is not allowed for this resource.");
      return;
    }
    if (RESOURCE_WITH_TRAILING_SLASH.matcher(path).matches()) {
      // Cinder's routes tell "volumes/" from "volumes": no resource, whatever the method (a GET
      // would otherwise list, a DELETE or PUT meant for one volume would be a 405).
      answer(ctx, 404, "The resource could not be found.");
      return;
    }
    if (path.startsWith("/v3") && (method == HttpMethod.POST || method == HttpMethod.PUT)) {
      String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
      boolean chunked = request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
      if (!chunked && (length == null || length.trim().equals("0"))) {
        // Cinder passes an empty body on as None; no request of Ember's API takes none.
        answer(ctx, 400, "Malformed request body");
        return;
      }
      String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
      String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (media.isEmpty() || media.equals("text/plain")) {
        // Cinder finds no deserializer for a body without a type: InvalidContentType, a 400.
        answer(ctx, 400, "Unsupported Content-Type");
        return;
      }
      if (!JSON_TYPES.contains(media)) {
        answer(ctx, 415, "Unsupported Content-Type");
        return;
      }
    }
    ctx.next();
  }

  /**
   * A route that failed with a status (the body reader's 413) answers a fault, not a blank page.
   */
  private static void failure(RoutingContext ctx) {
    int status = ctx.statusCode();
    if (status < 400 || status >= 500 || ctx.response().headWritten()) {
      ctx.next();
      return;
    }
    String message =
        switch (status) {
          case 413 -> "Request is too large.";
          case 405 -> "The method specified is not allowed for this resource.";
          case 404 -> "The resource could not be found.";
          default -> "Bad request";
        };
    answer(ctx, status, message);
  }

  static void answer(RoutingContext ctx, int status, String message) {
    var response = ctx.response().setStatusCode(status);
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (status == 413) {
      response.putHeader("Retry-After", "0");
    }
    // The connection may still carry an unread body: close it rather than read it.
    if (status == 413 || status == 414 || status == 431) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
    }
    response.end(FaultMapper.json(status, message));
  }
}
