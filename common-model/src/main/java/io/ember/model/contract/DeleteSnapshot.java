package io.ember.model.contract;

/**
 * api → the volume's host: delete a snapshot ({@code delete_snapshot}). Deleting one the backend
 * does not hold succeeds, so a repeated delete converges.
 */
public record DeleteSnapshot(
    String snapshotId, String volumeId, String projectId, String pool, int volumeSize) {}
