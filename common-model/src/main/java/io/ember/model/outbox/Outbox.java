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

/**
 * The only way a service sends a message that follows a state change: the message is stored in the
 * caller's transaction and published by {@link OutboxRelay} once that transaction commits. Nothing
 * is sent for a rolled-back change, and nothing committed is lost.
 */
@ApplicationScoped
public class Outbox {

  private static final Object WRITES = new Object();

  /** Rows per insert statement (three parameters each; PostgreSQL allows 65535). */
  private static final int ROWS_PER_INSERT = 500;

  /**
   * Prefixed to the first outbox insert when the transaction also records the message ids it
   * handled ({@link #recordDeliveries}): a data-modifying CTE runs in the same statement, so the
   * ids cost no round trip of their own, and one seen before fails the statement (the primary key).
   */
  private static final String RECORD_DELIVERIES =
      "with delivered as (insert into inbox (consumer, message_id)"
          + " select ?, unnest(?::varchar[])) ";

  /** The only unique key such a statement can break is the inbox's: an id handled before. */
  private static final String UNIQUE_VIOLATION = "23505";

  /** A message id recorded at commit had been handled before. */
  private static final class Redelivered extends RuntimeException {
    Redelivered() {
      super("a message of this transaction was handled before", null, false, false);
    }
  }

  @Inject OutboxRelay relay;
  @Inject TransactionSynchronizationRegistry transactions;
  @Inject AgroalDataSource dataSource;

  private record Unsent(String topic, String key, String payload) {}

  /** The ids of the messages a transaction handled, for the inbox. */
  private record Deliveries(String consumer, String[] messageIds) {}

  @Transactional(Transactional.TxType.MANDATORY)
  public void send(String topic, Envelope envelope) {
    writesOfThisTransaction().unsent.add(new Unsent(topic, envelope.key(), envelope.toJson()));
  }

  /**
   * Records in the inbox, when this transaction commits and in the statement that writes its
   * messages, that {@code consumer} handled {@code messageIds}. If one of them was recorded before,
   * the commit fails: the caller must then handle the messages again with the check done first.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  void recordDeliveries(String consumer, List<String> messageIds) {
    WriteThenRelay writes = writesOfThisTransaction();
    if (writes.deliveries != null) {
      throw new IllegalStateException("deliveries already recorded in this transaction");
    }
    writes.deliveries = new Deliveries(consumer, messageIds.toArray(String[]::new));
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
    private Deliveries deliveries;
    private List<OutboxRelay.Pending> written = List.of();

    @Override
    public void beforeCompletion() {
      // A failure here fails the commit: the state change and its messages stay together.
      try {
        written = insert(unsent, deliveries);
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
   * deliveries, if any, ride on the first statement.
   */
  private List<OutboxRelay.Pending> insert(List<Unsent> unsent, Deliveries deliveries) {
    List<OutboxRelay.Pending> written = new ArrayList<>(unsent.size());
    try (Connection connection = TransactionConnection.of(dataSource, "the outbox")) {
      if (unsent.isEmpty()) {
        if (deliveries != null) {
          recordAlone(connection, deliveries);
        }
        return written;
      }
      for (int from = 0; from < unsent.size(); from += ROWS_PER_INSERT) {
        List<Unsent> rows = unsent.subList(from, Math.min(unsent.size(), from + ROWS_PER_INSERT));
        boolean withDeliveries = from == 0 && deliveries != null;
        StringBuilder sql = new StringBuilder(withDeliveries ? RECORD_DELIVERIES : "");
        sql.append("insert into outbox (topic, msg_key, payload) values ");
        for (int i = 0; i < rows.size(); i++) {
          sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
        }
        sql.append(" returning id");
        try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
          int p = 1;
          if (withDeliveries) {
            insert.setString(p++, deliveries.consumer());
            insert.setArray(p++, connection.createArrayOf("varchar", deliveries.messageIds()));
          }
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
                  new OutboxRelay.Pending(ids.getLong(1), row.topic(), row.key(), row.payload()));
            }
          }
        }
      }
    } catch (SQLException e) {
      if (deliveries != null && UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new Redelivered();
      }
      throw new IllegalStateException(
          "writing "
              + unsent.size()
              + " outbox messages"
              + (deliveries == null ? "" : " and the handled message ids")
              + " failed",
          e);
    }
    return written;
  }

  private static void recordAlone(Connection connection, Deliveries deliveries)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into inbox (consumer, message_id) select ?, unnest(?::varchar[])")) {
      insert.setString(1, deliveries.consumer());
      insert.setArray(2, connection.createArrayOf("varchar", deliveries.messageIds()));
      insert.executeUpdate();
    }
  }
}
