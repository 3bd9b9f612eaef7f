package io.ember.model.contract;

/**
 * api → the host of a migrating volume, a call (Cinder's volume rpcapi {@code
 * migrate_volume_completion} without error): the volume at {@code newVolumeId} on {@code newPool}
 * holds the bytes now; it becomes the volume (the destination adopts it under the volume's id) and
 * this host's copy goes. Replied with no result once the hand-over is committed.
 */
public record CompleteMigration(
    String volumeId, String newVolumeId, String projectId, int size, String pool, String newPool) {}
