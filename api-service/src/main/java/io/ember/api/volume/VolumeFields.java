package io.ember.api.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.qos.PyRepr;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of a volume's user-set fields, with the messages of Cinder's request schemas. */
public final class VolumeFields {

  private static final Pattern DIGITS = Pattern.compile("^[0-9]+$");
  private static final Pattern METADATA_KEY = Pattern.compile("^[a-zA-Z0-9-_:. /]{1,255}$");

  private VolumeFields() {}

  public static String optionalString(JsonNode volume, String field) {
    JsonNode value = volume.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalidField(field, value, value + " is not of type 'string', 'null'");
    }
    String text = value.asText();
    if (text.length() > 255) {
      throw invalidField(field, value, "'" + Echo.cap(text) + "' is too long");
    }
    rejectUnstorable(field, value, text, field.endsWith("description"));
    return text;
  }

  /**
   * A NUL (PostgreSQL stores none) or half a surrogate pair (no UTF-8 for it) is refused where
   * Cinder's schema has no pattern; a description takes printable characters only, as Cinder's
   * {@code valid_description_regex}.
   */
  private static void rejectUnstorable(
      String field, JsonNode shown, String text, boolean printable) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean broken =
          c == 0
              || (Character.isHighSurrogate(c)
                  && (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))))
              || (Character.isLowSurrogate(c)
                  && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1))));
      if (broken || (printable && !isPrintable(text.codePointAt(i)))) {
        throw invalidField(
            field, shown, "'" + Echo.cap(text) + "' does not match '^[printable characters]*$'");
      }
    }
  }

  /** Cinder's {@code _is_printable}: no "other" (C*) category, and of separators only spaces. */
  private static boolean isPrintable(int codePoint) {
    int type = Character.getType(codePoint);
    return switch (type) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.PRIVATE_USE,
          Character.SURROGATE,
          Character.UNASSIGNED,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          false;
      default -> true;
    };
  }

  public static Map<String, String> metadata(JsonNode metadata) {
    return metadata(metadata, "metadata");
  }

  /** Key/value metadata under {@code field}, checked as Cinder's {@code extra_specs} schema. */
  public static Map<String, String> metadata(JsonNode metadata, String field) {
    Map<String, String> result = new LinkedHashMap<>();
    if (metadata == null || metadata.isNull()) {
      return result;
    }
    if (!metadata.isObject()) {
      throw invalidField(field, metadata, metadata + " is not of type 'object'");
    }
    for (Map.Entry<String, JsonNode> entry : metadata.properties()) {
      if (!METADATA_KEY.matcher(entry.getKey()).matches()) {
        throw invalidField(
            field,
            metadata,
            "'"
                + Echo.cap(entry.getKey())
                + "' does not match any of the regexes: '^[a-zA-Z0-9-_:. /]{1,255}$'");
      }
      JsonNode value = entry.getValue();
      if (!value.isTextual()) {
        throw invalidField(field, metadata, value + " is not of type 'string'");
      }
      if (value.asText().length() > 255) {
        throw invalidField(field, metadata, "'" + Echo.cap(value.asText()) + "' is too long");
      }
      rejectUnstorable(field, metadata, value.asText(), false);
      result.put(entry.getKey(), value.asText());
    }
    return result;
  }

  /**
   * A size in GiB as Cinder's {@code volume_size} schema takes it: an integer, or a string of
   * digits, from 1 to the largest the database holds.
   */
  public static int size(String field, JsonNode node) {
    long value;
    if (node.isIntegralNumber()) {
      value = node.canConvertToLong() ? node.asLong() : Long.MAX_VALUE;
    } else if (node.isTextual()) {
      if (!DIGITS.matcher(node.asText()).matches()) {
        throw VolumeFields.invalidField(
            field, node, "'" + Echo.cap(node.asText()) + "' does not match '^[0-9]+$'");
      }
      try {
        value = Long.parseLong(node.asText());
      } catch (NumberFormatException e) {
        value = Long.MAX_VALUE;
      }
    } else {
      throw VolumeFields.invalidField(
          field, node, Echo.cap(node.toString()) + " is not of type 'integer', 'string'");
    }
    if (value < 1) {
      throw VolumeFields.invalidField(field, node, value + " is less than the minimum of 1");
    }
    if (value > Integer.MAX_VALUE) {
      throw VolumeFields.invalidField(
          field, node, value + " is greater than the maximum of " + Integer.MAX_VALUE);
    }
    return (int) value;
  }

  private static final List<Object> BOOLEANS =
      List.of(
          true, "True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes", "y", "t", false,
          "False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no", "n", "f");

  private static final Set<String> TRUE_WORDS = Set.of("1", "on", "yes", "y", "t", "true");

  /**
   * The one field of a volume action's body ({@code {"os-extend": {"new_size": 2}}}), checked as
   * Cinder's action schemas: an object, with the field and nothing else.
   */
  public static JsonNode actionField(JsonNode request, String action, String field) {
    return actionField(request, action, field, java.util.Set.of());
  }

  /** As above, with {@code optional} fields allowed beside the required one. */
  public static JsonNode actionField(
      JsonNode request, String action, String field, java.util.Set<String> optional) {
    JsonNode body = object(request, action);
    JsonNode value = body.get(field);
    if (value == null) {
      throw invalidField(action, body, "'" + field + "' is a required property");
    }
    onlyAllowed(action, body, name -> name.equals(field) || optional.contains(name));
    return value;
  }

  /** An action's body, an object holding only {@code allowed} fields. */
  public static JsonNode actionObject(
      JsonNode request, String action, java.util.Set<String> allowed) {
    JsonNode body = object(request, action);
    onlyAllowed(action, body, allowed::contains);
    return body;
  }

  private static JsonNode object(JsonNode request, String action) {
    JsonNode body = request.get(action);
    if (body == null || !body.isObject()) {
      throw invalidField(
          action,
          body == null ? NullNode.getInstance() : body,
          Echo.cap(String.valueOf(body)) + " is not of type 'object'");
    }
    return body;
  }

  private static void onlyAllowed(
      String action, JsonNode body, java.util.function.Predicate<String> allowed) {
    for (String name : (Iterable<String>) body::fieldNames) {
      if (!allowed.test(name)) {
        throw invalidField(
            action,
            body,
            "Additional properties are not allowed ('" + Echo.cap(name) + "' was unexpected)");
      }
    }
  }

  /**
   * A flag as Cinder's {@code parameter_types.boolean} takes it (a JSON boolean or one of its
   * words), read as {@code bool_from_string(strict=True)}.
   */
  public static boolean flag(String field, JsonNode value) {
    if (!value.isBoolean() && !value.isTextual()) {
      throw invalidField(
          field, value, Echo.cap(value.toString()) + " is not of type 'boolean', 'string'");
    }
    Object given = value.isBoolean() ? (Object) value.asBoolean() : value.asText();
    if (!BOOLEANS.contains(given)) {
      throw invalidField(
          field, value, "'" + Echo.cap(value.asText()) + "' is not one of " + pythonList());
    }
    return value.isBoolean()
        ? value.asBoolean()
        : TRUE_WORDS.contains(value.asText().toLowerCase());
  }

  /** The allowed values as Python prints the list in jsonschema's message. */
  private static String pythonList() {
    StringBuilder list = new StringBuilder("[");
    for (Object b : BOOLEANS) {
      if (list.length() > 1) {
        list.append(", ");
      }
      list.append(b instanceof Boolean bool ? (bool ? "True" : "False") : "'" + b + "'");
    }
    return list.append(']').toString();
  }

  public static CinderFault invalidField(String field, JsonNode value, String detail) {
    String shown = Echo.cap(value.isTextual() ? value.asText() : value.toString());
    return CinderFault.badRequest(
        "Invalid input for field/attribute " + field + ". Value: " + shown + ". " + detail);
  }

  /**
   * The object under {@code root}, the body's only member, as Cinder's schemas ask for it: missing,
   * 400 naming it; not an object, 400 with its value.
   */
  public static JsonNode root(JsonNode body, String root) {
    JsonNode node = body == null || !body.isObject() ? null : body.get(root);
    if (node == null) {
      throw CinderFault.badRequest("'" + root + "' is a required property");
    }
    only(body, Set.of(root));
    if (!node.isObject()) {
      throw invalidField(root, node, PyRepr.of(node) + " is not of type 'object'");
    }
    return node;
  }

  /** Cinder's {@code additionalProperties: false}: the first member not allowed is refused. */
  public static void only(JsonNode object, Set<String> allowed) {
    for (var it = object.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw CinderFault.badRequest(
            "Additional properties are not allowed ('" + Echo.cap(field) + "' was unexpected)");
      }
    }
  }
}
