package io.ember.volume.capability;

import io.ember.model.HostAddress;
import io.ember.model.contract.CapabilityReport;
import io.ember.volume.driver.PoolStats;
import io.ember.volume.driver.VolumeStats;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns the driver's stats and the manager's own counts into one report per pool. */
final class CapabilityReports {

  private final HostAddress host;
  private final String availabilityZone;
  private final Map<String, String> extraCapabilities;

  CapabilityReports(String host, String availabilityZone, Map<String, String> extraCapabilities) {
    this.host = HostAddress.parse(host);
    this.availabilityZone = availabilityZone;
    this.extraCapabilities = Map.copyOf(extraCapabilities);
  }

  /**
   * @param allocatedGb gigabytes this host has recorded per pool ({@code host@backend#pool})
   */
  List<CapabilityReport> build(
      VolumeStats stats,
      Map<String, Long> allocatedGb,
      AcknowledgedCreates acknowledged,
      Instant now) {
    return stats.pools().stream()
        .map(pool -> report(stats, pool, allocatedGb, acknowledged, now))
        .toList();
  }

  private CapabilityReport report(
      VolumeStats stats,
      PoolStats pool,
      Map<String, Long> allocatedGb,
      AcknowledgedCreates acknowledged,
      Instant now) {
    String name = host.withPool(pool.poolName()).toString();
    // Operator settings win over what the driver says, as Cinder merges extra_capabilities last.
    Map<String, String> extra = new HashMap<>(pool.extra());
    extra.putAll(extraCapabilities);
    return new CapabilityReport(
        name,
        stats.volumeBackendName(),
        stats.vendorName(),
        stats.driverVersion(),
        stats.storageProtocol(),
        availabilityZone,
        pool.totalCapacityGb(),
        pool.freeCapacityGb(),
        allocatedGb.getOrDefault(name, 0L),
        pool.provisionedCapacityGb(),
        pool.thinProvisioningSupport(),
        pool.thickProvisioningSupport(),
        pool.maxOverSubscriptionRatio(),
        pool.reservedPercentage(),
        extra,
        acknowledged.of(name),
        now);
  }
}
