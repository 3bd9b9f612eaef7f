package io.ember.model.contract;

import java.time.Instant;
import java.util.Map;

/**
 * What a new volume should be, as the API accepted it.
 *
 * @param qosSpecs the type's back-end QoS for the driver; null when it has none, and in messages
 *     written before the field existed
 * @param source the snapshot, volume or image the data comes from; null for a raw volume
 */
public record VolumeSpec(
    String volumeId,
    String projectId,
    String userId,
    int size,
    String name,
    String availabilityZone,
    String volumeTypeId,
    Map<String, String> extraSpecs,
    Map<String, String> metadata,
    Instant createdAt,
    QosSpecs qosSpecs,
    VolumeSource source) {

  public VolumeSpec {
    extraSpecs = extraSpecs == null ? Map.of() : Map.copyOf(extraSpecs);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A raw volume. */
  public VolumeSpec(
      String volumeId,
      String projectId,
      String userId,
      int size,
      String name,
      String availabilityZone,
      String volumeTypeId,
      Map<String, String> extraSpecs,
      Map<String, String> metadata,
      Instant createdAt,
      QosSpecs qosSpecs) {
    this(
        volumeId,
        projectId,
        userId,
        size,
        name,
        availabilityZone,
        volumeTypeId,
        extraSpecs,
        metadata,
        createdAt,
        qosSpecs,
        null);
  }

  /** A raw volume whose type has no back-end QoS. */
  public VolumeSpec(
      String volumeId,
      String projectId,
      String userId,
      int size,
      String name,
      String availabilityZone,
      String volumeTypeId,
      Map<String, String> extraSpecs,
      Map<String, String> metadata,
      Instant createdAt) {
    this(
        volumeId,
        projectId,
        userId,
        size,
        name,
        availabilityZone,
        volumeTypeId,
        extraSpecs,
        metadata,
        createdAt,
        null,
        null);
  }

  /** This spec with its data taken from {@code newSource}. */
  public VolumeSpec withSource(VolumeSource newSource) {
    return new VolumeSpec(
        volumeId,
        projectId,
        userId,
        size,
        name,
        availabilityZone,
        volumeTypeId,
        extraSpecs,
        metadata,
        createdAt,
        qosSpecs,
        newSource);
  }
}
