package io.ember.model.outbox;

import io.ember.model.contract.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

  @Transactional(Transactional.TxType.MANDATORY)
  public void send(String topic, Envelope envelope) {
    OutboxMessage message = new OutboxMessage();
    message.topic = topic;
    message.key = envelope.key();
    message.payload = envelope.toJson();
    message.createdAt = Instant.now();
    message.persist();
    messagesOfThisTransaction()
        .add(new OutboxRelay.Pending(message.id, message.topic, message.key, message.payload));
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
