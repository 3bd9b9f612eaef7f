package io.ember.model.outbox;

import io.ember.model.contract.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * The only way a service sends a message that follows a state change: the message is stored in the
 * caller's transaction and published by {@link OutboxRelay} once that transaction commits. Nothing
 * is sent for a rolled-back change, and nothing committed is lost.
 */
@ApplicationScoped
public class Outbox {

  private static final Object WAKE_REGISTERED = new Object();

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
    wakeRelayAfterCommit();
  }

  /** Publish right after commit instead of waiting for the relay's polling safety net. */
  private void wakeRelayAfterCommit() {
    if (transactions.getResource(WAKE_REGISTERED) != null) {
      return;
    }
    transactions.putResource(WAKE_REGISTERED, Boolean.TRUE);
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              relay.wake();
            }
          }
        });
  }
}
