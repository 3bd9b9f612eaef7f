package io.ember.api.volume;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks of a volume's user-set fields, with the messages of Cinder's request schemas. */
public final class VolumeFields {

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
    Map<String, String> result = new LinkedHashMap<>();
    if (metadata == null || metadata.isNull()) {
      return result;
    }
    if (!metadata.isObject()) {
      throw invalidField("metadata", metadata, metadata + " is not of type 'object'");
    }
    for (Map.Entry<String, JsonNode> entry : metadata.properties()) {
      if (!METADATA_KEY.matcher(entry.getKey()).matches()) {
        throw invalidField(
            "metadata",
            metadata,
            "'"
                + Echo.cap(entry.getKey())
                + "' does not match any of the regexes: '^[a-zA-Z0-9-_:. /]{1,255}$'");
      }
      JsonNode value = entry.getValue();
      if (!value.isTextual()) {
        throw invalidField("metadata", metadata, value + " is not of type 'string'");
      }
      if (value.asText().length() > 255) {
        throw invalidField("metadata", metadata, "'" + Echo.cap(value.asText()) + "' is too long");
      }
      rejectUnstorable("metadata", metadata, value.asText(), false);
      result.put(entry.getKey(), value.asText());
    }
    return result;
  }

  public static CinderFault invalidField(String field, JsonNode value, String detail) {
    String shown = Echo.cap(value.isTextual() ? value.asText() : value.toString());
    return CinderFault.badRequest(
        "Invalid input for field/attribute " + field + ". Value: " + shown + ". " + detail);
  }
}
