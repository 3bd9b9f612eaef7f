package io.ember.volume.backend;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A volume this host's backend holds. */
@Entity
@Table(name = "backend_volume")
public class BackendVolume extends PanacheEntityBase {

  @Id
  @Column(name = "volume_id")
  public String volumeId;

  /** {@code host@backend#pool} */
  public String pool;

  public int size;

  @Column(name = "provider_location")
  public String providerLocation;

  @Column(name = "created_at")
  public Instant createdAt;
}
