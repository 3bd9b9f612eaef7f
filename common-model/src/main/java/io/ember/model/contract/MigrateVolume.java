package io.ember.model.contract;

/**
 * scheduler → the volume's host: move the volume to {@code destPool}, by its driver when it can and
 * {@code forceHostCopy} is false, else by a copy to a new volume there (Cinder's volume rpcapi
 * {@code migrate_volume}).
 */
public record MigrateVolume(
    String volumeId,
    String projectId,
    int size,
    String pool,
    String destPool,
    boolean forceHostCopy) {}
