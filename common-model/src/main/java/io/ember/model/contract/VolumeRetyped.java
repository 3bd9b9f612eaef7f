package io.ember.model.contract;

/** volume host → api: the backend holds the volume as of type {@code newTypeId} now. */
public record VolumeRetyped(String volumeId, String newTypeId) {}
