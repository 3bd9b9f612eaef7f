package io.ember.api.group;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.UUID;

/** A snapshot of every volume of a group at once (Cinder's {@code group_snapshots}). */
@Entity
@Table(name = "group_snapshots")
public class GroupSnapshot extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "project_id")
  public String projectId;

  @Column(name = "user_id")
  public String userId;

  @Column(name = "group_id")
  public UUID groupId;

  @Column(name = "group_type_id")
  public UUID groupTypeId;

  public String name;
  public String description;
  public String status;

  @Column(name = "request_id")
  public String requestId;

  @Column(name = "created_at")
  public LocalDateTime createdAt;

  @Column(name = "updated_at")
  public LocalDateTime updatedAt;
}
