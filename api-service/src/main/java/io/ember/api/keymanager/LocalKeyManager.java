package io.ember.api.keymanager;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The key manager kept in the API's own database: AES-256 keys, made with a secure random source,
 * written in the transaction of the volume that uses them (a create that is rolled back leaves no
 * key behind).
 */
@ApplicationScoped
public class LocalKeyManager implements KeyManager {

  static final String ALGORITHM = "AES";
  static final int BITS = 256;

  private final SecureRandom random = new SecureRandom();
  private final EntityManager entities;

  public LocalKeyManager(EntityManager entities) {
    this.entities = entities;
  }

  @Override
  @Transactional(Transactional.TxType.MANDATORY)
  public UUID create(String projectId) {
    byte[] material = new byte[BITS / 8];
    random.nextBytes(material);
    return store(projectId, HexFormat.of().formatHex(material));
  }

  @Override
  @Transactional(Transactional.TxType.MANDATORY)
  public UUID copy(UUID keyId, String projectId) {
    java.util.List<?> material =
        entities
            .createNativeQuery("select material from encryption_keys where id = ?1")
            .setParameter(1, keyId)
            .getResultList();
    if (material.isEmpty()) {
      throw new IllegalArgumentException("no key " + keyId);
    }
    return store(projectId, (String) material.get(0));
  }

  @Override
  @Transactional(Transactional.TxType.MANDATORY)
  public void delete(UUID keyId) {
    entities
        .createNativeQuery("delete from encryption_keys where id = ?1")
        .setParameter(1, keyId)
        .executeUpdate();
  }

  private UUID store(String projectId, String material) {
    UUID id = UUID.randomUUID();
    entities
        .createNativeQuery(
            "insert into encryption_keys (id, project_id, algorithm, bit_length, material,"
                + " created_at) values (?1, ?2, ?3, ?4, ?5, ?6)")
        .setParameter(1, id)
        .setParameter(2, projectId)
        .setParameter(3, ALGORITHM)
        .setParameter(4, BITS)
        .setParameter(5, material)
        .setParameter(6, LocalDateTime.now(ZoneOffset.UTC))
        .executeUpdate();
    return id;
  }
}
