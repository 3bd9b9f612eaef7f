package io.ember.model.contract;

/**
 * volume host → api: the revert failed; the volume goes to {@code error}, the snapshot back to
 * {@code available}, as Cinder's manager leaves them.
 */
public record VolumeRevertFailed(String volumeId, String snapshotId, String reason) {}
