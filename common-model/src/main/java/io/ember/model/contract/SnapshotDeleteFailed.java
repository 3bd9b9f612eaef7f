package io.ember.model.contract;

/** volume host → api: the backend kept the snapshot; it goes to {@code error_deleting}. */
public record SnapshotDeleteFailed(String snapshotId, String volumeId, String reason) {}
