package io.ember.model.contract;

/** volume host → api: the snapshot exists on the backend. */
public record SnapshotCreated(String snapshotId, String volumeId, String providerLocation) {}
