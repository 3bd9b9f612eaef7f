package io.ember.model.contract;

/**
 * api → the volume's host: put the volume's bytes back to what its latest snapshot holds ({@code
 * revert_to_snapshot}, 3.40).
 */
public record RevertVolume(
    String volumeId, String snapshotId, String projectId, String pool, int size) {}
