package io.ember.api.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.keymanager.KeyManager;
import io.ember.api.quota.QuotaService;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeFields;
import io.ember.model.RequestContext;
import io.ember.model.flow.Task;
import io.ember.model.image.Image;
import io.ember.model.image.ImageStoreException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Checks the request body as Cinder's request schema, volumes controller and {@code
 * ExtractVolumeRequestTask} do, in their order and with their messages, so nothing half-valid gets
 * further: the source (a snapshot, a volume or an image, at most one) is looked up and checked, and
 * lends the new volume its size, type, zone and bootable flag when the request does not say; an
 * encrypted type gets the volume a key of its own. Reverting forgets that key.
 */
public class ExtractVolumeRequestTask implements Task<CreateVolumeContext> {

  private static final Logger LOG = Logger.getLogger(ExtractVolumeRequestTask.class);

  private static final long GIB = 1L << 30;

  /** Finds the type a volume asks for (by name or id) among those the caller may use. */
  @FunctionalInterface
  public interface TypeLookup {
    /** The type, or null when there is none the caller may use. */
    VolumeTypeCatalog.Entry usable(String nameOrId, RequestContext caller);
  }

  /** What the task reads besides the request: types, sources, keys. */
  public record Lookups(
      TypeLookup usableTypes,
      Function<UUID, VolumeTypeCatalog.Entry> typeById,
      Predicate<UUID> encryptedType,
      CreateSources sources,
      KeyManager keys) {}

  private final Set<String> availabilityZones;
  private final String defaultZone;
  private final String defaultType;
  private final Lookups lookups;

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

  /** Without sources and without encrypted types. */
  public ExtractVolumeRequestTask(
      Set<String> availabilityZones, String defaultZone, TypeLookup types, String defaultType) {
    this(
        availabilityZones,
        defaultZone,
        defaultType,
        new Lookups(types, id -> null, id -> false, CreateSources.NONE, null));
  }

  public ExtractVolumeRequestTask(
      Set<String> availabilityZones, String defaultZone, String defaultType, Lookups lookups) {
    this.availabilityZones = availabilityZones;
    this.defaultZone = defaultZone;
    this.defaultType = defaultType;
    this.lookups = lookups;
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
    Integer requestedSize = size(volume.get("size"));
    context.name = VolumeFields.optionalString(volume, "name");
    context.description = VolumeFields.optionalString(volume, "description");
    context.metadata = VolumeFields.metadata(volume.get("metadata"));
    RequestContext caller = context.caller;
    // The controller's look-ups, in its order: the type asked for, then each source.
    String typeAsked = VolumeFields.optionalString(volume, "volume_type");
    VolumeTypeCatalog.Entry requestedType =
        typeAsked == null ? null : volumeType(typeAsked, caller);
    CreateSources.SourceSnapshot snapshot = snapshot(volume.get("snapshot_id"), caller);
    CreateSources.SourceVolume source = sourceVolume(volume.get("source_volid"), caller);
    Image image = image(volume.get("imageRef"));
    if (volume.hasNonNull("backup_id")) {
      // Ember has no backups yet: every backup id is unknown, as Cinder answers a missing one.
      throw CinderFault.notFound(
          "Backup " + Echo.cap(volume.get("backup_id").asText()) + " could not be found.");
    }
    checkTypeMatchesSource(requestedType, snapshot, source);
    // The flow's task proper.
    checkExclusiveOptions(snapshot, image, source);
    extractSnapshot(snapshot);
    extractSourceVolume(source);
    context.size = extractSize(requestedSize, source, snapshot);
    checkImageMetadata(image, context.size);
    context.type = requestedType != null ? requestedType : inheritedType(source, snapshot, caller);
    // The type's RESKEY:availability_zones limits the zones, an inherited zone included.
    String zoneAsked = VolumeFields.optionalString(volume, "availability_zone");
    context.availabilityZone =
        availabilityZone(zoneAsked != null ? zoneAsked : zoneOf(source, snapshot), context.type);
    context.bootable =
        source != null ? source.bootable() : snapshot != null && snapshot.volume().bootable();
    if (snapshot != null) {
      context.snapshotId = snapshot.id();
      context.sourceHost = snapshot.volume().host();
    } else if (source != null) {
      context.sourceVolid = source.id();
      context.sourceHost = source.host();
    } else if (image != null) {
      context.imageId = image.id();
    }
    context.encryptionKeyId = encryptionKey(context.type, snapshot, source, caller);
    context.quotaDeltas = QuotaService.forVolume(context.size, context.type.name());
  }

  /** Forgets the key made for the volume: no volume will use it. */
  @Override
  public void revert(CreateVolumeContext context, Throwable cause) {
    if (context.encryptionKeyId != null) {
      lookups.keys().delete(context.encryptionKeyId);
      context.encryptionKeyId = null;
    }
  }

