package io.ember.api.service;

import io.ember.model.HostAddress;
import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.ServiceHeartbeat;
import io.ember.model.contract.ServiceRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The services and pools this API process has heard of, rebuilt from the compacted capabilities and
 * services topics (each process reads both from the start under a group of its own). In memory
 * only: the topics keep the latest report per pool and the latest heartbeat per service, so a
 * replay at start gives the same view, and a heartbeat every few seconds is no database write.
 *
 * <p>A volume host's capability reports are its heartbeats (it sends them every {@code
 * ember.capabilities.interval}); the scheduler sends heartbeats of its own.
 */
@ApplicationScoped
public class ServiceDirectory {

  /** One service as last heard of. */
  public record Heard(String binary, String host, String zone, Instant lastSeen) {}

  private final Map<String, CapabilityReport> pools = new HashMap<>();
  private final Map<String, ServiceHeartbeat> heartbeats = new HashMap<>();

  /** Takes a pool's report unless an older one than held (a replay of a stale record). */
  public synchronized void report(CapabilityReport report) {
    CapabilityReport held = pools.get(report.pool());
    if (held != null
        && held.reportedAt() != null
        && report.reportedAt() != null
        && report.reportedAt().isBefore(held.reportedAt())) {
      return;
    }
    pools.put(report.pool(), report);
  }

  /** A tombstone on the capabilities topic: the pool is gone for good. */
  public synchronized void removePool(String pool) {
    pools.remove(pool);
  }

  public synchronized void heartbeat(ServiceHeartbeat heartbeat) {
    String key = heartbeat.binary() + "|" + heartbeat.host();
    ServiceHeartbeat held = heartbeats.get(key);
    if (held != null
        && held.reportedAt() != null
        && heartbeat.reportedAt() != null
        && heartbeat.reportedAt().isBefore(held.reportedAt())) {
      return;
    }
    heartbeats.put(key, heartbeat);
  }

  /** The pools' latest reports, by name. */
  public synchronized List<CapabilityReport> pools() {
    List<CapabilityReport> all = new ArrayList<>(pools.values());
    all.sort(Comparator.comparing(CapabilityReport::pool));
    return all;
  }

  /**
   * Every service heard of: the volume hosts ({@code host@backend}, last seen at their newest
   * pool's report), then the schedulers, each by host.
   */
  public synchronized List<Heard> services() {
    Map<String, Heard> volumeHosts = new HashMap<>();
    for (CapabilityReport r : pools.values()) {
      String host = HostAddress.parse(r.pool()).backendHost();
      Heard held = volumeHosts.get(host);
      if (held == null || later(r.reportedAt(), held.lastSeen())) {
        volumeHosts.put(
            host,
            new Heard(ServiceRecord.VOLUME_BINARY, host, r.availabilityZone(), r.reportedAt()));
      }
    }
    List<Heard> all = new ArrayList<>(volumeHosts.values());
    all.sort(Comparator.comparing(Heard::host));
    List<Heard> others = new ArrayList<>();
    for (ServiceHeartbeat h : heartbeats.values()) {
      others.add(new Heard(h.binary(), h.host(), h.availabilityZone(), h.reportedAt()));
    }
    others.sort(Comparator.comparing(Heard::binary).thenComparing(Heard::host));
    all.addAll(others);
    return all;
  }

  public Optional<Heard> find(String binary, String host) {
    return services().stream()
        .filter(s -> s.binary().equals(binary) && s.host().equals(host))
        .findFirst();
  }

  private static boolean later(Instant a, Instant b) {
    return a != null && (b == null || a.isAfter(b));
  }
}
