package io.ember.scheduler.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test profile checks every second whatever the server does (mode always), with a table that
 * does not exist between the two real ones. A table is vacuumed and analyzed once it has churned as
 * autovacuum would require, and left alone while it is quiet.
 */
@QuarkusTest
class TableVacuumTest {

  private static final long WAIT_NANOS = 30_000_000_000L;
  private static final String[] TABLES = {"outbox", "inbox"};

  @Inject AgroalDataSource dataSource;

  @Test
  void churnedTablesAreVacuumedAndAnalyzedQuietOnesLeftAlone() throws Exception {
    Map<String, Long> before = counts();
    churn();
    long deadline = System.nanoTime() + WAIT_NANOS;
    Map<String, Long> now = counts();
    while (!allGrew(before, now)) {
      if (System.nanoTime() > deadline) {
        fail("vacuum and analyze counts did not grow: before " + before + ", now " + now);
      }
      Thread.sleep(200);
      now = counts();
    }

    // Three more rounds with nothing changed: nothing more to do.
    Map<String, Long> vacuumed = counts();
    Thread.sleep(3_500);
    assertEquals(vacuumed, counts());
  }

  /**
   * Rows written and deleted in one transaction (the relay never sees them): more dead rows than a
   * fifth of the live ones, as a busy service leaves behind.
   */
  private void churn() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        for (String table : TABLES) {
          long rows = liveRows(statement, table) / 4 + 500;
          statement.executeUpdate(
              table.equals("outbox")
                  ? "insert into outbox (topic, payload) select 'vacuum-test', 'x'"
                      + " from generate_series(1, "
                      + rows
                      + ")"
                  : "insert into inbox (consumer, message_id) select 'vacuum-test', 'm' || n"
                      + " from generate_series(1, "
                      + rows
                      + ") n");
          statement.executeUpdate(
              table.equals("outbox")
                  ? "delete from outbox where topic = 'vacuum-test'"
                  : "delete from inbox where consumer = 'vacuum-test'");
        }
      }
      connection.commit();
    }
  }

  private static long liveRows(Statement statement, String table) throws SQLException {
    try (ResultSet row = statement.executeQuery("select count(*) from " + table)) {
      row.next();
      return row.getLong(1);
    }
  }

  private static boolean allGrew(Map<String, Long> before, Map<String, Long> now) {
    for (String table : TABLES) {
      for (String key : new String[] {table + ".vacuum", table + ".analyze"}) {
        if (now.getOrDefault(key, 0L) <= before.getOrDefault(key, 0L)) {
          return false;
        }
      }
    }
    return true;
  }

  private Map<String, Long> counts() throws SQLException {
    Map<String, Long> counts = new HashMap<>();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select relname, vacuum_count, analyze_count from pg_stat_user_tables"
                    + " where relname in ('outbox', 'inbox')")) {
      while (rows.next()) {
        counts.put(rows.getString(1) + ".vacuum", rows.getLong(2));
        counts.put(rows.getString(1) + ".analyze", rows.getLong(3));
      }
    }
    return counts;
  }
}
