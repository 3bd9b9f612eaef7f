package io.ember.api.type;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** A generic volume group type (Cinder's {@code group_types}), with its group specs. */
@Entity
@Table(name = "group_types")
public class GroupType extends PanacheEntityBase {

  @Id public UUID id;

  public String name;
  public String description;

  @Column(name = "is_public")
  public boolean isPublic;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "group_type_specs", joinColumns = @JoinColumn(name = "group_type_id"))
  @MapKeyColumn(name = "key")
  @Column(name = "value")
  public Map<String, String> groupSpecs = new HashMap<>();

  @Column(name = "created_at")
  public LocalDateTime createdAt;

  @Column(name = "updated_at")
  public LocalDateTime updatedAt;
}
