package io.ember.scheduler.capability;

import io.ember.model.HostAddress;
import io.ember.model.contract.CapabilityReport;
import java.time.Instant;

/**
 * The scheduler's view of one pool at one moment: the pool's latest report plus the placements the
 * scheduler made since that the report does not yet include (Cinder's {@code consume_from_volume}).
 *
 * @param inFlightGb gigabytes placed on this pool and not yet acknowledged by a report
 * @param up whether the report is recent enough for the pool to be scheduled on
 */
public record PoolState(
    CapabilityReport report, double inFlightGb, Instant reportedAt, boolean up) {

  public String name() {
    return report.pool();
  }

  /** {@code host@backend}: the volume-service process that owns the pool. */
  public String backendHost() {
    return HostAddress.parse(report.pool()).backendHost();
  }

  public double totalCapacityGb() {
    return report.totalCapacityGb();
  }

  public double freeCapacityGb() {
    return report.freeCapacityGb() - inFlightGb;
  }

  public double allocatedCapacityGb() {
    return report.allocatedCapacityGb() + inFlightGb;
  }

  public double provisionedCapacityGb() {
    return report.provisionedCapacityGb() + inFlightGb;
  }

  public boolean thinProvisioningSupport() {
    return report.thinProvisioningSupport();
  }

  public double maxOverSubscriptionRatio() {
    return report.maxOverSubscriptionRatio();
  }

  public int reservedPercentage() {
    return report.reservedPercentage();
  }
}
