package io.ember.scheduler.capability;

/**
 * Cinder's {@code calculate_capacity_factors}: the capacity a pool can still give, shared by the
 * CapacityFilter (does the volume fit?) and the CapacityWeigher (where is most room?).
 *
 * @param reserved {@code floor(total * reserved_percentage / 100)}
 * @param totalAvailable {@code total - reserved}, times the over-subscription ratio when thin
 * @param virtualFree what is left of {@code totalAvailable} for new volumes
 * @param thin whether thin provisioning applies (requested by the type and supported by the pool)
 */
public record CapacityFactors(
    double total, double reserved, double totalAvailable, double virtualFree, boolean thin) {

  /**
   * @param thinRequested false when the volume type says {@code provisioning:type=thick}
   */
  public static CapacityFactors of(PoolState pool, boolean thinRequested) {
    double total = pool.totalCapacityGb();
    double reserved = Math.floor(total * pool.reservedPercentage() / 100.0);
    boolean thin = thinRequested && pool.thinProvisioningSupport();
    double totalAvailable = total - reserved;
    double virtualFree;
    if (thin) {
      totalAvailable = totalAvailable * pool.maxOverSubscriptionRatio();
      virtualFree = totalAvailable - pool.provisionedCapacityGb();
    } else {
      virtualFree = Math.min(pool.freeCapacityGb(), totalAvailable - pool.provisionedCapacityGb());
    }
    return new CapacityFactors(total, reserved, totalAvailable, virtualFree, thin);
  }
}