  private CreateSources.SourceSnapshot snapshot(JsonNode id, RequestContext caller) {
    if (id == null || id.isNull()) {
      return null;
    }
    UUID uuid = isUuid(id.asText()) ? UUID.fromString(id.asText()) : null;
    CreateSources.SourceSnapshot snapshot =
        uuid == null ? null : lookups.sources().snapshot(uuid, caller);
    if (snapshot == null) {
      throw CinderFault.notFound("Snapshot " + Echo.cap(id.asText()) + " could not be found.");
    }
    return snapshot;
  }

  private CreateSources.SourceVolume sourceVolume(JsonNode id, RequestContext caller) {
    if (id == null || id.isNull()) {
      return null;
    }
    UUID uuid = Volume.parseId(id.asText());
    CreateSources.SourceVolume source =
        uuid == null ? null : lookups.sources().volume(uuid, caller);
    if (source == null) {
      throw CinderFault.volumeNotFound(id.asText());
    }
    return source;
  }

  /**
   * Cinder's {@code _image_uuid_from_ref}: the image whose id is {@code imageRef}'s last path
   * segment (Nova may send a URL), else the one image named {@code imageRef}. Several with that
   * name are Cinder's 409, none its 400. Cinder tries the id only when it looks like a UUID; Ember
   * tries any, as its directory store may hold images under other ids (Glance's are UUIDs).
   */
  private Image image(JsonNode ref) {
    if (ref == null || ref.isNull()) {
      return null;
    }
    String text = ref.asText();
    String id = text.substring(text.lastIndexOf('/') + 1);
    try {
      Optional<Image> byId = id.isEmpty() ? Optional.empty() : lookups.sources().image(id);
      if (byId.isPresent()) {
        return byId.get();
      }
      List<Image> named = lookups.sources().imagesNamed(text);
      if (named.size() > 1) {
        throw new CinderFault(
            409,
            "Multiple matches found for '" + Echo.cap(text) + "', use an ID to be more specific.");
      }
      if (named.size() == 1) {
        return named.get(0);
      }
    } catch (ImageStoreException e) {
      // As Cinder: a store that cannot answer is an image that cannot be had.
      LOG.warnf("imageRef %s: the image store failed: %s", Echo.cap(text), e.getMessage());
    }
    throw CinderFault.badRequest("Invalid image identifier or unable to access requested image.");
  }

  /**
   * Cinder's {@code volume/api.py} create: a type asked for that differs from the source's must be
   * one the volume could be retyped to; Ember's test of that is Cinder's first one, an unchanged
   * encryption (its backend-name test only matters with several volume services of one type).
   */
  private void checkTypeMatchesSource(
      VolumeTypeCatalog.Entry type,
      CreateSources.SourceSnapshot snapshot,
      CreateSources.SourceVolume source) {
    if (type == null || type.id() == null) {
      return;
    }
    if (source != null
        && !type.id().equals(source.volumeTypeId())
        && encryptionChanged(source.volumeTypeId(), type.id())) {
      throw CinderFault.invalidInput(
          "Invalid volume_type provided: "
              + type.id()
              + " (requested type is not compatible; either match source volume, or omit type"
              + " argument).");
    }
    if (snapshot != null
        && !type.id().equals(snapshot.volumeTypeId())
        && encryptionChanged(snapshot.volume().volumeTypeId(), type.id())) {
      throw CinderFault.invalidInput(
          "Invalid volume_type provided: "
              + type.id()
              + " (requested type is not compatible; recommend omitting the type argument).");
    }
  }

  private boolean encryptionChanged(UUID from, UUID to) {
    return encrypted(from) != encrypted(to);
  }

  private boolean encrypted(UUID typeId) {
    return typeId != null && lookups.encryptedType().test(typeId);
  }

  /** Cinder's {@code check_exclusive_options}: its message names every option it was given. */
  private static void checkExclusiveOptions(Object snapshot, Object image, Object source) {
    int given = (snapshot != null ? 1 : 0) + (image != null ? 1 : 0) + (source != null ? 1 : 0);
    if (given > 1) {
      Set<String> names = new TreeSet<>(List.of("snapshot", "imageRef", "source volume", "backup"));
      throw CinderFault.invalidInput("May specify only one of " + String.join(", ", names));
    }
  }

  /** Cinder's {@code _extract_snapshot}: only an {@code available} snapshot is copied. */
  private static void extractSnapshot(CreateSources.SourceSnapshot snapshot) {
    if (snapshot != null && !"available".equals(snapshot.status())) {
      throw new CinderFault(
          400, "Invalid snapshot: Originating snapshot status must be one of 'available' values");
    }
  }

  /** Cinder's {@code _extract_source_volume}: a volume is cloned when available or in use. */
  private static void extractSourceVolume(CreateSources.SourceVolume source) {
    if (source != null && !Set.of("available", "in-use").contains(source.status())) {
      throw CinderFault.invalidVolume(
          "Originating source volume status must be one of 'available, in-use' values");
    }
  }

