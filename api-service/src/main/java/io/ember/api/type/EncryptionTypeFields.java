package io.ember.api.type;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.fault.CinderFault;
import io.ember.api.qos.PyRepr;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks of the encryption type requests as Cinder's schema ({@code
 * api/schemas/volume_type_encryption.py}) and its JSON-schema validator: the first failing rule, in
 * the schema's order, with jsonschema's message.
 */
public final class EncryptionTypeFields {

  /** The fields Ember keeps; Cinder's schema lets others through, and Ember ignores them. */
  static final List<String> FIELDS = List.of("key_size", "provider", "control_location", "cipher");

  private static final List<String> LOCATIONS = List.of("front-end", "back-end");

  /** Cinder's {@code constants.DB_MAX_INT}. */
  private static final BigDecimal MAX_KEY_SIZE = BigDecimal.valueOf(Integer.MAX_VALUE);

  /** oslo's {@code is_int_like}: {@code str(int(v)) == str(v)}. */
  private static final Pattern INT_LIKE = Pattern.compile("0|-?[1-9][0-9]*");

  private EncryptionTypeFields() {}

  /**
   * The fields a request gives, in its order, {@code key_size} made an integer (or null): for a
   * create {@code provider} and {@code control_location} are required.
   */
  static Map<String, Object> create(JsonNode body) {
    return check(body, true);
  }

  /** As {@link #create}, nothing required. */
  static Map<String, Object> update(JsonNode body) {
    return check(body, false);
  }

  private static Map<String, Object> check(JsonNode body, boolean create) {
    if (body == null || !body.isObject()) {
      throw CinderFault.badRequest(PyRepr.of(body) + " is not of type 'object'");
    }
    JsonNode encryption = body.get("encryption");
    if (encryption != null) {
      if (!encryption.isObject()) {
        throw invalid("encryption", encryption, PyRepr.of(encryption) + " is not of type 'object'");
      }
      keySize(encryption.get("key_size"));
      provider(encryption.get("provider"));
      controlLocation(encryption.get("control_location"));
      cipher(encryption.get("cipher"));
      if (create) {
        for (String required : List.of("provider", "control_location")) {
          if (!encryption.has(required)) {
            throw invalid("encryption", encryption, "'" + required + "' is a required property");
          }
        }
      }
    } else {
      throw CinderFault.badRequest("'encryption' is a required property");
    }
    List<String> extra = new ArrayList<>();
    body.fieldNames().forEachRemaining(f -> extra.add(f.equals("encryption") ? null : f));
    extra.removeIf(f -> f == null);
    if (!extra.isEmpty()) {
      throw CinderFault.badRequest(
          "Additional properties are not allowed ("
              + String.join(", ", extra.stream().map(PyRepr::string).toList())
              + (extra.size() == 1 ? " was" : " were")
              + " unexpected)");
    }
    Map<String, Object> given = new LinkedHashMap<>();
    for (var field : encryption.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (!FIELDS.contains(name)) {
        continue;
      }
      if (value.isNull()) {
        given.put(name, null);
      } else if (name.equals("key_size")) {
        given.put(name, new BigDecimal(value.asText()).intValueExact());
      } else {
        given.put(name, value.textValue());
      }
    }
    return given;
  }

  /** {@code parameter_types.key_size}: string, integer or null; 0 to DB_MAX_INT; int-like. */
  private static void keySize(JsonNode value) {
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isTextual() && !value.isIntegralNumber()) {
      throw invalid(
          "key_size",
          value,
          PyRepr.of(value) + " is not of type " + PyRepr.types("string", "integer", "null"));
    }
    Number number = number(value);
    if (number != null && number.value().compareTo(BigDecimal.ZERO) < 0) {
      throw invalid("key_size", value, number + " is less than the minimum of 0");
    }
    if (number != null && number.value().compareTo(MAX_KEY_SIZE) > 0) {
      throw invalid("key_size", value, number + " is greater than the maximum of " + MAX_KEY_SIZE);
    }
    if (value.isTextual() && !INT_LIKE.matcher(value.textValue()).matches()) {
      throw invalid("key_size", value, PyRepr.of(value) + " is not a 'key_size'");
    }
  }

  private static void provider(JsonNode value) {
    if (value == null) {
      return;
    }
    if (!value.isTextual()) {
      throw invalid("provider", value, PyRepr.of(value) + " is not of type 'string'");
    }
    tooLong("provider", value);
  }

  private static void controlLocation(JsonNode value) {
    if (value != null && !(value.isTextual() && LOCATIONS.contains(value.textValue()))) {
      throw invalid(
          "control_location", value, PyRepr.of(value) + " is not one of ['front-end', 'back-end']");
    }
  }

  private static void cipher(JsonNode value) {
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isTextual()) {
      throw invalid(
          "cipher", value, PyRepr.of(value) + " is not of type " + PyRepr.types("string", "null"));
    }
    tooLong("cipher", value);
  }

  private static void tooLong(String field, JsonNode value) {
    if (value.textValue().codePointCount(0, value.textValue().length()) > 255) {
      throw invalid(field, value, PyRepr.of(value) + " is too long");
    }
  }

  /**
   * The number the validator's minimum and maximum see (Cinder's {@code _number_from_str}: {@code
   * int()}, else {@code float()} of a string), as Python prints it; null when it is not a number.
   */
  private record Number(BigDecimal value, boolean integral) {
    @Override
    public String toString() {
      return integral ? value.toBigInteger().toString() : Double.toString(value.doubleValue());
    }
  }

  private static Number number(JsonNode value) {
    if (value.isIntegralNumber()) {
      return new Number(new BigDecimal(value.bigIntegerValue()), true);
    }
    String text = value.textValue().strip();
    if (text.startsWith("+")) {
      text = text.substring(1);
    }
    if (text.matches("-?[0-9]+")) {
      return new Number(new BigDecimal(text), true);
    }
    if (text.matches("-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
      return new Number(new BigDecimal(text), false);
    }
    return null;
  }

  private static CinderFault invalid(String field, JsonNode value, String message) {
    return CinderFault.badRequest(
        "Invalid input for field/attribute "
            + field
            + ". Value: "
            + (value.isTextual() ? value.textValue() : PyRepr.of(value)) // Python's str()
            + ". "
            + message);
  }
}
