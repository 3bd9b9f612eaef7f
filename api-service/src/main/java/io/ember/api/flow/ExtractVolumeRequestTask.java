package io.ember.api.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.quota.QuotaService;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeFields;
import io.ember.model.flow.Task;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the request body as Cinder's request schema and {@code ExtractVolumeRequestTask} do, with
 * the same messages, so nothing half-valid gets further.
 */
public class ExtractVolumeRequestTask implements Task<CreateVolumeContext> {

  private static final Pattern DIGITS = Pattern.compile("^[0-9]+$");

  private final Set<String> availabilityZones;
  private final String defaultZone;

  public ExtractVolumeRequestTask(Set<String> availabilityZones, String defaultZone) {
    this.availabilityZones = availabilityZones;
    this.defaultZone = defaultZone;
  }

  @Override
  public void execute(CreateVolumeContext context) {
    JsonNode volume = context.body == null ? null : context.body.get("volume");
    if (volume == null || !context.body.isObject()) {
      throw CinderFault.badRequest("'volume' is a required property");
    }
    if (!volume.isObject()) {
      throw VolumeFields.invalidField("volume", volume, "is not of type 'object'");
    }
    rejectUnsupportedSources(volume);
    context.size = size(volume.get("size"));
    context.name = VolumeFields.optionalString(volume, "name");
    context.description = VolumeFields.optionalString(volume, "description");
    context.metadata = VolumeFields.metadata(volume.get("metadata"));
    context.availabilityZone =
        availabilityZone(VolumeFields.optionalString(volume, "availability_zone"));
    String type = VolumeFields.optionalString(volume, "volume_type");
    if (type != null && !type.equals(QuotaService.DEFAULT_TYPE)) {
      throw CinderFault.notFound("Volume type with name " + type + " could not be found.");
    }
    context.quotaDeltas = QuotaService.forVolume(context.size);
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
          "Snapshot " + Echo.cap(volume.get("snapshot_id").asText()) + " could not be found.");
    }
    // Cinder looks each source up first: one that cannot exist is its 404. Ember has no images
    // and no backups, and no volume has an id that is not a UUID.
    if (volume.hasNonNull("imageRef")) {
      throw CinderFault.notFound(
          "Image " + Echo.cap(volume.get("imageRef").asText()) + " could not be found.");
    }
    if (volume.hasNonNull("backup_id")) {
      throw CinderFault.notFound(
          "Backup " + Echo.cap(volume.get("backup_id").asText()) + " could not be found.");
    }
    if (volume.hasNonNull("source_volid")
        && Volume.parseId(volume.get("source_volid").asText()) == null) {
      throw CinderFault.volumeNotFound(volume.get("source_volid").asText());
    }
    for (String source : new String[] {"source_volid"}) {
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
        throw VolumeFields.invalidField(
            "size", size, "'" + Echo.cap(size.asText()) + "' does not match '^[0-9]+$'");
      }
      try {
        value = Long.parseLong(size.asText());
      } catch (NumberFormatException e) {
        value = Long.MAX_VALUE;
      }
    } else {
      throw VolumeFields.invalidField(
          "size", size, Echo.cap(size.toString()) + " is not of type 'integer', 'string'");
    }
    if (value < 1) {
      throw VolumeFields.invalidField("size", size, value + " is less than the minimum of 1");
    }
    if (value > Integer.MAX_VALUE) {
      throw VolumeFields.invalidField(
          "size", size, value + " is greater than the maximum of " + Integer.MAX_VALUE);
    }
    return (int) value;
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
}
