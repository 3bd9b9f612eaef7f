package io.ember.scheduler.weigher;

import io.ember.scheduler.capability.CapacityFactors;
import io.ember.scheduler.capability.PoolState;
import io.ember.scheduler.filter.FilterProperties;

/**
 * Cinder's CapacityWeigher: more virtual free capacity weighs more, so a positive multiplier
 * spreads volumes over pools and a negative one stacks them.
 */
public final class CapacityWeigher implements PoolWeigher {

  private final double multiplier;

  public CapacityWeigher(double multiplier) {
    this.multiplier = multiplier;
  }

  @Override
  public double weigh(PoolState pool, FilterProperties request) {
    return CapacityFactors.of(pool, request.thinProvisioningRequested()).virtualFree();
  }

  @Override
  public double multiplier() {
    return multiplier;
  }
}
