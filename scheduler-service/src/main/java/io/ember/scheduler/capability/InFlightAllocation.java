package io.ember.scheduler.capability;

import java.time.Instant;

/**
 * A placement some scheduler replica made, as the shared ledger holds it.
 *
 * @param ackedReportAt the time of the first report of the pool that acknowledged the volume; null
 *     while none has
 */
public record InFlightAllocation(
    String volumeId, String pool, double sizeGb, Instant placedAt, Instant ackedReportAt) {}
