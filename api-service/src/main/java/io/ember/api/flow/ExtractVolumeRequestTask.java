package io.ember.api.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.fault.CinderFault;
import io.ember.api.quota.QuotaService;
import io.ember.model.flow.Task;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the request body as Cinder's request schema and {@code ExtractVolumeRequestTask} do, with
 * the same messages, so nothing half-valid gets further.
 */
public class ExtractVolumeRequestTask implements Task<CreateVolumeRequest> {

  private static final Pattern DIGITS = Pattern.compile("^[0-9]+$");
  private static final Pattern METADATA_KEY = Pattern.compile("^[a-zA-Z0-9-_:. /]{1,255}$");

  private final Set<String> availabilityZones;
  private final String defaultZone;

  public ExtractVolumeRequestTask(Set<String> availabilityZones, String defaultZone) {
    this.availabilityZones = availabilityZones;
    this.defaultZone = defaultZone;
  }

  @Override
  public void execute(CreateVolumeRequest request) {
    JsonNode volume = request.body == null ? null : request.body.get("volume");
    if (volume == null || !request.body.isObject()) {
      throw CinderFault.badRequest("'volume' is a required property");
    }
    if (!volume.isObject()) {
      throw invalidField("volume", volume, "is not of type 'object'");
    }
    rejectUnsupportedSources(volume);
    request.size = size(volume.get("size"));
    request.name = optionalString(volume, "name");
    request.description = optionalString(volume, "description");
    request.metadata = metadata(volume.get("metadata"));
    request.availabilityZone = availabilityZone(optionalString(volume, "availability_zone"));
    String type = optionalString(volume, "volume_type");
    if (type != null && !type.equals(QuotaService.DEFAULT_TYPE)) {
      throw CinderFault.notFound("Volume type with name " + type + " could not be found.");
    }
    request.quotaDeltas = QuotaService.forVolume(request.size);
  }

  private static void rejectUnsupportedSources(JsonNode volume) {
    int sources = 0;
    for (String source : new String[] {"snapshot_id", "source_volid", "imageRef", "backup_id"}) {
      if (volume.hasNonNull(source)) {
        sources++;
      }
    }
    if (sources > 1) {
      throw CinderFault.invalidInput(
          "Only one of snapshot_id, source_volid, imageRef, backup_id may be given.");
    }
    if (volume.hasNonNull("snapshot_id")) {
      throw CinderFault.notFound(
          "Snapshot " + volume.get("snapshot_id").asText() + " could not be found.");
    }
    for (String source : new String[] {"source_volid", "imageRef", "backup_id"}) {
      if (volume.hasNonNull(source)) {
        throw new CinderFault(501, "Creating a volume from " + source + " is not implemented yet.");
      }
    }
  }

  private static int size(JsonNode size) {
    if (size == null || size.isNull()) {
      throw CinderFault.invalidInput("Volume size 'None' must be an integer and greater than 0");
    }
    long value;
    if (size.isIntegralNumber()) {
      value = size.canConvertToLong() ? size.asLong() : Long.MAX_VALUE;
    } else if (size.isTextual()) {
      if (!DIGITS.matcher(size.asText()).matches()) {
        throw invalidField("size", size, "'" + size.asText() + "' does not match '^[0-9]+$'");
      }
      try {
        value = Long.parseLong(size.asText());
      } catch (NumberFormatException e) {
        value = Long.MAX_VALUE;
      }
    } else {
      throw invalidField("size", size, size + " is not of type 'integer', 'string'");
    }
    if (value < 1) {
      throw invalidField("size", size, value + " is less than the minimum of 1");
    }
    if (value > Integer.MAX_VALUE) {
      throw invalidField(
          "size", size, value + " is greater than the maximum of " + Integer.MAX_VALUE);
    }
    return (int) value;
  }

  private static String optionalString(JsonNode volume, String field) {
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

  private static Map<String, String> metadata(JsonNode metadata) {
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

  private String availabilityZone(String requested) {
    if (requested == null) {
      return defaultZone;
    }
    if (!availabilityZones.contains(requested)) {
      throw CinderFault.invalidInput("Availability zone '" + requested + "' is invalid.");
    }
    return requested;
  }

  private static CinderFault invalidField(String field, JsonNode value, String detail) {
    String shown = value.isTextual() ? value.asText() : value.toString();
    return CinderFault.badRequest(
        "Invalid input for field/attribute " + field + ". Value: " + shown + ". " + detail);
  }
}
