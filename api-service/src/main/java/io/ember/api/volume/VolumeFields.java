package io.ember.api.volume;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.fault.CinderFault;
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
    if (value.asText().length() > 255) {
      throw invalidField(field, value, "'" + value.asText() + "' is too long");
    }
    return value.asText();
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
                + entry.getKey()
                + "' does not match any of the regexes: '^[a-zA-Z0-9-_:. /]{1,255}$'");
      }
      JsonNode value = entry.getValue();
      if (!value.isTextual()) {
        throw invalidField("metadata", metadata, value + " is not of type 'string'");
      }
      if (value.asText().length() > 255) {
        throw invalidField("metadata", metadata, "'" + value.asText() + "' is too long");
      }
      result.put(entry.getKey(), value.asText());
    }
    return result;
  }

  public static CinderFault invalidField(String field, JsonNode value, String detail) {
    String shown = value.isTextual() ? value.asText() : value.toString();
    return CinderFault.badRequest(
        "Invalid input for field/attribute " + field + ". Value: " + shown + ". " + detail);
  }
}
