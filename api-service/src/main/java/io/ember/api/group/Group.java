package io.ember.api.group;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A generic volume group (Cinder's {@code groups}) and the volume types it allows. */
@Entity
@Table(name = "groups")
public class Group extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "project_id")
  public String projectId;

  @Column(name = "user_id")
  public String userId;

  public String name;
  public String description;
  public String status;

  @Column(name = "availability_zone")
  public String availabilityZone;

  @Column(name = "group_type_id")
  public UUID groupTypeId;

  /** The pool the scheduler chose; the group's volumes are created there. Null until placed. */
  public String host;

  @Column(name = "group_snapshot_id")
  public UUID groupSnapshotId;

  @Column(name = "source_group_id")
  public UUID sourceGroupId;

  @Column(name = "request_id")
  public String requestId;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "group_volume_types", joinColumns = @JoinColumn(name = "group_id"))
  @OrderColumn(name = "position")
  @Column(name = "volume_type_id")
  public List<UUID> volumeTypeIds = new ArrayList<>();

  @Column(name = "created_at")
  public LocalDateTime createdAt;

  @Column(name = "updated_at")
  public LocalDateTime updatedAt;
}
