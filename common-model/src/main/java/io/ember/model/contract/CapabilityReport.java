package io.ember.model.contract;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One pool's capabilities, as a Cinder driver's {@code get_volume_stats} reports them per pool.
 * Published to the compacted capabilities topic keyed by {@link #pool()}.
 *
 * @param pool {@code host@backend#pool}
 * @param acknowledgedVolumeIds the volumes whose create command this host has finished (either way)
 *     recently, and the extends it finished as {@link #extendKey}, so the scheduler can stop
 *     counting them as in-flight allocations
 */
public record CapabilityReport(
    String pool,
    String volumeBackendName,
    String vendorName,
    String driverVersion,
    String storageProtocol,
    String availabilityZone,
    double totalCapacityGb,
    double freeCapacityGb,
    double allocatedCapacityGb,
    double provisionedCapacityGb,
    boolean thinProvisioningSupport,
    boolean thickProvisioningSupport,
    double maxOverSubscriptionRatio,
    int reservedPercentage,
    Map<String, String> extraCapabilities,
    List<String> acknowledgedVolumeIds,
    Instant reportedAt) {

  public CapabilityReport {
    extraCapabilities = extraCapabilities == null ? Map.of() : Map.copyOf(extraCapabilities);
    acknowledgedVolumeIds =
        acknowledgedVolumeIds == null ? List.of() : List.copyOf(acknowledgedVolumeIds);
  }

  /**
   * How an extend of {@code volumeId} to {@code newSize} GiB is counted in flight and acknowledged:
   * apart from the volume's create (whose id stays in the acknowledged list a while, and would
   * otherwise acknowledge the extend before it is done), and apart from an earlier extend (sizes
   * only grow).
   */
  public static String extendKey(String volumeId, int newSize) {
    return volumeId + ":extend:" + newSize;
  }
}
