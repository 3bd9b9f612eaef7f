package io.ember.model.jdbc;

import java.sql.SQLException;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Database failures that say "try again" rather than "this is wrong": a deadlock victim or a
 * serialization failure. PostgreSQL rolls the transaction back, and the same work run again
 * normally succeeds, so a client should not get a 500 for it (Cinder's database layer retries
 * deadlocks the same way).
 */
public final class TransientFailures {

  private static final Logger LOG = Logger.getLogger(TransientFailures.class);

  /** deadlock_detected, serialization_failure. */
  private static final Set<String> SQL_STATES = Set.of("40P01", "40001");

  /** Attempts in all, the first included. */
  public static final int ATTEMPTS = 3;

  private TransientFailures() {}

  /** Whether a database failure that says "try again" caused {@code failure}. */
  public static boolean isTransient(Throwable failure) {
    // Bounded: a cause chain can loop.
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
      if (t instanceof SQLException sql && SQL_STATES.contains(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code transaction} (which must begin and end its own transaction) up to {@link #ATTEMPTS}
   * times while it fails transiently; any other failure, or the last one, is thrown.
   */
  public static <T> T retry(String what, Supplier<T> transaction) {
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.get();
      } catch (RuntimeException failure) {
        if (attempt >= ATTEMPTS || !isTransient(failure)) {
          throw failure;
        }
        LOG.infof("%s: transient database failure (attempt %d), running it again", what, attempt);
      }
    }
  }
}
