package io.ember.api.quota;

import io.ember.api.fault.QuotaExceeded;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One project's quota inside one transaction: its usage rows locked on first use, reservations
 * checked and held in memory, and only the net change of usage written back (by {@link
 * QuotaService#close}). This is what lets several creates of a project share one transaction: each
 * is checked against what the ones before it took, and the rows are written once.
 */
public final class QuotaLedger implements ProjectQuota {

  /**
   * Locks usage rows; answers their usage, and the limits of (at least) those resources and of
   * per_volume_gigabytes, defaults filled in.
   */
  @FunctionalInterface
  interface UsageLock {
    Locked lock(SortedSet<String> resources);
  }

  /** What {@link UsageLock} answers: resource → in_use + reserved, resource → hard limit. */
  record Locked(Map<String, Integer> usage, Map<String, Integer> limits) {}

  private final String projectId;
  private final UsageLock usageLock;

  /** resource → hard limit (-1: none); read with each lock. */
  private final Map<String, Integer> limits = new TreeMap<>();

  /** resource → usage (in_use + reserved) as the locked row says. */
  private final Map<String, Integer> stored = new TreeMap<>();

  /** resource → reserved by this ledger and not yet committed or rolled back. */
  private final Map<String, Integer> held = new TreeMap<>();

  /** resource → usage committed by this ledger, to be added to in_use. */
  private final SortedMap<String, Integer> committed = new TreeMap<>();

  QuotaLedger(String projectId, UsageLock usageLock) {
    this.projectId = projectId;
    this.usageLock = usageLock;
  }

  public String projectId() {
    return projectId;
  }

  /** Holds {@code deltas} or fails with Cinder's 413 message, leaving nothing held. */
  @Override
  public Reservation reserve(Map<String, Integer> deltas) {
    SortedMap<String, Integer> sorted = new TreeMap<>(deltas);
    // Locking first also reads the limits; a reservation refused below still leaves the rows
    // locked, as later reservations of the transaction need them anyway.
    lockMissing(sorted);
    Integer size = sorted.get(QuotaService.GIGABYTES);
    int perVolume = limits.getOrDefault("per_volume_gigabytes", -1);
    // A snapshot is no new volume: Cinder checks per_volume_gigabytes on volume creates only.
    if (size != null
        && !deltas.containsKey(QuotaService.SNAPSHOTS)
        && perVolume >= 0
        && size > perVolume) {
      throw QuotaExceeded.perVolume(size, perVolume);
    }
    // In the caller's order, as Cinder names the first resource of its deltas that is over quota
    // (volumes before gigabytes, the totals before the type's).
    for (Map.Entry<String, Integer> delta : deltas.entrySet()) {
      String resource = delta.getKey();
      int consumed = consumed(resource);
      int limit = limits.getOrDefault(resource, -1);
      // In long: a size near 2^31 would wrap an int sum past the check. Unlimited still ends
      // where the usage column does.
      long after = (long) consumed + delta.getValue();
      long ceiling = limit >= 0 ? limit : Integer.MAX_VALUE;
      if (delta.getValue() > 0 && after > ceiling) {
        throw QuotaService.overQuota(
            resource, delta.getValue(), limit >= 0 ? limit : Integer.MAX_VALUE, consumed);
      }
    }
    sorted.forEach((resource, d) -> held.merge(resource, d, Integer::sum));
    return new Reservation(projectId, sorted);
  }

  /** Turns a held reservation into usage. */
  @Override
  public void commit(Reservation reservation) {
    if (reservation == null) {
      return;
    }
    reservation
        .deltas()
        .forEach(
            (resource, d) -> {
              held.merge(resource, -d, Integer::sum);
              committed.merge(resource, d, Integer::sum);
            });
  }

  /** Gives a held reservation back. */
  @Override
  public void rollback(Reservation reservation) {
    if (reservation != null) {
      reservation.deltas().forEach((resource, d) -> held.merge(resource, -d, Integer::sum));
    }
  }

  /** Gives committed usage back (a create reverted after its quota was committed). */
  @Override
  public void release(Map<String, Integer> deltas) {
    deltas.forEach((resource, d) -> committed.merge(resource, -d, Integer::sum));
  }

  /**
   * Adds usage with no limit check: usage moved here from other resources (a retype's, whose new
   * type was checked when it was asked for; the caller releases the old). Its rows are locked in
   * order, made on first use, as for a reservation.
   */
  public void charge(Map<String, Integer> deltas) {
    lockMissing(new TreeMap<>(deltas));
    deltas.forEach((resource, d) -> committed.merge(resource, d, Integer::sum));
  }

  /** The net change of in_use to write; non-zero entries only. */
  SortedMap<String, Integer> netUsage() {
    SortedMap<String, Integer> net = new TreeMap<>();
    committed.forEach(
        (resource, d) -> {
          if (d != 0) {
            net.put(resource, d);
          }
        });
    return net;
  }

  private int consumed(String resource) {
    return stored.getOrDefault(resource, 0)
        + held.getOrDefault(resource, 0)
        + committed.getOrDefault(resource, 0);
  }

  /** Locks (creating on first use) the rows not locked yet, all in one statement, in order. */
  private void lockMissing(SortedMap<String, Integer> deltas) {
    SortedSet<String> missing = new TreeSet<>();
    for (String resource : deltas.keySet()) {
      if (!stored.containsKey(resource)) {
        missing.add(resource);
      }
    }
    if (!missing.isEmpty()) {
      Locked locked = usageLock.lock(missing);
      stored.putAll(locked.usage());
      limits.putAll(locked.limits());
    }
  }
}
