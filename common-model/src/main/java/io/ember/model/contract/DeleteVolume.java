package io.ember.model.contract;

import java.util.Map;

/**
 * Delete a volume from the pool that holds it.
 *
 * @param name the volume's name, for the delete notifications (a host keeps no names); null when
 *     unknown
 * @param metadata the volume's metadata, for the same; empty when unknown
 */
public record DeleteVolume(
    String volumeId,
    String projectId,
    String pool,
    int size,
    String name,
    Map<String, String> metadata) {

  public DeleteVolume {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
