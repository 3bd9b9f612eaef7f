package io.ember.model.contract;

/**
 * source host → destination host: create the empty volume {@code targetId} a migration copies into
 * (Cinder's temporary volume of {@code _migrate_volume_generic}) and open a one-time data channel
 * for its bytes; answered with {@link MigrationTargetReady} on {@code sourceHost}'s topic.
 */
public record CreateMigrationTarget(
    String volumeId,
    String targetId,
    String projectId,
    int size,
    String destPool,
    String sourceHost) {}
