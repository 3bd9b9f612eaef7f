package io.ember.api.quota;

import io.agroal.api.AgroalDataSource;
import io.ember.model.jdbc.TransactionConnection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * The statements on a project's usage rows that run on every create and delete, as plain JDBC on
 * the transaction's connection: each is one round trip over all the resources it touches.
 */
@Singleton
class QuotaUsageRows {

  /**
   * Locks (creating on first use) the usage rows, in resource order so concurrent transactions
   * cannot deadlock, and reads the project's limits and the default class's in the same round trip:
   * kind 'u' usage, 'p' the project's limit, 'c' the default class's limit.
   */
  private static final String LOCK =
      "with locked as ("
          + " insert into quota_usages (project_id, resource, in_use, reserved)"
          + " select ?, v.r, 0, 0 from unnest(?::varchar[]) with ordinality as v(r, n) order by v.n"
          + " on conflict (project_id, resource) do update set reserved = quota_usages.reserved"
          + " returning resource, in_use + reserved as used)"
          + " select 'u', resource, used from locked"
          + " union all"
          + " select 'p', resource, hard_limit from quota_limits where project_id = ?"
          + " union all"
          + " select 'c', resource, hard_limit from quota_classes where class_name = '"
          + QuotaService.DEFAULT_CLASS
          + "'";

  /** Adds the deltas to in_use. */
  private static final String ADD = changeInOrder("q.in_use + excluded.in_use");

  /** Takes the deltas off in_use; usage never goes below zero, whatever was given back twice. */
  private static final String SUBTRACT = changeInOrder("greatest(q.in_use - excluded.in_use, 0)");

  /**
   * A change of in_use by a delta per resource, written as an upsert whose insert never happens
   * (only existing rows are offered, the delta in their in_use): INSERT ... ON CONFLICT takes its
   * rows in the order given, as {@link #LOCK} does, while an UPDATE locks them in whatever order
   * its plan reads them, and a release crossing a create's lock in another order could deadlock.
   */
  private static String changeInOrder(String newInUse) {
    return "insert into quota_usages as q (project_id, resource, in_use, reserved)"
        + " select ?, v.r, v.d, 0 from unnest(?::varchar[], ?::int[]) with ordinality as v(r, d, n)"
        + " where exists (select 1 from quota_usages e where e.project_id = ? and e.resource = v.r)"
        + " order by v.n"
        + " on conflict (project_id, resource) do update set in_use = "
        + newInUse;
  }

  /**
   * What a lock found: resource → in_use + reserved of the locked rows, resource → hard limit as
   * set for the project, and as set in the default class ({@link QuotaService} fills in the rest).
   */
  record Locked(
      Map<String, Integer> usage, Map<String, Integer> limits, Map<String, Integer> classLimits) {}

  private final AgroalDataSource dataSource;

  @Inject
  QuotaUsageRows(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  Locked lock(String projectId, SortedSet<String> resources) {
    Map<String, Integer> usage = new TreeMap<>();
    Map<String, Integer> limits = new TreeMap<>();
    Map<String, Integer> classLimits = new TreeMap<>();
    try (Connection connection = TransactionConnection.of(dataSource, "a quota lock");
        PreparedStatement lock = connection.prepareStatement(LOCK)) {
      lock.setString(1, projectId);
      lock.setArray(2, connection.createArrayOf("varchar", resources.toArray()));
      lock.setString(3, projectId);
      try (ResultSet rows = lock.executeQuery()) {
        while (rows.next()) {
          Map<String, Integer> into =
              switch (rows.getString(1)) {
                case "u" -> usage;
                case "p" -> limits;
                default -> classLimits;
              };
          into.put(rows.getString(2), rows.getInt(3));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("locking the quota usage of " + projectId + " failed", e);
    }
    return new Locked(usage, limits, classLimits);
  }

  /** Adds {@code deltas} to in_use. */
  void add(String projectId, SortedMap<String, Integer> deltas) {
    change(ADD, projectId, deltas);
  }

  /** Takes {@code deltas} off in_use, never below zero. */
  void subtract(String projectId, SortedMap<String, Integer> deltas) {
    change(SUBTRACT, projectId, deltas);
  }

  private void change(String sql, String projectId, SortedMap<String, Integer> deltas) {
    if (deltas.isEmpty()) {
      return;
    }
    try (Connection connection = TransactionConnection.of(dataSource, "a quota usage change");
        PreparedStatement change = connection.prepareStatement(sql)) {
      change.setString(1, projectId);
      change.setArray(2, connection.createArrayOf("varchar", deltas.keySet().toArray()));
      change.setArray(3, connection.createArrayOf("integer", deltas.values().toArray()));
      change.setString(4, projectId);
      change.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("changing the quota usage of " + projectId + " failed", e);
    }
  }
}
