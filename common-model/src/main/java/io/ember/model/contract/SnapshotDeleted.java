package io.ember.model.contract;

/** volume host → api: the backend no longer holds the snapshot. */
public record SnapshotDeleted(String snapshotId, String volumeId) {}
