package io.ember.api.volume;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
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

  /** The id as a UUID, or null when it is none (no volume has it). */
  public static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
