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

  private static final Object UNSENT_MESSAGES = new Object();

  /** Rows per insert statement (three parameters each; PostgreSQL allows 65535). */
  private static final int ROWS_PER_INSERT = 500;

  @Inject OutboxRelay relay;
  @Inject TransactionSynchronizationRegistry transactions;
  @Inject AgroalDataSource dataSource;

  private record Unsent(String topic, String key, String payload) {}

  @Transactional(Transactional.TxType.MANDATORY)
  public void send(String topic, Envelope envelope) {
    messagesOfThisTransaction().add(new Unsent(topic, envelope.key(), envelope.toJson()));
  }

  /**
   * The messages of the current transaction. They are written together just before it commits (one
   * statement, not one round trip per message) and, once it has committed, go straight to the
   * relay, so publishing does not wait for (or re-read from) the database; the relay's sweep is the
   * safety net.
   */
  @SuppressWarnings("unchecked")
  private List<Unsent> messagesOfThisTransaction() {
    List<Unsent> unsent = (List<Unsent>) transactions.getResource(UNSENT_MESSAGES);
    if (unsent == null) {
      List<Unsent> created = new ArrayList<>();
      transactions.putResource(UNSENT_MESSAGES, created);
      transactions.registerInterposedSynchronization(new WriteThenRelay(created));
      unsent = created;
    }
    return unsent;
  }

  /** Writes the rows before the commit; hands them to the relay after it. */
  private final class WriteThenRelay implements Synchronization {
    private final List<Unsent> unsent;
    private List<OutboxRelay.Pending> written = List.of();

    WriteThenRelay(List<Unsent> unsent) {
      this.unsent = unsent;
    }

    @Override
    public void beforeCompletion() {
      // A failure here fails the commit: the state change and its messages stay together.
      written = insert(unsent);
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
   * connection enlisted in it): rows written once and deleted by the relay need no entity.
   */
  private List<OutboxRelay.Pending> insert(List<Unsent> unsent) {
    List<OutboxRelay.Pending> written = new ArrayList<>(unsent.size());
    try (Connection connection = TransactionConnection.of(dataSource, "the outbox")) {
      for (int from = 0; from < unsent.size(); from += ROWS_PER_INSERT) {
        List<Unsent> rows = unsent.subList(from, Math.min(unsent.size(), from + ROWS_PER_INSERT));
        StringBuilder sql =
            new StringBuilder("insert into outbox (topic, msg_key, payload) values ");
        for (int i = 0; i < rows.size(); i++) {
          sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
        }
        sql.append(" returning id");
        try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
          int p = 1;
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
      throw new IllegalStateException("writing " + unsent.size() + " outbox messages failed", e);
    }
    return written;
  }
}
