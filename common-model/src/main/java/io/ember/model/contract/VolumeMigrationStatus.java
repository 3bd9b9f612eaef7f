package io.ember.model.contract;

/** volume host → api: a migration reached {@code migrationStatus} (migrating, completing). */
public record VolumeMigrationStatus(String volumeId, String migrationStatus) {}
