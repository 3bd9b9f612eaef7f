package io.ember.scheduler.inbound;

import io.ember.model.contract.ContractException;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * A message that breaks the contract (not JSON, wrong type, missing fields) is expected now and
 * then: it goes to the dead-letter topic with one warning, not a stack trace. Anything else is a
 * real fault and is rethrown for the channel to log and dead-letter.
 */
final class PoisonMessages {

  private static final Logger LOG = Logger.getLogger(PoisonMessages.class);

  private PoisonMessages() {}

  static CompletionStage<Void> nackIfContractBroken(
      String consumer, Message<?> message, RuntimeException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ContractException broken) {
        LOG.warnf(
            "%s: dead-lettering a message that breaks the contract: %s",
            consumer, broken.getMessage());
        return message.nack(broken);
      }
    }
    throw failure;
  }
}
