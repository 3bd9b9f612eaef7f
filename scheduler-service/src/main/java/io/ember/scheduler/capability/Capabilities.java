package io.ember.scheduler.capability;

import io.ember.model.HostAddress;
import io.ember.model.contract.CapabilityReport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pool's capabilities under the names Cinder drivers report them ({@code volume_backend_name},
 * {@code free_capacity_gb} ...), which is what volume-type extra specs and {@code get_pools} speak.
 */
public final class Capabilities {

  private Capabilities() {}

  /**
   * The capacity numbers include the scheduler's in-flight placements, as Cinder's host state does.
   * Driver-specific extra capabilities come first so that a standard key always means the standard
   * value (an extra capability cannot fake free space).
   */
  public static Map<String, Object> of(PoolState pool) {
    CapabilityReport r = pool.report();
    Map<String, Object> caps = new LinkedHashMap<>(r.extraCapabilities());
    caps.put("pool_name", HostAddress.parse(r.pool()).pool());
    caps.put("volume_backend_name", r.volumeBackendName());
    caps.put("vendor_name", r.vendorName());
    caps.put("driver_version", r.driverVersion());
    caps.put("storage_protocol", r.storageProtocol());
    caps.put("availability_zone", r.availabilityZone());
    caps.put("total_capacity_gb", pool.totalCapacityGb());
    caps.put("free_capacity_gb", pool.freeCapacityGb());
    caps.put("allocated_capacity_gb", pool.allocatedCapacityGb());
    caps.put("provisioned_capacity_gb", pool.provisionedCapacityGb());
    caps.put("thin_provisioning_support", r.thinProvisioningSupport());
    caps.put("thick_provisioning_support", r.thickProvisioningSupport());
    caps.put("max_over_subscription_ratio", r.maxOverSubscriptionRatio());
    caps.put("reserved_percentage", r.reservedPercentage());
    caps.put("timestamp", pool.reportedAt() == null ? null : pool.reportedAt().toString());
    caps.values().removeIf(v -> v == null);
    return caps;
  }
}
