package io.ember.model.outbox;

import io.agroal.api.AgroalDataSource;
import io.ember.model.contract.Envelope;
import io.ember.model.jdbc.TransactionConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The only way a service sends a message that follows a state change: the message is stored in the
 * caller's transaction and published by {@link OutboxRelay} once that transaction commits. Nothing
 * is sent for a rolled-back change, and nothing committed is lost.
 *
 * <p>Writes whose outcome nobody in the transaction waits for ({@link #writeAtCommit}, and the
 * inbox ids of {@link Inbox.DuplicateCheck#AT_COMMIT}) go into the same statement as the outbox
 * rows, as data-modifying CTEs, so they cost no round trip of their own.
 */
@ApplicationScoped
public class Outbox {

  private static final Object WRITES = new Object();

  /** Rows per insert statement (three parameters each; PostgreSQL allows 65535). */
  private static final int ROWS_PER_INSERT = 500;

  private static final String RECORD_DELIVERIES =
      "insert into inbox (consumer, message_id) select ?, unnest(?::varchar[])";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String INBOX_KEY = "inbox_pkey";

  /**
   * A write run when the transaction commits, in the statement that writes its messages. Its
   * failure fails the commit, as a flushed entity's would.
   *
   * @param sql one data-modifying statement (an insert, say) with {@code ?} parameters
   * @param binder binds them
   */
  public record CommitWrite(String sql, Binder binder) {

    /** Binds the parameters from {@code index} on; returns the next free index. */
    @FunctionalInterface
    public interface Binder {
      int bind(Connection connection, PreparedStatement statement, int index) throws SQLException;
    }

    /**
     * {@code statement} (one that does not start with its own {@code with}) carrying this write.
     */
    public String leading(String statement) {
      return "with w0 as (" + sql + ") " + statement;
    }
  }

  /** A message id recorded at commit had been handled before. */
  private static final class Redelivered extends RuntimeException {
    Redelivered() {
      super("a message of this transaction was handled before", null, false, false);
    }
  }

  @Inject OutboxRelay relay;
  @Inject TransactionSynchronizationRegistry transactions;
  @Inject AgroalDataSource dataSource;

  private record Unsent(String topic, String key, String payload, Envelope envelope) {}

  @Transactional(Transactional.TxType.MANDATORY)
  public void send(String topic, Envelope envelope) {
    writesOfThisTransaction()
        .unsent
        .add(new Unsent(topic, envelope.key(), envelope.toJson(), envelope));
  }

  /** Runs {@code write} when this transaction commits, in the statement of its messages. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void writeAtCommit(CommitWrite write) {
    writesOfThisTransaction().atCommit.add(write);
  }

  /** Takes back a write {@link #writeAtCommit} was given in this transaction. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void withdraw(CommitWrite write) {
    writesOfThisTransaction().atCommit.removeIf(w -> w == write);
  }

  /**
   * Records in the inbox, when this transaction commits, that {@code consumer} handled {@code
   * messageIds}. If one of them was recorded before, the transaction rolls back: the caller must
   * then handle the messages again with the check done first.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void recordDeliveries(String consumer, List<String> messageIds) {
    String[] ids = messageIds.toArray(String[]::new);
    CommitWrite record =
        new CommitWrite(
            RECORD_DELIVERIES,
            (connection, statement, index) -> {
              statement.setString(index, consumer);
              statement.setArray(index + 1, connection.createArrayOf("varchar", ids));
              return index + 2;
            });
    writeAtCommit(record);
    writesOfThisTransaction().deliveries = record;
  }

  /**
   * Takes the record of {@link #recordDeliveries} out of the commit statement, for a statement the
   * caller runs now to carry ({@link CommitWrite#leading}): a handler whose first write is its only
   * one saves the commit statement's round trip. A redelivery then fails that statement instead,
   * and the inbox handles the poll again with the check first, as it does at commit. Null when this
   * transaction records none, or it was taken.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public CommitWrite takeDeliveries() {
    WriteThenRelay writes = (WriteThenRelay) transactions.getResource(WRITES);
    if (writes == null || writes.deliveries == null) {
      return null;
    }
    CommitWrite taken = writes.deliveries;
    writes.deliveries = null;
    writes.atCommit.removeIf(w -> w == taken);
    return taken;
  }

  /**
   * What the current transaction writes here. The messages are written together just before it
   * commits (one statement, not one round trip per message) and, once it has committed, go straight
   * to the relay, so publishing does not wait for (or re-read from) the database; the relay's sweep
   * is the safety net.
   */
  private WriteThenRelay writesOfThisTransaction() {
    WriteThenRelay writes = (WriteThenRelay) transactions.getResource(WRITES);
    if (writes == null) {
      writes = new WriteThenRelay();
      transactions.putResource(WRITES, writes);
      transactions.registerInterposedSynchronization(writes);
    }
    return writes;
  }

  /** Writes the rows before the commit; hands them to the relay after it. */
  private final class WriteThenRelay implements Synchronization {
    private final List<Unsent> unsent = new ArrayList<>();
    private final List<CommitWrite> atCommit = new ArrayList<>();
    private CommitWrite deliveries;
    private List<OutboxRelay.Pending> written = List.of();

    @Override
    public void beforeCompletion() {
      // A failure here fails the commit: the state change and its messages stay together.
      try {
        written = insert(unsent, atCommit);
      } catch (Redelivered expected) {
        // Rolled back without an exception out of here, which the transaction manager would log
        // with its stack trace: the inbox handles the batch again, checking first.
        transactions.setRollbackOnly();
      }
    }

    @Override
    public void afterCompletion(int status) {
      if (status == Status.STATUS_COMMITTED && !written.isEmpty()) {
        relay.publishCommitted(written);
      }
    }
  }

  /**
   * Plain multi-row inserts on the transaction's own connection (the data source hands out the
   * connection enlisted in it): rows written once and deleted by the relay need no entity. The
   * commit writes ride on the first statement, or make one of their own when nothing is sent.
   */
  private List<OutboxRelay.Pending> insert(List<Unsent> unsent, List<CommitWrite> atCommit) {
    List<OutboxRelay.Pending> written = new ArrayList<>(unsent.size());
    try (Connection connection = TransactionConnection.of(dataSource, "the outbox")) {
      if (unsent.isEmpty()) {
        if (!atCommit.isEmpty()) {
          try (PreparedStatement alone =
              connection.prepareStatement(withClause(atCommit) + "select 1")) {
            bind(connection, alone, atCommit);
            alone.execute();
          }
        }
        return written;
      }
      for (int from = 0; from < unsent.size(); from += ROWS_PER_INSERT) {
        List<Unsent> rows = unsent.subList(from, Math.min(unsent.size(), from + ROWS_PER_INSERT));
        List<CommitWrite> riding = from == 0 ? atCommit : List.of();
        StringBuilder sql = new StringBuilder(withClause(riding));
        sql.append("insert into outbox (topic, msg_key, payload) values ");
        for (int i = 0; i < rows.size(); i++) {
          sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
        }
        sql.append(" returning id");
        try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
          int p = bind(connection, insert, riding);
          for (Unsent row : rows) {
            insert.setString(p++, row.topic());
            insert.setString(p++, row.key());
            insert.setString(p++, row.payload());
          }
          // Ids pair with rows in order; were they not to, the relay would still publish and
          // delete exactly this transaction's rows.
          try (ResultSet ids = insert.executeQuery()) {
            for (Unsent row : rows) {
              if (!ids.next()) {
                throw new IllegalStateException("outbox insert returned fewer ids than rows");
              }
              written.add(
                  new OutboxRelay.Pending(
                      ids.getLong(1), row.topic(), row.key(), row.payload(), row.envelope()));
            }
          }
        }
      }
    } catch (SQLException e) {
      if (isInboxConflict(e)) {
        throw new Redelivered();
      }
      throw new IllegalStateException(
          "writing "
              + unsent.size()
              + " outbox messages and "
              + atCommit.size()
              + " other writes at commit failed",
          e);
    }
    return written;
  }

  /** {@code with w0 as (...), w1 as (...) }, or nothing; each runs once, whatever follows. */
  private static String withClause(List<CommitWrite> writes) {
    if (writes.isEmpty()) {
      return "";
    }
    StringBuilder with = new StringBuilder("with ");
    for (int i = 0; i < writes.size(); i++) {
      with.append(i == 0 ? "" : ", ").append('w').append(i).append(" as (");
      with.append(writes.get(i).sql()).append(')');
    }
    return with.append(' ').toString();
  }

  private static int bind(
      Connection connection, PreparedStatement statement, List<CommitWrite> writes)
      throws SQLException {
    int index = 1;
    for (CommitWrite write : writes) {
      index = write.binder().bind(connection, statement, index);
    }
    return index;
  }

  /** The inbox's key broken: an id recorded at commit had been recorded before. */
  private static boolean isInboxConflict(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PSQLException psql && UNIQUE_VIOLATION.equals(psql.getSQLState())) {
        ServerErrorMessage detail = psql.getServerErrorMessage();
        return detail != null && INBOX_KEY.equals(detail.getConstraint());
      }
    }
    return false;
  }
}
