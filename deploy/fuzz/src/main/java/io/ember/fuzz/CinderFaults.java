package io.ember.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Whether an error answer is one Cinder would give: its fault body, or its router's 404. */
final class CinderFaults {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CinderFaults() {}

  /** Cinder's fault name for a status ({@code cinder/api/openstack/wsgi.py} Fault). */
  static String faultName(int status) {
    return switch (status) {
      case 400 -> "badRequest";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "itemNotFound";
      case 405 -> "badMethod";
      case 409 -> "conflictingRequest";
      case 413 -> "overLimit";
      case 415 -> "badMediaType";
      case 501 -> "notImplemented";
      case 503 -> "serviceUnavailable";
      default -> "computeFault";
    };
  }

  /** Null when {@code body} is Cinder's answer for {@code status}; else why not. */
  static String problem(int status, String body) {
    JsonNode parsed;
    try {
      parsed = JSON.readTree(body);
    } catch (Exception e) {
      return "not JSON";
    }
    if (parsed == null || !parsed.isObject()) {
      return "not a JSON object";
    }
    if (status == 404 && "404 Not Found".equals(parsed.path("code").asText(null))) {
      // A path no route serves: Cinder's router answers webob's own 404 body.
      return parsed.path("title").isTextual() && parsed.path("message").isTextual()
          ? null
          : "a router 404 without title or message";
    }
    String name = faultName(status);
    JsonNode fault = parsed.get(name);
    if (parsed.size() != 1 || fault == null || !fault.isObject()) {
      return "no single \"" + name + "\" fault";
    }
    if (!fault.path("code").isInt() || fault.path("code").asInt() != status) {
      return "code is not " + status;
    }
    if (!fault.path("message").isTextual() || fault.path("message").asText().isEmpty()) {
      return "no message";
    }
    if (status == 413 && !fault.path("retryAfter").isTextual()) {
      return "413 without retryAfter";
    }
    return null;
  }
}
