package io.ember.api.qos;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.fault.CinderFault;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The request bodies of the QoS specs API, checked as Cinder's JSON schemas ({@code
 * cinder/api/schemas/qos_specs.py}) check them, refused with the messages Cinder's validation
 * writes.
 */
final class QosRequests {

  /** Cinder's {@code extra_specs} key pattern. */
  private static final Pattern KEY = Pattern.compile("^[a-zA-Z0-9\\-_:. /]{1,255}$");

  private QosRequests() {}

  /** What {@code POST /qos-specs} asks for: a name and its specs (consumer included), as sent. */
  record Create(String name, Map<String, JsonNode> specs) {}

  static Create create(JsonNode body) {
    object(body);
    JsonNode specs = body.get("qos_specs");
    if (specs != null) {
      if (!specs.isObject()) {
        throw invalid("qos_specs", specs, PyRepr.of(specs) + " is not of type 'object'");
      }
      JsonNode name = specs.get("name");
      if (name != null) {
        if (!name.isTextual()) {
          throw invalid("name", name, PyRepr.of(name) + " is not of type 'string'");
        }
        checkName(name.textValue());
      } else {
        throw invalid("qos_specs", specs, "'name' is a required property");
      }
    }
    required(body, "qos_specs");
    onlyProperties(body, Set.of("qos_specs", "type"));
    Map<String, JsonNode> rest = new LinkedHashMap<>();
    specs.properties().forEach(f -> rest.put(f.getKey(), f.getValue()));
    rest.remove("name");
    return new Create(specs.get("name").textValue().strip(), rest);
  }

  /** {@code PUT /qos-specs/{id}}: keys to set, values strings or null (the consumer among them). */
  static Map<String, JsonNode> set(JsonNode body) {
    object(body);
    JsonNode specs = body.get("qos_specs");
    if (specs != null) {
      if (!specs.isObject()) {
        throw invalid("qos_specs", specs, PyRepr.of(specs) + " is not of type 'object'");
      }
      List<String> unexpected = new ArrayList<>();
      for (Map.Entry<String, JsonNode> f : specs.properties()) {
        if (!KEY.matcher(f.getKey()).matches()) {
          unexpected.add(f.getKey());
          continue;
        }
        JsonNode v = f.getValue();
        if (!(v.isTextual() || v.isNull())) {
          throw invalid(
              f.getKey(), v, PyRepr.of(v) + " is not of type " + PyRepr.types("string", "null"));
        }
        if (v.isTextual() && v.textValue().length() > 255) {
          throw invalid(f.getKey(), v, PyRepr.of(v) + " is too long");
        }
      }
      if (!unexpected.isEmpty()) {
        throw invalid("qos_specs", specs, additional(unexpected));
      }
    }
    required(body, "qos_specs");
    onlyProperties(body, Set.of("qos_specs"));
    Map<String, JsonNode> set = new LinkedHashMap<>();
    specs.properties().forEach(f -> set.put(f.getKey(), f.getValue()));
    return set;
  }

  /** {@code PUT /qos-specs/{id}/delete_keys}: {@code {"keys": [...]}}, unique non-empty strings. */
  static List<String> unset(JsonNode body) {
    object(body);
    JsonNode keys = body.get("keys");
    if (keys != null) {
      if (!keys.isArray()) {
        throw invalid("keys", keys, PyRepr.of(keys) + " is not of type 'array'");
      }
      for (int i = 0; i < keys.size(); i++) {
        JsonNode k = keys.get(i);
        String at = String.valueOf(i);
        if (!k.isTextual()) {
          throw invalid(at, k, PyRepr.of(k) + " is not of type 'string'");
        }
        if (k.textValue().isEmpty()) {
          throw invalid(at, k, PyRepr.of(k) + " is too short");
        }
        if (k.textValue().length() > 255) {
          throw invalid(at, k, PyRepr.of(k) + " is too long");
        }
      }
      Set<String> seen = new HashSet<>();
      for (JsonNode k : keys) {
        if (!seen.add(k.textValue())) {
          throw invalid("keys", keys, PyRepr.of(keys) + " has non-unique elements");
        }
      }
    }
    required(body, "keys");
    onlyProperties(body, Set.of("keys"));
    List<String> list = new ArrayList<>();
    keys.forEach(k -> list.add(k.textValue()));
    return list;
  }

  /**
   * Cinder's {@code validate_dictionary_string_length}: keys of 1 to 255 characters, values null or
   * strings of at most 255.
   */
  static Map<String, String> strings(Map<String, JsonNode> specs) {
    Map<String, String> checked = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : specs.entrySet()) {
      String key = e.getKey();
      length(key, "Key \"" + key + "\"", 1);
      JsonNode v = e.getValue();
      if (v == null || v.isNull()) {
        checked.put(key, null);
        continue;
      }
      String name = "Value for key \"" + key + "\"";
      if (!v.isTextual()) {
        throw CinderFault.invalidInput(name + " is not a string or unicode");
      }
      length(v.textValue(), name, 0);
      checked.put(key, v.textValue());
    }
    return checked;
  }

  private static void length(String value, String name, int min) {
    if (value.length() < min) {
      throw CinderFault.invalidInput(
          name + " has " + value.length() + " characters, less than " + min + ".");
    }
    if (value.length() > 255) {
      throw CinderFault.invalidInput(
          name + " has " + value.length() + " characters, more than 255.");
    }
  }

  /** The {@code name_skip_leading_trailing_spaces} format. */
  private static void checkName(String name) {
    String reason = null;
    if (name.isEmpty()) {
      reason = "The 'name' can not be None.";
    } else if (name.strip().isEmpty()) {
      reason = "The 'name' can not be empty.";
    } else if (name.strip().length() > 255) {
      reason = "The 'name' can not be greater than 255 characters.";
    }
    if (reason != null) {
      throw CinderFault.badRequest("An invalid 'name' value was provided. " + reason);
    }
  }

  private static void object(JsonNode body) {
    if (!body.isObject()) {
      throw CinderFault.badRequest(PyRepr.of(body) + " is not of type 'object'");
    }
  }

  private static void required(JsonNode body, String property) {
    if (!body.has(property)) {
      throw CinderFault.badRequest("'" + property + "' is a required property");
    }
  }

  private static void onlyProperties(JsonNode body, Set<String> allowed) {
    List<String> unexpected = new ArrayList<>();
    body.fieldNames()
        .forEachRemaining(
            n -> {
              if (!allowed.contains(n)) {
                unexpected.add(n);
              }
            });
    if (!unexpected.isEmpty()) {
      throw CinderFault.badRequest(additional(unexpected));
    }
  }

  private static String additional(List<String> unexpected) {
    StringBuilder s = new StringBuilder("Additional properties are not allowed (");
    for (int i = 0; i < unexpected.size(); i++) {
      s.append(i == 0 ? "" : ", ").append(PyRepr.string(unexpected.get(i)));
    }
    return s.append(unexpected.size() == 1 ? " was unexpected)" : " were unexpected)").toString();
  }

  /** Cinder's message for a value that breaks the schema at {@code path}. */
  private static CinderFault invalid(String path, JsonNode value, String message) {
    return CinderFault.badRequest(
        "Invalid input for field/attribute "
            + path
            + ". Value: "
            + (value.isTextual() ? value.textValue() : PyRepr.of(value)) // Python's str()
            + ". "
            + message);
  }
}
