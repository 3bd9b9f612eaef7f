package io.ember.volume.driver;

import java.util.Map;

/**
 * The part of a volume a driver sees.
 *
 * @param pool the pool name alone (the part after {@code #})
 * @param providerLocation what {@link VolumeDriver#createVolume} returned, or null when unknown
 */
public record DriverVolume(
    String id, int size, String pool, Map<String, String> metadata, String providerLocation) {

  public DriverVolume {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
