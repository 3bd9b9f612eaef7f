package io.ember.model.contract;

/** The backend failed to delete the volume. */
public record VolumeDeleteFailed(String volumeId, String pool, String reason) {}
