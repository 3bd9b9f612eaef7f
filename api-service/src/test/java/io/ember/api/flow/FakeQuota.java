package io.ember.api.flow;

import io.ember.api.fault.QuotaExceeded;
import io.ember.api.quota.ProjectQuota;
import io.ember.api.quota.Reservation;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A project's quota in memory, for the quota tasks: what is held (reserved, not yet committed or
 * rolled back) and what is committed, per resource; a reservation of more volumes than {@code
 * volumeLimit} is refused with Cinder's 413, as the ledger refuses it.
 */
final class FakeQuota implements ProjectQuota {

  private final int volumeLimit;
  private final Map<String, Integer> held = new TreeMap<>();
  private final Map<String, Integer> committed = new TreeMap<>();

  FakeQuota(int volumeLimit) {
    this.volumeLimit = volumeLimit;
  }

  @Override
  public Reservation reserve(Map<String, Integer> deltas) {
    int volumes = deltas.getOrDefault("volumes", 0);
    if (held().getOrDefault("volumes", 0) + committed().getOrDefault("volumes", 0) + volumes
        > volumeLimit) {
      throw QuotaExceeded.volumeLimit(volumeLimit, "volumes");
    }
    SortedMap<String, Integer> sorted = new TreeMap<>(deltas);
    sorted.forEach((resource, d) -> held.merge(resource, d, Integer::sum));
    return new Reservation("p1", sorted);
  }

  @Override
  public void commit(Reservation reservation) {
    reservation
        .deltas()
        .forEach(
            (resource, d) -> {
              held.merge(resource, -d, Integer::sum);
              committed.merge(resource, d, Integer::sum);
            });
  }

  @Override
  public void rollback(Reservation reservation) {
    if (reservation != null) {
      reservation.deltas().forEach((resource, d) -> held.merge(resource, -d, Integer::sum));
    }
  }

  @Override
  public void release(Map<String, Integer> deltas) {
    deltas.forEach((resource, d) -> committed.merge(resource, -d, Integer::sum));
  }

  /** Reserved and neither committed nor rolled back; non-zero entries only. */
  Map<String, Integer> held() {
    return nonZero(held);
  }

  /** Committed and not given back; non-zero entries only. */
  Map<String, Integer> committed() {
    return nonZero(committed);
  }

  private static Map<String, Integer> nonZero(Map<String, Integer> amounts) {
    Map<String, Integer> left = new TreeMap<>();
    amounts.forEach(
        (resource, d) -> {
          if (d != 0) {
            left.put(resource, d);
          }
        });
    return left;
  }
}
