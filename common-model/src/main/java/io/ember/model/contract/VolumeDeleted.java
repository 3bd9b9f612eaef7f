package io.ember.model.contract;

/** The backend no longer holds the volume. */
public record VolumeDeleted(String volumeId, String pool) {}
