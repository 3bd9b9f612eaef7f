package io.ember.scheduler.filter;

import io.ember.scheduler.capability.PoolState;

/** A volume that names an availability zone goes only to pools in that zone. */
public final class AvailabilityZoneFilter implements PoolFilter {

  @Override
  public boolean passes(PoolState pool, FilterProperties request) {
    String wanted = request.volume().availabilityZone();
    return wanted == null || wanted.equals(pool.report().availabilityZone());
  }
}
