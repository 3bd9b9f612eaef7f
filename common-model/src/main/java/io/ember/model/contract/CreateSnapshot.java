package io.ember.model.contract;

/**
 * api → the volume's host: take a point-in-time copy of a volume ({@code create_snapshot}).
 *
 * @param pool the {@code host@backend#pool} holding the volume
 * @param volumeSize the volume's size in GiB when the snapshot was asked for
 */
public record CreateSnapshot(
    String snapshotId,
    String volumeId,
    String projectId,
    String pool,
    int volumeSize,
    String name) {}
