package io.ember.model.contract;

/**
 * source host → destination host: the bytes are copied; the target becomes the volume itself (its
 * backend record and data renamed from {@code targetId} to {@code volumeId}, as a driver's {@code
 * update_migrated_volume} does), and the destination announces {@link VolumeMigrated}.
 */
public record AdoptMigrationTarget(
    String volumeId, String targetId, String projectId, int size, String destPool) {}
