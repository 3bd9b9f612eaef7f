package io.ember.api.transfer;

import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.UUID;

/**
 * A volume offered to another project (Cinder's transfer record). Only the salted hash of its auth
 * key is kept; the key itself is shown once, in the create answer.
 */
@Entity
@Table(name = "transfers")
public class Transfer extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "volume_id")
  public UUID volumeId;

  @Column(name = "display_name")
  public String name;

  public String salt;

  @Column(name = "crypt_hash")
  public String cryptHash;

  @Column(name = "no_snapshots")
  public boolean noSnapshots;

  @Column(name = "source_project_id")
  public String sourceProjectId;

  @Column(name = "destination_project_id")
  public String destinationProjectId;

  public boolean accepted;

  @Column(name = "created_at")
  public LocalDateTime createdAt;

  @Column(name = "updated_at")
  public LocalDateTime updatedAt;

  /** Whether {@code authKey} is the one this transfer was created with. */
  public boolean acceptsKey(String authKey) {
    return TransferKeys.matches(this, authKey);
  }

  /** Cinder's {@code TransferNotFound}. */
  public static CinderFault notFound(String id) {
    return CinderFault.notFound("Transfer " + Echo.cap(id) + " could not be found.");
  }
}
