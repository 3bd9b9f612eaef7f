package io.ember.model.contract;

/** volume host → api: the backend could not take the snapshot; it goes to {@code error}. */
public record SnapshotCreateFailed(String snapshotId, String volumeId, String reason) {}
