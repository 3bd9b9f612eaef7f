package io.ember.model.contract;

import java.util.Map;

/**
 * api → the volume's host: adopt a backend snapshot Ember does not manage as the snapshot {@code
 * snapshotId} of {@code volumeId} (Cinder's {@code manage_existing_snapshot}); answered as a create
 * is, with {@code snapshot.created} or {@code snapshot.create_failed}.
 */
public record ManageExistingSnapshot(
    String snapshotId, String volumeId, String projectId, String pool, Map<String, String> ref) {

  public ManageExistingSnapshot {
    ref = ref == null ? Map.of() : Map.copyOf(ref);
  }
}
