package io.ember.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The operations to fuzz, read from the endpoint's OpenAPI document, so an operation a later issue
 * adds is fuzzed without a change here; plus the management paths the document does not list.
 */
final class Operations {

  /** One path template with one method, as the document lists it. */
  record Operation(String method, String template) {
    boolean mutating() {
      return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
    }
  }

  private static final List<String> MANAGEMENT =
      List.of("/q/health", "/q/health/ready", "/q/openapi");

  private Operations() {}

  static List<Operation> from(JsonNode openapi) {
    List<Operation> operations = new ArrayList<>();
    JsonNode paths = openapi.path("paths");
    for (Map.Entry<String, JsonNode> path : paths.properties()) {
      for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
        String method = methods.next();
        if (List.of("get", "put", "post", "delete", "patch", "head", "options").contains(method)) {
          operations.add(new Operation(method.toUpperCase(), path.getKey()));
        }
      }
    }
    for (String path : MANAGEMENT) {
      operations.add(new Operation("GET", path));
    }
    return operations;
  }
}
