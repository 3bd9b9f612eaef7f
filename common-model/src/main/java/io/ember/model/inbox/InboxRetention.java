package io.ember.model.inbox;

import io.agroal.api.AgroalDataSource;
import io.ember.model.config.SharedConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Keeps the inbox from growing without end: ids processed longer ago than {@code
 * ember.inbox.retention} are deleted, a chunk per transaction so no lock is held long. A message is
 * redelivered only until its offset is committed, seconds after it was processed; the retention (7
 * days by default) is far beyond that, so a forgotten id can no longer come back.
 */
@ApplicationScoped
public class InboxRetention {

  private static final Logger LOG = Logger.getLogger(InboxRetention.class);
  private static final int CHUNK = 5000;

  private static final String DELETE_CHUNK =
      "delete from inbox where ctid in (select ctid from inbox"
          + " where processed_at < now() - make_interval(secs => ?) limit ?)";
  // The replies kept for repeated calls (reply/ReplySender) go with the ids: a call is long over.
  private static final String FORGET_REPLIES =
      "delete from reply_sent where sent_at < now() - make_interval(secs => ?)";

  @Inject AgroalDataSource dataSource;

  @Inject SharedConfig config;

  private volatile boolean stopped;

  @Scheduled(
      every = "${ember.inbox.cleanup-every:1h}",
      delayed = "${ember.inbox.cleanup-every:1h}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void cleanUp() {
    long deleted = 0;
    int chunk;
    try {
      do {
        chunk = deleteChunk();
        deleted += chunk;
      } while (chunk == CHUNK && !stopped);
      forgetReplies();
    } catch (SQLException | RuntimeException e) {
      if (!stopped) {
        // The next run deletes what this one left.
        LOG.warnf("inbox: clean-up stopped after %d ids: %s", deleted, e.toString());
      }
      return;
    }
    if (deleted > 0) {
      LOG.infof(
          "inbox: forgot %d message ids processed over %s ago",
          deleted, config.inbox().retention());
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stopped = true;
  }

  private void forgetReplies() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete = connection.prepareStatement(FORGET_REPLIES)) {
      delete.setDouble(1, config.inbox().retention().toSeconds());
      delete.executeUpdate();
    }
  }

  /** One statement on a connection in auto-commit: each chunk commits by itself. */
  private int deleteChunk() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete = connection.prepareStatement(DELETE_CHUNK)) {
      delete.setDouble(1, config.inbox().retention().toSeconds());
      delete.setInt(2, CHUNK);
      return delete.executeUpdate();
    }
  }
}
