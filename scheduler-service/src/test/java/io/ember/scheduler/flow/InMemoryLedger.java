package io.ember.scheduler.flow;

import io.ember.scheduler.capability.AllocationLedger;
import io.ember.scheduler.capability.InFlightAllocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shared ledger without a database, for the flow tests: what it was told, as one replica. */
final class InMemoryLedger extends AllocationLedger {

  final Map<String, InFlightAllocation> rows = new LinkedHashMap<>();

  @Override
  public List<InFlightAllocation> lockAndRead(Instant heldSince) {
    return new ArrayList<>(rows.values());
  }

  @Override
  public void record(String volumeId, String pool, double sizeGb) {
    rows.put(volumeId, new InFlightAllocation(volumeId, pool, sizeGb, Instant.now(), null));
  }

  @Override
  public void acknowledge(String pool, Collection<String> volumeIds, Instant reportedAt) {
    throw new UnsupportedOperationException("the flow never acknowledges");
  }
}
