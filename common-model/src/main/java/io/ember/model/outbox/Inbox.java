package io.ember.model.outbox;

import io.ember.model.contract.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The receiving half of the delivery rules: a message's id is recorded in the same transaction as
 * its effect, so a redelivered message has no second effect. A message that cannot be decoded or
 * handled throws, which rolls the transaction back and lets the channel's dead-letter strategy take
 * it.
 */
@ApplicationScoped
public class Inbox {

  private static final Logger LOG = Logger.getLogger(Inbox.class);
  public static final String REQUEST_ID = "requestId";

  @Inject EntityManager entityManager;

  /**
   * Decodes {@code json}, and, unless {@code consumer} has processed it before, hands it to {@code
   * handler} inside one transaction with the inbox record.
   */
  @Transactional
  public void accept(String consumer, String json, Consumer<Envelope> handler) {
    Envelope envelope = Envelope.fromJson(json);
    Object previous = MDC.get(REQUEST_ID);
    MDC.put(REQUEST_ID, envelope.requestId() == null ? "-" : envelope.requestId());
    try {
      if (!firstDelivery(consumer, envelope.messageId())) {
        LOG.debugf("%s: duplicate %s %s ignored", consumer, envelope.type(), envelope.messageId());
        return;
      }
      handler.accept(envelope);
    } finally {
      if (previous == null) {
        MDC.remove(REQUEST_ID);
      } else {
        MDC.put(REQUEST_ID, previous);
      }
    }
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
}
