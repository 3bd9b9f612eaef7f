package io.ember.api.type;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.UUID;

/**
 * The encryption of a volume type (Cinder's {@code encryption} row): how the volumes of the type
 * are encrypted. A type has at most one.
 */
@Entity
@Table(name = "volume_type_encryption")
public class EncryptionType extends PanacheEntityBase {

  @Id
  @Column(name = "volume_type_id")
  public UUID volumeTypeId;

  @Column(name = "encryption_id")
  public UUID encryptionId;

  public String provider;
  public String cipher;

  @Column(name = "key_size")
  public Integer keySize;

  @Column(name = "control_location")
  public String controlLocation;

  @Column(name = "created_at")
  public LocalDateTime createdAt;

  @Column(name = "updated_at")
  public LocalDateTime updatedAt;
}
