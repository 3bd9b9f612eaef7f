package io.ember.volume.driver;

/**
 * The part of a snapshot a driver sees.
 *
 * @param volumeSize GiB of the volume when the snapshot was taken
 * @param providerLocation what {@link VolumeDriver#createSnapshot} returned, or null when unknown
 */
public record DriverSnapshot(String id, String volumeId, int volumeSize, String providerLocation) {}
