package io.ember.model.contract;

import java.util.Map;

/**
 * scheduler → the volume's host: change the volume to the new type in place ({@code retype} of
 * Cinder's volume rpcapi, with the volume's own host as the target).
 */
public record RetypeVolume(
    String volumeId,
    String projectId,
    String pool,
    String newTypeId,
    Map<String, String> newExtraSpecs,
    String migrationPolicy,
    boolean encryptionChanges) {

  public RetypeVolume {
    newExtraSpecs = newExtraSpecs == null ? Map.of() : Map.copyOf(newExtraSpecs);
  }
}
