package io.ember.api.quota;

import jakarta.transaction.Synchronization;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The usage one transaction gives back, summed per project and written just before it commits: one
 * statement per project however many volumes the transaction removed (a poll of {@code
 * volume.deleted} events had been one statement per event, all on the same rows), and those rows
 * are locked only for the end of the transaction, where a create of the project may be waiting for
 * them.
 */
final class QuotaReleases implements Synchronization {

  private final QuotaUsageRows usageRows;

  /** Project → resource → amount to give back; sorted, so projects are locked in one order. */
  private final SortedMap<String, SortedMap<String, Integer>> byProject = new TreeMap<>();

  QuotaReleases(QuotaUsageRows usageRows) {
    this.usageRows = usageRows;
  }

  void add(String projectId, Map<String, Integer> deltas) {
    SortedMap<String, Integer> project = byProject.computeIfAbsent(projectId, p -> new TreeMap<>());
    deltas.forEach((resource, d) -> project.merge(resource, d, Integer::sum));
  }

  /** A failure here fails the commit: a volume is never removed without its usage going back. */
  @Override
  public void beforeCompletion() {
    byProject.forEach(usageRows::subtract);
  }

  @Override
  public void afterCompletion(int status) {
    // Nothing to undo: the statements ran in the transaction.
  }
}
