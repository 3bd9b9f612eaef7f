package io.ember.api.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.quota.QuotaService;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeFields;
import io.ember.model.RequestContext;
import io.ember.model.flow.Task;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks the request body as Cinder's request schema and {@code ExtractVolumeRequestTask} do, with
 * the same messages, so nothing half-valid gets further.
 */
public class ExtractVolumeRequestTask implements Task<CreateVolumeContext> {

  private static final Pattern DIGITS = Pattern.compile("^[0-9]+$");

  /** Finds the type a volume asks for (by name or id) among those the caller may use. */
  @FunctionalInterface
  public interface TypeLookup {
    /** The type, or null when there is none the caller may use. */
    VolumeTypeCatalog.Entry usable(String nameOrId, RequestContext caller);
  }

  private final Set<String> availabilityZones;
  private final String defaultZone;
  private final TypeLookup types;
  private final String defaultType;

  /** Without types: only the default type's name is accepted, and the volume gets no type id. */
  public ExtractVolumeRequestTask(Set<String> availabilityZones, String defaultZone) {
    this(
        availabilityZones,
        defaultZone,
        (nameOrId, caller) ->
            QuotaService.DEFAULT_TYPE.equals(nameOrId)
                ? new VolumeTypeCatalog.Entry(
                    null, QuotaService.DEFAULT_TYPE, true, java.util.Map.of(), Set.of(), null)
                : null,
        QuotaService.DEFAULT_TYPE);
  }

  public ExtractVolumeRequestTask(
      Set<String> availabilityZones, String defaultZone, TypeLookup types, String defaultType) {
    this.availabilityZones = availabilityZones;
    this.defaultZone = defaultZone;
    this.types = types;
    this.defaultType = defaultType;
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
    // The type first, as Cinder: its RESKEY:availability_zones limits the zones.
    context.type = volumeType(VolumeFields.optionalString(volume, "volume_type"), context.caller);
    context.availabilityZone =
        availabilityZone(VolumeFields.optionalString(volume, "availability_zone"), context.type);
    context.quotaDeltas = QuotaService.forVolume(context.size, context.type.name());
  }

  /**
   * The type asked for, else the default one (Cinder's {@code get_by_name_or_id} and {@code
   * get_default_volume_type}); one the caller may not use is not found, as Cinder's queries hide
   * it.
   */
  private VolumeTypeCatalog.Entry volumeType(String requested, RequestContext caller) {
    if (requested == null) {
      VolumeTypeCatalog.Entry type = types.usable(defaultType, caller);
      if (type == null) {
        throw new CinderFault(
            500,
            "The request cannot be fulfilled as the default volume type "
                + defaultType
                + " cannot be found.");
      }
      return type;
    }
    VolumeTypeCatalog.Entry type = types.usable(requested, caller);
    if (type == null) {
      throw CinderFault.notFound(
          isUuid(requested)
              ? "Volume type " + requested + " could not be found."
              : "Volume type with name " + requested + " could not be found.");
    }
    return type;
  }

  private static boolean isUuid(String value) {
    try {
      UUID.fromString(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
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

  /**
   * Cinder's {@code _extract_availability_zones}: a type with {@code RESKEY:availability_zones}
   * allows only those of its zones that exist. Where Cinder then leaves a volume without a zone
   * asked for open to all of them, Ember's row needs one: the default zone if the type allows it,
   * else the type's first; the scheduler's AvailabilityZoneFilter checks the type's zones as well.
   */
  private String availabilityZone(String requested, VolumeTypeCatalog.Entry type) {
    List<String> typeZones =
        typeZones(type == null ? null : type.extraSpecs().get("RESKEY:availability_zones"));
    List<String> safe =
        typeZones == null
            ? List.copyOf(availabilityZones)
            : typeZones.stream().filter(availabilityZones::contains).toList();
    if (typeZones != null && safe.isEmpty()) {
      throw CinderFault.badRequest(
          "Volume type is only supported in these availability zones: "
              + typeZones.stream()
                  .map(z -> "'" + z + "'")
                  .collect(Collectors.joining(", ", "[", "]")));
    }
    if (requested == null) {
      return typeZones == null || safe.contains(defaultZone) ? defaultZone : safe.get(0);
    }
    if (!safe.contains(requested)) {
      throw CinderFault.invalidInput("Availability zone '" + requested + "' is invalid.");
    }
    return requested;
  }

  /** Cinder's {@code extract_availability_zones_from_volume_type}; null without the spec. */
  private static List<String> typeZones(String spec) {
    if (spec == null) {
      return null;
    }
    return Arrays.stream(spec.split(",", -1)).filter(z -> !z.isEmpty()).map(String::strip).toList();
  }
}
