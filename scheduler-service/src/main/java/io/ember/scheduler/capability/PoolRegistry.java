package io.ember.scheduler.capability;

import io.ember.model.contract.CapabilityReport;
import io.ember.scheduler.config.SchedulerConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The latest capability report of every pool, rebuilt from the compacted capabilities topic, plus
 * the placements made since that no report includes yet. The reports are in memory only: a restart
 * replays the topic. The placements are every replica's: each decision first takes them from the
 * shared {@link AllocationLedger} ({@link #syncInFlight}).
 *
 * <p>All methods are synchronized: reports arrive on the capabilities consumer's thread while
 * placements are decided on the requests consumer's thread.
 */
@Startup
@ApplicationScoped
public class PoolRegistry {

  /** One placement not yet acknowledged by the pool's reports. */
  private record Allocation(String pool, double sizeGb, Instant at) {}

  private final Clock clock;
  private final Duration serviceDownTime;
  private final Duration inFlightTimeout;
  private final Duration initWaitTime;
  private final long createdNanos = System.nanoTime();

  private final Map<String, CapabilityReport> reports = new HashMap<>();
  private final Map<String, Instant> receivedAt = new HashMap<>();

  /** The volume hosts ({@code host@backend}) an admin disabled: their pools get no new volumes. */
  private final Set<String> disabledHosts = new HashSet<>();

  /**
   * The offset of the last record on each partition of the services topic when this process
   * started; null until known. The disabled hosts are complete once every one has been read.
   */
  private Map<Integer, Long> servicesEnd;

  /** The highest services-topic offset read so far, by partition. */
  private final Map<Integer, Long> servicesRead = new HashMap<>();

  /** The same for the capabilities topic: every pool's latest report is held once it is read. */
  private Map<Integer, Long> capabilitiesEnd;

  private final Map<Integer, Long> capabilitiesRead = new HashMap<>();

  /** By volume id: a volume has at most one placement in flight. */
  private final Map<String, Allocation> inFlight = new HashMap<>();

  @Inject
  public PoolRegistry(SchedulerConfig config) {
    this(config, Clock.systemUTC());
  }

  public PoolRegistry(SchedulerConfig config, Clock clock) {
    this.clock = clock;
    this.serviceDownTime = config.serviceDownTime();
    this.inFlightTimeout = config.inFlightTimeout();
    this.initWaitTime = config.initWaitTime();
  }

  /**
   * Takes a pool's report unless it is older than the one held (Cinder discards stale updates the
   * same way). The volumes it acknowledges stop counting as in flight: its numbers include them.
   *
   * @return whether the report was taken
   */
  public synchronized boolean update(CapabilityReport report) {
    Instant now = clock.instant();
    CapabilityReport held = reports.get(report.pool());
    if (held != null && timeOf(report, now).isBefore(timeOf(held, receivedAt.get(report.pool())))) {
      return false;
    }
    reports.put(report.pool(), report);
    receivedAt.put(report.pool(), now);
    for (String volumeId : report.acknowledgedVolumeIds()) {
      Allocation allocation = inFlight.get(volumeId);
      if (allocation != null && allocation.pool().equals(report.pool())) {
        inFlight.remove(volumeId);
      }
    }
    notifyAll();
    return true;
  }

  /** A tombstone on the compacted topic: the pool is gone. */
  public synchronized void remove(String pool) {
    reports.remove(pool);
    receivedAt.remove(pool);
    inFlight.values().removeIf(a -> a.pool().equals(pool));
  }

  /**
   * Counts {@code sizeGb} against {@code pool} until a report acknowledges {@code volumeId}. A
   * volume placed again (reschedule) gives back its earlier placement first, as Cinder's {@code
   * revert_volume_consumed_capacity}.
   */
  public synchronized void consume(String pool, String volumeId, double sizeGb) {
    inFlight.put(volumeId, new Allocation(pool, sizeGb, clock.instant()));
  }

  /**
   * Takes every replica's placements ({@link AllocationLedger}) as the in-flight set: a placement
   * counts unless the report held for its pool is the one that acknowledged it, or newer (that
   * report's numbers include it), or it is older than {@code in-flight-timeout}.
   */
  public synchronized void syncInFlight(List<InFlightAllocation> shared) {
    Instant expired = clock.instant().minus(inFlightTimeout);
    inFlight.clear();
    for (InFlightAllocation a : shared) {
      CapabilityReport held = reports.get(a.pool());
      boolean included =
          a.ackedReportAt() != null
              && held != null
              && !timeOf(held, receivedAt.get(a.pool())).isBefore(a.ackedReportAt());
      if (!included && a.placedAt().isAfter(expired)) {
        inFlight.put(a.volumeId(), new Allocation(a.pool(), a.sizeGb(), a.placedAt()));
      }
    }
  }

  /**
   * The time of the oldest report held, over every pool (null when none): an allocation that a
   * report no newer than this acknowledged is included in every report this process holds.
   */
  public synchronized Instant oldestReportHeld() {
    Instant oldest = null;
    for (CapabilityReport held : reports.values()) {
      Instant at = timeOf(held, receivedAt.get(held.pool()));
      if (oldest == null || at.isBefore(oldest)) {
        oldest = at;
      }
    }
    return oldest;
  }

  /** Gives back a placement that was not sent after all (its transaction rolled back). */
  public synchronized void release(String pool, String volumeId) {
    Allocation allocation = inFlight.get(volumeId);
    if (allocation != null && allocation.pool().equals(pool)) {
      inFlight.remove(volumeId);
    }
  }

  /** The pools that can be scheduled on now (up, and their host not disabled), by name. */
  public synchronized List<PoolState> livePools() {
    return pools().stream()
        .filter(PoolState::up)
        .filter(p -> !disabledHosts.contains(p.backendHost()))
        .toList();
  }

  /** An admin's {@code os-services} disable or enable of volume host {@code backendHost}. */
  public synchronized void setDisabled(String backendHost, boolean disabled) {
    if (disabled) {
      disabledHosts.add(backendHost);
    } else {
      disabledHosts.remove(backendHost);
    }
  }

  /** Every pool known, live or not, by name. */
  public synchronized List<PoolState> pools() {
    Instant now = clock.instant();
    inFlight.values().removeIf(a -> a.at().plus(inFlightTimeout).isBefore(now));
    Map<String, Double> inFlightByPool = new HashMap<>();
    for (Allocation a : inFlight.values()) {
      inFlightByPool.merge(a.pool(), a.sizeGb(), Double::sum);
    }
    List<PoolState> pools = new ArrayList<>(reports.size());
    for (CapabilityReport report : reports.values()) {
      Instant reported = timeOf(report, receivedAt.get(report.pool()));
      boolean up = !reported.plus(serviceDownTime).isBefore(now);
      pools.add(
          new PoolState(report, inFlightByPool.getOrDefault(report.pool(), 0.0), reported, up));
    }
    pools.sort(Comparator.comparing(PoolState::name));
    return pools;
  }

  /** The volume ids currently counted as in flight (for tests and the pools view). */
  public synchronized Set<String> inFlightVolumeIds() {
    return new HashSet<>(inFlight.keySet());
  }

  /**
   * Right after start the compacted topics are still being replayed: wait (at most until {@code
   * init-wait-time} after start) for one live pool and for the capabilities topic up to where it
   * ended at start, so that early requests are not failed for want of a host's report (Cinder waits
   * for every volume service's first report), and for the services topic up to where it ended at
   * start, so that no request lands on a host an admin disabled before this process started. Cinder
   * waits {@code scheduler_driver_init_wait_time} for the same reason.
   */
  public synchronized void awaitView() throws InterruptedException {
    long deadline = createdNanos + initWaitTime.toNanos();
    while (livePools().isEmpty()
        || !replayed(servicesEnd, servicesRead)
        || !replayed(capabilitiesEnd, capabilitiesRead)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }
  }

  /**
   * Where the services topic ended when this process started: the last offset per partition, none
   * for an empty one.
   */
  public synchronized void servicesEndAtStart(Map<Integer, Long> lastOffsets) {
    servicesEnd = Map.copyOf(lastOffsets);
    notifyAll();
  }

  /** A services-topic record was applied (or passed over). */
  public synchronized void servicesRead(int partition, long offset) {
    servicesRead.merge(partition, offset, Math::max);
    notifyAll();
  }

  /** Whether every services record there was at start has been read. */
  public synchronized boolean servicesReplayed() {
    return replayed(servicesEnd, servicesRead);
  }

  /** Where the capabilities topic ended when this process started (as for the services topic). */
  public synchronized void capabilitiesEndAtStart(Map<Integer, Long> lastOffsets) {
    capabilitiesEnd = Map.copyOf(lastOffsets);
    notifyAll();
  }

  /** A capabilities-topic record was applied (or passed over as stale). */
  public synchronized void capabilitiesRead(int partition, long offset) {
    capabilitiesRead.merge(partition, offset, Math::max);
    notifyAll();
  }

  /** Whether every record up to {@code end} (null: not known yet) has been {@code read}. */
  private static boolean replayed(Map<Integer, Long> end, Map<Integer, Long> read) {
    if (end == null) {
      return false;
    }
    for (Map.Entry<Integer, Long> e : end.entrySet()) {
      if (read.getOrDefault(e.getKey(), -1L) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static Instant timeOf(CapabilityReport report, Instant fallback) {
    return report.reportedAt() != null ? report.reportedAt() : fallback;
  }
}
