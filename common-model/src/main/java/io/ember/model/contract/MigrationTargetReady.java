package io.ember.model.contract;

/**
 * destination host → source host: the migration target exists and takes its bytes with an HTTP
 * {@code PUT} to {@code url} carrying {@code token} (once); or, when {@code error} is set, it could
 * not be created and the migration fails.
 */
public record MigrationTargetReady(
    String volumeId,
    String projectId,
    int size,
    String targetId,
    String destPool,
    String providerLocation,
    String url,
    String token,
    String error) {}
