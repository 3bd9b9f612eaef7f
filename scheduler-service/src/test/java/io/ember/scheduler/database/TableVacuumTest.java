package io.ember.scheduler.database;

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
 * The test profile vacuums every second whatever the server does (mode always), with a table that
 * does not exist between the two real ones.
 */
@QuarkusTest
class TableVacuumTest {

  private static final long WAIT_NANOS = 20_000_000_000L;

  @Inject AgroalDataSource dataSource;

  @Test
  void theMessagingTablesAreVacuumedAndAnalyzedWhileTheServiceRuns() throws Exception {
    Map<String, Long> before = counts();
    long deadline = System.nanoTime() + WAIT_NANOS;
    Map<String, Long> now = counts();
    while (!allGrew(before, now)) {
      if (System.nanoTime() > deadline) {
        fail("vacuum and analyze counts did not grow: before " + before + ", now " + now);
      }
      Thread.sleep(200);
      now = counts();
    }
  }

  private static boolean allGrew(Map<String, Long> before, Map<String, Long> now) {
    for (String key :
        new String[] {"outbox.vacuum", "outbox.analyze", "inbox.vacuum", "inbox.analyze"}) {
      if (now.getOrDefault(key, 0L) <= before.getOrDefault(key, 0L)) {
        return false;
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
