package io.ember.api.view;

import io.ember.api.microversion.ApiVersion;
import io.ember.api.volume.Volume;
import java.net.URI;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/** Volumes in Cinder's JSON shapes ({@code cinder/api/v3/views/volumes.py}). */
public final class VolumeView {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  private static final List<String> VISIBLE_ADMIN_METADATA = List.of("readonly", "attached_mode");

  private final URI base;
  private final ApiVersion version;
  private final boolean admin;
  private final Function<UUID, String> typeNames;
  private final Predicate<UUID> encryptedTypes;
  private final Predicate<UUID> multiattachTypes;
  private final Map<UUID, List<Map<String, Object>>> attachments;

  /**
   * @param base the service root ({@code http://host:8776/})
   * @param typeNames the name of a volume type by its id (from memory: no query per volume)
   * @param encryptedTypes whether a volume type (by id) is encrypted, also from memory
   */
  public VolumeView(
      URI base,
      ApiVersion version,
      boolean admin,
      Function<UUID, String> typeNames,
      Predicate<UUID> encryptedTypes) {
    this.base = base;
    this.version = version;
    this.admin = admin;
    this.typeNames = typeNames;
    this.encryptedTypes = encryptedTypes;
    this.multiattachTypes = id -> false;
    this.attachments = Map.of();
  }

  private VolumeView(
      VolumeView from,
      Predicate<UUID> multiattachTypes,
      Map<UUID, List<Map<String, Object>>> attachments) {
    this.base = from.base;
    this.version = from.version;
    this.admin = from.admin;
    this.typeNames = from.typeNames;
    this.encryptedTypes = from.encryptedTypes;
    this.multiattachTypes = multiattachTypes;
    this.attachments = attachments;
  }

  /**
   * This view, showing each volume's attachments (its attached ones, as {@link
   * AttachmentView#ofVolume} renders them, by volume id) and whether its type allows several.
   */
  public VolumeView with(
      Predicate<UUID> multiattachTypes, Map<UUID, List<Map<String, Object>>> attachments) {
    return new VolumeView(this, multiattachTypes, attachments);
  }

  public Map<String, Object> summary(Volume v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", v.id.toString());
    m.put("name", v.name);
    m.put("links", links(v));
    return m;
  }

  /** The create response: the detail view without the extensions' attributes. */
  public Map<String, Object> created(Volume v) {
    return detail(v, false, false);
  }

  public Map<String, Object> detail(Volume v) {
    return detail(v, true, admin);
  }

  /**
   * {@code withTenant}: Cinder's volume_tenant_attribute, which its default policy shows to the
   * volume's own project too (a transfer's receiver checks it); the host and migration attributes
   * are the admin's alone.
   */
  private Map<String, Object> detail(Volume v, boolean withTenant, boolean withAdminAttributes) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", v.id.toString());
    m.put("status", shownStatus(v.status));
    m.put("size", v.size);
    m.put("availability_zone", v.availabilityZone);
    m.put("created_at", time(v.createdAt));
    m.put("updated_at", time(v.updatedAt));
    m.put("name", v.name);
    m.put("description", v.description);
    m.put("volume_type", v.volumeTypeId == null ? null : typeNames.apply(v.volumeTypeId));
    m.put("snapshot_id", v.snapshotId == null ? null : v.snapshotId.toString());
    m.put("source_volid", v.sourceVolid == null ? null : v.sourceVolid.toString());
    m.put("metadata", metadata(v));
    m.put("links", links(v));
    m.put("user_id", v.userId);
    m.put("bootable", String.valueOf(v.bootable));
    // Cinder: encryption_key_id is set. A volume made before keys were kept has none, but is
    // encrypted exactly when its type is (no type's encryption changes while volumes use it).
    m.put(
        "encrypted",
        v.encryptionKeyId != null
            || (v.volumeTypeId != null && encryptedTypes.test(v.volumeTypeId)));
    m.put("replication_status", null);
    m.put("consistencygroup_id", null);
    m.put("multiattach", v.volumeTypeId != null && multiattachTypes.test(v.volumeTypeId));
    m.put("attachments", attachments.getOrDefault(v.id, List.of()));
    // Cinder shows the migration status to admins only.
    m.put("migration_status", withAdminAttributes ? v.migrationStatus : null);
    if (version.atLeast(13)) {
      m.put("group_id", v.groupId == null ? null : v.groupId.toString());
    }
    if (version.atLeast(21)) {
      m.put("provider_id", null);
    }
    if (version.atLeast(48)) {
      m.put("shared_targets", false);
      m.put("service_uuid", null);
    }
    if (version.atLeast(61)) {
      m.put("cluster_name", null);
    }
    if (version.atLeast(63)) {
      m.put("volume_type_id", v.volumeTypeId == null ? null : v.volumeTypeId.toString());
    }
    // Cinder shows the key's id (3.64+) only for a volume that has one.
    if (version.atLeast(64) && v.encryptionKeyId != null) {
      m.put("encryption_key_id", v.encryptionKeyId.toString());
    }
    if (version.atLeast(65)) {
      m.put("consumes_quota", true);
    }
    // Cinder's volume_image_metadata extension adds it only for a volume that has some.
    if (v.imageMetadata != null && !v.imageMetadata.isEmpty()) {
      m.put("volume_image_metadata", v.imageMetadata);
    }
    if (withTenant) {
      m.put("os-vol-tenant-attr:tenant_id", v.projectId);
    }
    if (withAdminAttributes) {
      m.put("os-vol-mig-status-attr:migstat", v.migrationStatus);
      // A migrated volume's data is renamed to its own id on the destination (the driver's
      // update_migrated_volume), so no volume carries another's name.
      m.put("os-vol-mig-status-attr:name_id", null);
      m.put("os-vol-host-attr:host", v.host);
    }
    return m;
  }

  /**
   * The user's metadata with the admin metadata everyone may see ({@code readonly}, {@code
   * attached_mode}), as Cinder's {@code add_visible_admin_metadata}.
   */
  public static Map<String, String> metadata(Volume v) {
    Map<String, String> shown = new LinkedHashMap<>(v.metadata);
    for (String key : VISIBLE_ADMIN_METADATA) {
      String value = v.adminMetadata == null ? null : v.adminMetadata.get(key);
      if (value != null) {
        shown.put(key, value);
      }
    }
    return shown;
  }

  /** {@code volumes_links} with the next page, as Cinder's {@code _get_collection_links}. */
  public List<Map<String, String>> nextLink(
      String projectId, String collection, Volume last, int limit) {
    String href =
        base
            + "v3/"
            + projectId
            + "/volumes"
            + collection
            + "?limit="
            + limit
            + "&marker="
            + last.id;
    return List.of(Map.of("rel", "next", "href", href));
  }

  private List<Map<String, String>> links(Volume v) {
    return List.of(
        Map.of("rel", "self", "href", base + "v3/" + v.projectId + "/volumes/" + v.id),
        Map.of("rel", "bookmark", "href", base + v.projectId + "/volumes/" + v.id));
  }

  private static String time(LocalDateTime t) {
    return t == null ? null : TIME.format(t);
  }

  /**
   * Cinder's {@code _get_volume_status}: the manage statuses are shown as the create and delete
   * ones, for API compatibility.
   */
  static String shownStatus(String status) {
    return switch (status == null ? "" : status) {
      case "managing" -> "creating";
      case "error_managing" -> "error";
      case "error_managing_deleting" -> "deleting";
      default -> status;
    };
  }
}
