package io.ember.model.contract;

/** volume host → api: the backend object is now the volume, of {@code size} GiB. */
public record VolumeManaged(String volumeId, String pool, int size, String providerLocation) {}
