package io.ember.model.contract;

/**
 * scheduler or volume host → api: the migration did not happen; the volume stays where it was,
 * usable (migration_status {@code error}).
 */
public record VolumeMigrateFailed(String volumeId, String reason) {}
