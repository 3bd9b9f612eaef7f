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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A volume type (Cinder's {@code volume_types}), with its extra specs and the projects of a private
 * one.
 */
@Entity
@Table(name = "volume_types")
public class VolumeType extends PanacheEntityBase {

  /** The type Cinder creates at its first start. */
  public static final String DEFAULT_NAME = "__DEFAULT__";

  @Id public UUID id;

  public String name;
  public String description;

  @Column(name = "is_public")
  public boolean isPublic;

  @Column(name = "qos_specs_id")
  public UUID qosSpecsId;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "volume_type_extra_specs", joinColumns = @JoinColumn(name = "type_id"))
  @MapKeyColumn(name = "key")
  @Column(name = "value")
  public Map<String, String> extraSpecs = new HashMap<>();

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "volume_type_projects", joinColumns = @JoinColumn(name = "type_id"))
  @Column(name = "project_id")
  public Set<String> projects = new HashSet<>();

  @Column(name = "created_at")
  public LocalDateTime createdAt;

  @Column(name = "updated_at")
  public LocalDateTime updatedAt;

  /** Whether a caller of {@code project} (not an admin) may see and use the type. */
  public boolean visibleTo(String project) {
    return isPublic || projects.contains(project);
  }
}
