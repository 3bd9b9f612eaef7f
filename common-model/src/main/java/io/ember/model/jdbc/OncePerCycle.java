package io.ember.model.jdbc;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * A periodic job that must run once per cycle for the whole service, not once per replica (the
 * deadline sweep, the quota audit): every replica's timer fires, and each asks here first. The
 * claim is one conditional upsert of the job's row in {@code periodic_runs} (the service's own
 * migration creates it): it succeeds only when nobody started the job in the last {@link #SLACK} of
 * a cycle, so one replica wins whichever fires first, and the job still runs every cycle while any
 * replica lives. No leader, no lease to renew: a replica that dies simply stops claiming.
 */
@ApplicationScoped
public class OncePerCycle {

  private static final Logger LOG = Logger.getLogger(OncePerCycle.class);

  /**
   * The share of a cycle within which a second start is refused: below one, so that one replica's
   * timer firing a little early (Quartz-less timers drift by milliseconds) does not skip a cycle.
   */
  static final double SLACK = 0.8;

  private static final String CLAIM =
      "insert into periodic_runs (job, started_at, runs) values (?, now(), 1)"
          + " on conflict (job) do update set started_at = now(), runs = periodic_runs.runs + 1"
          + " where periodic_runs.started_at <= now() - make_interval(secs => ?)";

  @Inject AgroalDataSource dataSource;

  /**
   * Whether this replica runs {@code job} now. A database error answers no (the next cycle tries
   * again), so a job never runs unclaimed.
   */
  public boolean claim(String job, Duration every) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement claim = connection.prepareStatement(CLAIM)) {
      claim.setString(1, job);
      claim.setDouble(2, every.toMillis() * SLACK / 1000.0);
      return claim.executeUpdate() == 1;
    } catch (SQLException e) {
      LOG.warnf("%s: could not claim this cycle: %s", job, e.toString());
      return false;
    }
  }
}
