package io.ember.volume.backend;

import java.time.Instant;

/**
 * A snapshot this host's backend holds.
 *
 * @param pool {@code host@backend#pool} of its volume
 * @param volumeSize GiB of the volume when the snapshot was taken
 */
public record BackendSnapshot(
    String snapshotId,
    String volumeId,
    String pool,
    int volumeSize,
    String providerLocation,
    Instant createdAt) {}
