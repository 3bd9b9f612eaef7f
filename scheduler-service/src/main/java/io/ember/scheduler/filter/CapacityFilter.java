package io.ember.scheduler.filter;

import io.ember.scheduler.capability.CapacityFactors;
import io.ember.scheduler.capability.PoolState;
import org.jboss.logging.Logger;

/**
 * Cinder's CapacityFilter: the pool must have room for the volume after the reserved percentage,
 * counting thin pools against their over-subscription ratio and thick ones against real free space.
 *
 * <p>Where Cinder leaves it to the driver to refuse a type whose {@code provisioning:type} the pool
 * cannot do (and to reschedule after the failure), Ember filters such a pool out up front: a pool
 * that reports no {@code thick_provisioning_support} gets no {@code provisioning:type=thick}
 * volume, and one without {@code thin_provisioning_support} no explicit {@code thin} one. A type
 * that says nothing keeps Cinder's rule (thin where the pool can, else thick math).
 */
public final class CapacityFilter implements PoolFilter {

  private static final Logger LOG = Logger.getLogger(CapacityFilter.class);

  @Override
  public boolean passes(PoolState pool, FilterProperties request) {
    double requested = request.sizeGb();
    if (pool.totalCapacityGb() <= 0) {
      LOG.debugf(
          "%s: total capacity %.2f GB, nothing to place on", pool.name(), pool.totalCapacityGb());
      return false;
    }
    String asked = request.volume().extraSpecs().get(FilterProperties.PROVISIONING_TYPE);
    if ("thick".equals(asked) && !pool.report().thickProvisioningSupport()
        || "thin".equals(asked) && !pool.thinProvisioningSupport()) {
      LOG.debugf("%s: cannot provision the %s volume the type asks for", pool.name(), asked);
      return false;
    }
    CapacityFactors factors = CapacityFactors.of(pool, request.thinProvisioningRequested());
    if (factors.thin()) {
      double ratio = pool.maxOverSubscriptionRatio();
      if (ratio < 1) {
        // Cinder filters such a pool out: a ratio below 1 is a misconfiguration, not a limit.
        LOG.warnf("%s: invalid max_over_subscription_ratio %.2f (minimum 1.0)", pool.name(), ratio);
        return false;
      }
      double provisionedRatio =
          (pool.provisionedCapacityGb() + requested) / factors.totalAvailable();
      if (provisionedRatio > ratio) {
        LOG.debugf(
            "%s: provisioned ratio %.2f would exceed max_over_subscription_ratio %.2f",
            pool.name(), provisionedRatio, ratio);
        return false;
      }
    }
    if (factors.virtualFree() < requested) {
      LOG.debugf(
          "%s: %.2f GB virtual free, %.0f GB requested",
          pool.name(), factors.virtualFree(), requested);
      return false;
    }
    return true;
  }
}
