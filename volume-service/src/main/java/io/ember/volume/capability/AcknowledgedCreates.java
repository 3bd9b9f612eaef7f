package io.ember.volume.capability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The volumes whose create each pool finished lately, either way. The scheduler counts a placed
 * volume as in flight until a report of its pool lists it here; by then the report's capacity
 * includes it (or it failed), so dropping the oldest beyond the limit is safe.
 */
final class AcknowledgedCreates {

  private final int limit;
  private final Map<String, LinkedHashSet<String>> byPool = new HashMap<>();

  AcknowledgedCreates(int limit) {
    this.limit = limit;
  }

  synchronized void add(String pool, String volumeId) {
    LinkedHashSet<String> ids = byPool.computeIfAbsent(pool, p -> new LinkedHashSet<>());
    ids.remove(volumeId);
    ids.add(volumeId);
    while (ids.size() > limit) {
      ids.remove(ids.iterator().next());
    }
  }

  /** Oldest first. */
  synchronized List<String> of(String pool) {
    LinkedHashSet<String> ids = byPool.get(pool);
    return ids == null ? List.of() : new ArrayList<>(ids);
  }
}
