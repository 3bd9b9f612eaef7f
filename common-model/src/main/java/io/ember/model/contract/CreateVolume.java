package io.ember.model.contract;

/**
 * Create a volume on {@code pool} ({@code host@backend#pool}).
 *
 * @param allowReschedule whether a driver failure may send the volume back to the scheduler
 */
public record CreateVolume(VolumeSpec volume, String pool, Retry retry, boolean allowReschedule) {}
