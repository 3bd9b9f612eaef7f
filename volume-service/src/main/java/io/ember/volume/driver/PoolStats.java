package io.ember.volume.driver;

import java.util.Map;

/**
 * One pool of {@link VolumeStats}, with Cinder's required per-pool keys. Allocated capacity is not
 * here: the manager counts it from its own records, as Cinder's does.
 *
 * @param extra optional capability keys ({@code total_volumes}, {@code multiattach} ...)
 */
public record PoolStats(
    String poolName,
    double totalCapacityGb,
    double freeCapacityGb,
    double provisionedCapacityGb,
    boolean thinProvisioningSupport,
    boolean thickProvisioningSupport,
    double maxOverSubscriptionRatio,
    int reservedPercentage,
    Map<String, String> extra) {

  public PoolStats {
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }
}
