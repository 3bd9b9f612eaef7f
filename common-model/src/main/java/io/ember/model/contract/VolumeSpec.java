package io.ember.model.contract;

import java.time.Instant;
import java.util.Map;

/** What a new volume should be, as the API accepted it. */
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
    Instant createdAt) {

  public VolumeSpec {
    extraSpecs = extraSpecs == null ? Map.of() : Map.copyOf(extraSpecs);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
