package io.ember.api.quota;

import io.agroal.api.AgroalDataSource;
import io.ember.model.jdbc.TransactionConnection;
import jakarta.transaction.Synchronization;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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

  private static final String RELEASE =
      "update quota_usages q set in_use = greatest(q.in_use - v.d, 0)"
          + " from unnest(?::varchar[], ?::int[]) as v(r, d)"
          + " where q.project_id = ? and q.resource = v.r";

  private final AgroalDataSource dataSource;

  /** Project → resource → amount to give back; sorted, so projects are locked in one order. */
  private final SortedMap<String, SortedMap<String, Integer>> byProject = new TreeMap<>();

  QuotaReleases(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  void add(String projectId, Map<String, Integer> deltas) {
    SortedMap<String, Integer> project = byProject.computeIfAbsent(projectId, p -> new TreeMap<>());
    deltas.forEach((resource, d) -> project.merge(resource, d, Integer::sum));
  }

  /** A failure here fails the commit: a volume is never removed without its usage going back. */
  @Override
  public void beforeCompletion() {
    try (Connection connection = TransactionConnection.of(dataSource, "a quota release");
        PreparedStatement release = connection.prepareStatement(RELEASE)) {
      for (Map.Entry<String, SortedMap<String, Integer>> project : byProject.entrySet()) {
        release.setArray(
            1, connection.createArrayOf("varchar", project.getValue().keySet().toArray()));
        release.setArray(
            2, connection.createArrayOf("integer", project.getValue().values().toArray()));
        release.setString(3, project.getKey());
        release.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("giving back quota usage failed", e);
    }
  }

  @Override
  public void afterCompletion(int status) {
    // Nothing to undo: the statements ran in the transaction.
  }
}