  /** Cinder's {@code _extract_size}: the source's size when none is asked, and never less. */
  private static int extractSize(
      Integer size, CreateSources.SourceVolume source, CreateSources.SourceSnapshot snapshot) {
    if (size == null && source != null) {
      size = source.size();
    } else if (size == null && snapshot != null) {
      size = snapshot.volumeSize();
    }
    if (size == null) {
      throw CinderFault.invalidInput("Volume size 'None' must be an integer and greater than 0");
    }
    if (source != null && size < source.size()) {
      throw CinderFault.invalidInput(
          "Volume size '"
              + size
              + "'GB cannot be smaller than original volume size  "
              + source.size()
              + "GB. They must be >= original volume size.");
    }
    if (source == null && snapshot != null && size < snapshot.volumeSize()) {
      throw CinderFault.invalidInput(
          "Volume size '"
              + size
              + "'GB cannot be smaller than the snapshot size "
              + snapshot.volumeSize()
              + "GB. They must be >= original snapshot size.");
    }
    return size;
  }

  /**
   * Cinder's {@code check_image_metadata}: the image is active, its bytes (rounded up to GiB) fit,
   * and the volume is at least its {@code min_disk}.
   */
  private static void checkImageMetadata(Image image, int size) {
    if (image == null) {
      return;
    }
    if (!image.active()) {
      throw CinderFault.invalidInput("Image " + image.id() + " is not active.");
    }
    long bytes = image.size() == null ? 0 : image.size();
    long gib = (bytes + GIB - 1) / GIB;
    if (gib > size) {
      throw CinderFault.invalidInput(
          "Size of specified image " + gib + "GB is larger than volume size " + size + "GB.");
    }
    if (size < image.minDisk()) {
      throw CinderFault.invalidInput(
          "Volume size "
              + size
              + "GB cannot be smaller than the image minDisk size "
              + image.minDisk()
              + "GB.");
    }
    // Cinder's check_virtual_size (ImageUnacceptable): a qcow2 may be small but expand beyond.
    if (image.virtualSize() != null && image.virtualSize() > 0) {
      long virtualGib = (image.virtualSize() + GIB - 1) / GIB;
      if (virtualGib > size) {
        throw CinderFault.badRequest(
            "Image "
                + image.id()
                + " is unacceptable: Image virtual size is "
                + virtualGib
                + "GB and doesn't fit in a volume of size "
                + size
                + "GB.");
      }
    }
  }

  /**
   * Cinder's {@code _get_volume_type}: the source volume's type, else the snapshot's, else the
   * default one. The source's type is used even if the caller could not choose it (it was its
   * owner's choice).
   */
  private VolumeTypeCatalog.Entry inheritedType(
      CreateSources.SourceVolume source,
      CreateSources.SourceSnapshot snapshot,
      RequestContext caller) {
    UUID inherited =
        source != null ? source.volumeTypeId() : snapshot != null ? snapshot.volumeTypeId() : null;
    if (inherited != null) {
      VolumeTypeCatalog.Entry type = lookups.typeById().apply(inherited);
      if (type == null) {
        throw CinderFault.notFound("Volume type " + inherited + " could not be found.");
      }
      return type;
    }
    return volumeType(null, caller);
  }

  private static String zoneOf(
      CreateSources.SourceVolume source, CreateSources.SourceSnapshot snapshot) {
    if (source != null) {
      return source.availabilityZone();
    }
    return snapshot == null ? null : snapshot.volume().availabilityZone();
  }

  /**
   * Cinder's {@code _get_encryption_key_id}: an encrypted type gets a key; a copy of the source's
   * key when it has one (never the same key: it goes when its volume goes), else a new one.
   */
  private UUID encryptionKey(
      VolumeTypeCatalog.Entry type,
      CreateSources.SourceSnapshot snapshot,
      CreateSources.SourceVolume source,
      RequestContext caller) {
    if (type.id() == null || !encrypted(type.id())) {
      return null;
    }
    UUID sourceKey =
        snapshot != null
            ? snapshot.volume().encryptionKeyId()
            : source != null ? source.encryptionKeyId() : null;
    return sourceKey != null
        ? lookups.keys().copy(sourceKey, caller.projectId())
        : lookups.keys().create(caller.projectId());
  }

  /**
   * The type asked for, else the default one (Cinder's {@code get_by_name_or_id} and {@code
   * get_default_volume_type}); one the caller may not use is not found, as Cinder's queries hide
   * it.
   */
  private VolumeTypeCatalog.Entry volumeType(String requested, RequestContext caller) {
    if (requested == null) {
      VolumeTypeCatalog.Entry type = lookups.usableTypes().usable(defaultType, caller);
      if (type == null) {
        throw new CinderFault(
            500,
            "The request cannot be fulfilled as the default volume type "
                + defaultType
                + " cannot be found.");
      }
      return type;
    }
    VolumeTypeCatalog.Entry type = lookups.usableTypes().usable(requested, caller);
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

  /** The size asked for, checked as Cinder's schema does; null when none is (a source's then). */
  private static Integer size(JsonNode size) {
    return size == null || size.isNull() ? null : VolumeFields.size("size", size);
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
