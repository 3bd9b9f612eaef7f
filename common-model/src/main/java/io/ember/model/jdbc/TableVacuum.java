package io.ember.model.jdbc;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Vacuums and analyzes the service's high-churn tables (outbox, inbox, rows created and deleted
 * with each volume) when PostgreSQL's autovacuum does not. Every volume leaves dead rows behind in
 * them; unvacuumed, a table of a few live rows grows to tens of megabytes, and once the planner's
 * statistics say "tiny table" each lookup reads all of it (seen: 24 MB scanned per list, half the
 * throughput gone). With {@code mode=auto} this runs only on a server whose autovacuum is off.
 */
@ApplicationScoped
public class TableVacuum {

  private static final Logger LOG = Logger.getLogger(TableVacuum.class);
  private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  /** When the tables are vacuumed: only if the server does not, always, or never. */
  public enum Mode {
    AUTO,
    ALWAYS,
    NEVER
  }

  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "ember.db.vacuum.mode", defaultValue = "auto")
  Mode mode;

  @ConfigProperty(name = "ember.db.vacuum.tables", defaultValue = "outbox,inbox")
  List<String> tables;

  @ConfigProperty(name = "ember.db.vacuum.interval", defaultValue = "10s")
  Duration interval;

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
    for (String table : tables) {
      if (!TABLE_NAME.matcher(table).matches()) {
        throw new IllegalArgumentException("ember.db.vacuum.tables: not a table name: " + table);
      }
    }
    active = needed(mode, mode == Mode.AUTO ? serverAutovacuum() : null);
    if (active) {
      LOG.infof(
          "database: vacuuming %s every %d ms (mode %s)",
          String.join(", ", tables), interval.toMillis(), mode.name().toLowerCase());
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stopped = true;
  }

  @Scheduled(
      every = "${ember.db.vacuum.interval:10s}",
      delayed = "${ember.db.vacuum.interval:10s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void vacuum() {
    if (!active || stopped) {
      return;
    }
    // VACUUM cannot run in a transaction: a pooled connection in auto-commit, one table at a time,
    // each on its own so one that fails does not keep the others from being vacuumed.
    String failure = null;
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String table : tables) {
        try {
          statement.execute("vacuum (analyze) " + table);
        } catch (SQLException e) {
          failure = table + ": " + e.getMessage();
        }
      }
    } catch (SQLException | RuntimeException e) {
      failure = e.toString();
    }
    report(failure);
  }

  /** One line per outage, not per run; the next run tries again. */
  private void report(String failure) {
    if (failure == null && failing) {
      failing = false;
      LOG.info("database: vacuuming works again");
    } else if (failure != null && !failing && !stopped) {
      failing = true;
      LOG.warnf("database: vacuum failed, retrying every %d ms: %s", interval.toMillis(), failure);
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
