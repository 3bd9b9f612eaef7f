package io.ember.api.snapshot;

import io.ember.api.volume.MetadataConverter;
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

/** A snapshot as the API records it. Times are UTC, shown without zone as Cinder does. */
@Entity
@Table(name = "snapshots")
public class Snapshot extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "volume_id")
  public UUID volumeId;

  @Column(name = "project_id")
  public String projectId;

  @Column(name = "user_id")
  public String userId;

  public String name;
  public String description;

  /** The volume's size when the snapshot was taken: what a volume made from it needs at least. */
  @Column(name = "volume_size")
  public int volumeSize;

  public String status;
  public String progress;

  @Column(name = "provider_location")
  public String providerLocation;

  @Column(name = "volume_type_id")
  public UUID volumeTypeId;

  @Convert(converter = MetadataConverter.class)
  public Map<String, String> metadata = new HashMap<>();

  @Column(name = "status_reason")
  public String statusReason;

  @Column(name = "created_at")
  public LocalDateTime createdAt;

  @Column(name = "updated_at")
  public LocalDateTime updatedAt;

  /** The group snapshot the snapshot is part of (3.14); null when none. */
  @Column(name = "group_snapshot_id")
  public java.util.UUID groupSnapshotId;
}
