package io.ember.model.outbox;

import io.ember.model.contract.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;

/**
 * The only way a service sends a message that follows a state change: the message is stored in the
 * caller's transaction and published by {@link OutboxRelay} once that transaction commits. Nothing
 * is sent for a rolled-back change, and nothing committed is lost.
 */
@ApplicationScoped
public class Outbox {

  private static final Object COMMITTED_MESSAGES = new Object();

  @Inject OutboxRelay relay;
  @Inject TransactionSynchronizationRegistry transactions;
  @Inject EntityManager entityManager;

  @Transactional(Transactional.TxType.MANDATORY)
  public void send(String topic, Envelope envelope) {
    String payload = envelope.toJson();
    long id = insert(topic, envelope.key(), payload);
    messagesOfThisTransaction().add(new OutboxRelay.Pending(id, topic, envelope.key(), payload));
  }

  /**
   * A plain insert on the transaction's own connection: the row is written once and deleted by the
   * relay, so an entity's lifecycle would only add work to every message sent.
   */
  private long insert(String topic, String key, String payload) {
    return entityManager
        .unwrap(Session.class)
        .doReturningWork(
            connection -> {
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "insert into outbox (topic, msg_key, payload) values (?, ?, ?) returning id")) {
                insert.setString(1, topic);
                insert.setString(2, key);
                insert.setString(3, payload);
                try (ResultSet row = insert.executeQuery()) {
                  row.next();
                  return row.getLong(1);
                }
              }
            });
  }

  /**
   * The messages written in the current transaction. On commit they go straight to the relay, so
   * publishing does not wait for (or re-read from) the database; the relay's poll is the safety
   * net.
   */
  @SuppressWarnings("unchecked")
  private List<OutboxRelay.Pending> messagesOfThisTransaction() {
    List<OutboxRelay.Pending> pending =
        (List<OutboxRelay.Pending>) transactions.getResource(COMMITTED_MESSAGES);
    if (pending == null) {
      List<OutboxRelay.Pending> created = new ArrayList<>();
      transactions.putResource(COMMITTED_MESSAGES, created);
      TransactionOutcome.afterCommit(transactions, () -> relay.publishCommitted(created));
      pending = created;
    }
    return pending;
  }
}
