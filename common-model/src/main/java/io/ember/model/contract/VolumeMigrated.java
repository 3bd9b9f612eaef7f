package io.ember.model.contract;

/**
 * volume host → api: the volume now lives on {@code pool} under its own id; the source copy is gone
 * (migration_status {@code success}).
 */
public record VolumeMigrated(String volumeId, String pool, String providerLocation) {}
