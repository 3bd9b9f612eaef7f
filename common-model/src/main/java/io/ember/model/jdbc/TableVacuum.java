package io.ember.model.jdbc;

import io.agroal.api.AgroalDataSource;
import io.ember.model.config.SharedConfig;
import io.ember.model.config.SharedConfig.Vacuum.Mode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Vacuums and analyzes the service's high-churn tables (outbox, inbox, rows created and deleted
 * with each volume) when PostgreSQL's autovacuum does not. Every volume leaves dead rows behind in
 * them; unvacuumed, a table of a few live rows grows to tens of megabytes, and once the planner's
 * statistics say "tiny table" each lookup reads all of it (seen: 24 MB scanned per list, half the
 * throughput gone). With {@code mode=auto} this runs only on a server whose autovacuum is off.
 *
 * <p>Each round reads the tables' counters and vacuums or analyzes only those that autovacuum would
 * take now ({@link TableStats}): analyzing an inbox of some 10^5 message ids every round took
 * 0.1-0.2 s of the server's CPU each time, for statistics that had not changed.
 */
@ApplicationScoped
public class TableVacuum {

  private static final Logger LOG = Logger.getLogger(TableVacuum.class);
  private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  private static final String STATS =
      "select relname, n_live_tup, n_dead_tup, n_mod_since_analyze, n_ins_since_vacuum"
          + " from pg_stat_user_tables where schemaname = current_schema() and relname = any(?)";

  @Inject AgroalDataSource dataSource;

  @Inject SharedConfig config;

  private volatile boolean active;
  private volatile boolean stopped;
  private volatile boolean failing;

  /** Whether Ember vacuums, given the mode and the server's {@code autovacuum} setting. */
  public static boolean needed(Mode mode, String serverAutovacuum) {
    return switch (mode) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO -> !"on".equals(serverAutovacuum);
    };
  }

  void onStart(@Observes StartupEvent event) {
    Mode mode = config.db().vacuum().mode();
    List<String> tables = config.db().vacuum().tables();
    for (String table : tables) {
      if (!TABLE_NAME.matcher(table).matches()) {
        throw new IllegalArgumentException("ember.db.vacuum.tables: not a table name: " + table);
      }
    }
    active = needed(mode, mode == Mode.AUTO ? serverAutovacuum() : null);
    if (active) {
      LOG.infof(
          "database: vacuuming %s as autovacuum would, checked every %d ms (mode %s)",
          String.join(", ", tables),
          config.db().vacuum().interval().toMillis(),
          mode.name().toLowerCase());
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stopped = true;
  }

  @Scheduled(
      every = "${ember.db.vacuum.interval:10s}",
      delayed = "${ember.db.vacuum.interval:10s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void vacuum() {
    if (!active || stopped) {
      return;
    }
    // VACUUM cannot run in a transaction: a pooled connection in auto-commit, one table at a time,
    // each on its own so one that fails does not keep the others from being vacuumed.
    String failure = null;
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      Map<String, TableStats> stats = stats(connection);
      for (String table : config.db().vacuum().tables()) {
        TableStats counters = stats.get(table);
        if (counters == null) {
          failure = table + ": no such table";
          continue;
        }
        String command = counters.command();
        if (command == null) {
          continue;
        }
        try {
          statement.execute(command);
        } catch (SQLException e) {
          failure = table + ": " + e.getMessage();
        }
      }
    } catch (SQLException | RuntimeException e) {
      failure = e.toString();
    }
    report(failure);
  }

  private Map<String, TableStats> stats(Connection connection) throws SQLException {
    Map<String, TableStats> stats = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(STATS)) {
      select.setArray(
          1, connection.createArrayOf("varchar", config.db().vacuum().tables().toArray()));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String table = rows.getString(1);
          stats.put(
              table,
              new TableStats(
                  table, rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5)));
        }
      }
    }
    return stats;
  }

  /** One line per outage, not per run; the next run tries again. */
  private void report(String failure) {
    if (failure == null && failing) {
      failing = false;
      LOG.info("database: vacuuming works again");
    } else if (failure != null && !failing && !stopped) {
      failing = true;
      LOG.warnf(
          "database: vacuum failed, retrying every %d ms: %s",
          config.db().vacuum().interval().toMillis(), failure);
    }
  }

  /** The server's setting; when it cannot be read, vacuuming is the safe side. */
  private String serverAutovacuum() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet setting = statement.executeQuery("select current_setting('autovacuum')")) {
      return setting.next() ? setting.getString(1) : null;
    } catch (SQLException e) {
      LOG.warnf("database: cannot read the autovacuum setting: %s", e.toString());
      return null;
    }
  }
}
