package io.ember.volume.driver;

import io.ember.model.contract.QosSpecs;
import java.util.Map;

/**
 * The part of a volume a driver sees.
 *
 * @param pool the pool name alone (the part after {@code #})
 * @param providerLocation what {@link VolumeDriver#createVolume} returned, or null when unknown
 * @param qosSpecs the type's back-end QoS for the driver to apply (Cinder's drivers read it with
 *     {@code get_volume_type_qos_specs}); null when there is none, and on delete
 */
public record DriverVolume(
    String id,
    int size,
    String pool,
    Map<String, String> metadata,
    String providerLocation,
    QosSpecs qosSpecs) {

  public DriverVolume {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A volume without back-end QoS. */
  public DriverVolume(
      String id, int size, String pool, Map<String, String> metadata, String providerLocation) {
    this(id, size, pool, metadata, providerLocation, null);
  }
}
