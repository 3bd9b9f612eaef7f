package io.ember.api.volume;

import io.ember.model.contract.VolumeSpec;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** A volume as the API records it. Times are UTC, shown without zone as Cinder does. */
@Entity
@Table(name = "volumes")
public class Volume extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "project_id")
  public String projectId;

  @Column(name = "user_id")
  public String userId;

  public String name;
  public String description;
  public int size;
  public String status;

  @Column(name = "attach_status")
  public String attachStatus;

  @Column(name = "availability_zone")
  public String availabilityZone;

  /** The pool ({@code host@backend#pool}) holding the volume; null until scheduled. */
  public String host;

  @Column(name = "provider_location")
  public String providerLocation;

  @Column(name = "volume_type_id")
  public UUID volumeTypeId;

  @Convert(converter = MetadataConverter.class)
  public Map<String, String> metadata = new HashMap<>();

  /** The metadata column as stored (compact JSON), read only: what the list's filter matches. */
  @Column(name = "metadata", insertable = false, updatable = false)
  String metadataText;

  /** Why the volume went to an error status, for the user and the operator. */
  @Column(name = "status_reason")
  public String statusReason;

  @Column(name = "request_id")
  public String requestId;

  @Column(name = "created_at")
  public LocalDateTime createdAt;

  @Column(name = "updated_at")
  public LocalDateTime updatedAt;

  @Column(name = "launched_at")
  public LocalDateTime launchedAt;

  public boolean bootable;

  /** The snapshot the volume was made from, or null. */
  @Column(name = "snapshot_id")
  public UUID snapshotId;

  /** The volume it was cloned from, or null. */
  @Column(name = "source_volid")
  public UUID sourceVolid;

  /** The image it was made from, or null. */
  @Column(name = "image_id")
  public String imageId;

  /** Its key in the key manager when its type is encrypted, or null. */
  @Column(name = "encryption_key_id")
  public UUID encryptionKeyId;

  /** The image's properties the volume carries (Cinder's {@code volume_image_metadata}). */
  @Convert(converter = MetadataConverter.class)
  @Column(name = "volume_image_metadata")
  public Map<String, String> imageMetadata = new HashMap<>();

  /**
   * The image metadata column as stored, read only: what the {@code glance_metadata} filter reads.
   */
  @Column(name = "volume_image_metadata", insertable = false, updatable = false)
  String imageMetadataText;

  /**
   * Metadata only the service and admins set (Cinder's admin metadata); {@code readonly} is shown
   * to everyone in the volume's metadata, as Cinder's {@code add_visible_admin_metadata} does.
   */
  @Convert(converter = MetadataConverter.class)
  @Column(name = "admin_metadata")
  public Map<String, String> adminMetadata = new HashMap<>();

  /** The status to go back to when an extend (or another round trip) ends. */
  @Column(name = "previous_status")
  public String previousStatus;

  /**
   * Cinder's {@code migration_status}: null when never migrated, {@code starting}, {@code
   * migrating}, {@code completing} while one runs, then {@code success} or {@code error}.
   */
  @Column(name = "migration_status")
  public String migrationStatus;

  /** The image an upload in flight writes into; null when none is. */
  @Column(name = "upload_image_id")
  public String uploadImageId;

  /** The type a retype in flight changes the volume to; null when none is. */
  @Column(name = "retype_type_id")
  public UUID retypeTypeId;

  /**
   * What the scheduler's filters need of this volume, as it is: {@code extraSpecs} are its type's
   * (null for none).
   */
  public VolumeSpec spec(Map<String, String> extraSpecs) {
    return new VolumeSpec(
        id.toString(),
        projectId,
        userId,
        size,
        name,
        availabilityZone,
        volumeTypeId == null ? null : volumeTypeId.toString(),
        extraSpecs,
        metadata,
        createdAt.toInstant(ZoneOffset.UTC));
  }

  /** The generic volume group the volume belongs to (3.13); null when none. */
  @Column(name = "group_id")
  public UUID groupId;

  /** The id as a UUID, or null when it is none (no volume has it). */
  public static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
