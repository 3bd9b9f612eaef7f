package io.ember.model.contract;

import java.util.Map;

/**
 * Adopt a backend object Ember does not manage as a new volume (Cinder's {@code manage_existing}):
 * api → scheduler, which checks that {@code host} passes the filters for the volume, then scheduler
 * → that host, with {@code host} narrowed to the pool found.
 *
 * @param volume the new volume as a placement request sees it (its size is 0 until the host sizes
 *     the object)
 * @param host {@code host@backend[#pool]} the admin named
 * @param ref how the backend names the object, e.g. {@code {"source-name": "volume-<id>"}}
 */
public record ManageExisting(VolumeSpec volume, String host, Map<String, String> ref) {

  public ManageExisting {
    ref = ref == null ? Map.of() : Map.copyOf(ref);
  }
}
