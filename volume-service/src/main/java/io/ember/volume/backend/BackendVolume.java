package io.ember.volume.backend;

import java.time.Instant;

/**
 * A volume this host's backend holds.
 *
 * @param pool {@code host@backend#pool}
 */
public record BackendVolume(
    String volumeId, String pool, int size, String providerLocation, Instant createdAt) {}
