package io.ember.model.outbox;

import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The receiving half of the delivery rules. A message's id is recorded in the same transaction as
 * its effect, so a redelivered message has no second effect. A message that breaks the contract is
 * dead-lettered at once (one log line); a message whose handling fails otherwise (say the database
 * blinked) is retried a few times before it is dead-lettered, so a passing fault does not cost a
 * volume.
 */
@ApplicationScoped
public class Inbox {

  private static final Logger LOG = Logger.getLogger(Inbox.class);
  public static final String REQUEST_ID = "requestId";

  @Inject EntityManager entityManager;

  @ConfigProperty(name = "ember.inbox.max-attempts", defaultValue = "3")
  int maxAttempts;

  @ConfigProperty(name = "ember.inbox.retry-backoff", defaultValue = "200ms")
  Duration backoff;

  /**
   * Handles one incoming Kafka message: acks it once {@code handler} ran (or it was a duplicate)
   * and committed together with the inbox record; nacks it (the channel's dead-letter strategy
   * takes it, with the reason) when it cannot be processed.
   */
  public CompletionStage<Void> receive(
      String consumer, Message<String> message, Consumer<Envelope> handler) {
    Envelope envelope;
    try {
      envelope = Envelope.fromJson(message.getPayload());
    } catch (ContractException broken) {
      LOG.warnf(
          "%s: dead-lettering a message that breaks the contract: %s",
          consumer, broken.getMessage());
      return message.nack(broken);
    }
    MDC.put(REQUEST_ID, envelope.requestId() == null ? "-" : envelope.requestId());
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          QuarkusTransaction.requiringNew().run(() -> process(consumer, envelope, handler));
          return message.ack();
        } catch (RuntimeException failure) {
          ContractException broken = contractCause(failure);
          if (broken != null) {
            LOG.warnf(
                "%s: dead-lettering %s %s: %s",
                consumer, envelope.type(), envelope.messageId(), broken.getMessage());
            return message.nack(broken);
          }
          if (attempt >= maxAttempts) {
            LOG.errorf(
                failure,
                "%s: %s %s failed %d times, dead-lettering it",
                consumer,
                envelope.type(),
                envelope.messageId(),
                attempt);
            return message.nack(failure);
          }
          LOG.warnf(
              "%s: %s %s failed (attempt %d), retrying: %s",
              consumer, envelope.type(), envelope.messageId(), attempt, failure.toString());
          pause(backoff.multipliedBy(attempt));
        }
      }
    } finally {
      MDC.remove(REQUEST_ID);
    }
  }

  private void process(String consumer, Envelope envelope, Consumer<Envelope> handler) {
    if (!firstDelivery(consumer, envelope.messageId())) {
      LOG.debugf("%s: duplicate %s %s ignored", consumer, envelope.type(), envelope.messageId());
      return;
    }
    handler.accept(envelope);
  }

  private boolean firstDelivery(String consumer, String messageId) {
    return entityManager
            .createNativeQuery(
                "insert into inbox (consumer, message_id) values (:c, :m) on conflict do nothing")
            .setParameter("c", consumer)
            .setParameter("m", messageId)
            .executeUpdate()
        == 1;
  }

  private static ContractException contractCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ContractException broken) {
        return broken;
      }
    }
    return null;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
