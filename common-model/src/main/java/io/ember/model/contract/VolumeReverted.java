package io.ember.model.contract;

/** volume host → api: the volume holds the snapshot's bytes again. */
public record VolumeReverted(String volumeId, String snapshotId) {}
