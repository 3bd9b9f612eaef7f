package io.ember.api.keymanager;

import java.util.UUID;

/**
 * Where the keys of encrypted volumes live (Cinder's castellan key manager): a new volume of an
 * encrypted type gets a key of its own, and a volume made from an encrypted source gets a copy of
 * the source's key under a new id, so that deleting one volume's key never locks out another.
 */
public interface KeyManager {

  /** A new symmetric key for {@code projectId}; its id. */
  UUID create(String projectId);

  /**
   * A new key with the same material as {@code keyId}, for {@code projectId}; its id.
   *
   * @throws IllegalArgumentException when there is no such key
   */
  UUID copy(UUID keyId, String projectId);

  /** Forgets the key; nothing when it is gone already. */
  void delete(UUID keyId);
}
