package io.ember.model.contract;

import java.time.Instant;

/** The backend holds the volume; it is ready to use. */
public record VolumeCreated(
    String volumeId, String pool, String providerLocation, Instant launchedAt) {}
