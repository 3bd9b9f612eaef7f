package io.ember.volume.messaging;

import io.ember.model.contract.ContractException;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.outbox.Inbox;
import io.ember.volume.manager.CreateVolumeHandler;
import io.ember.volume.manager.DeleteVolumeHandler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Takes the commands sent to this host and hands each to its handler, once (the inbox drops
 * redeliveries). A message that breaks the contract is nacked, which dead-letters it with the
 * reason; anything else that throws is dead-lettered by the channel too, with its stack trace.
 */
@ApplicationScoped
public class VolumeCommandConsumer {

  private static final Logger LOG = Logger.getLogger(VolumeCommandConsumer.class);
  static final String CONSUMER = "volume.commands";

  @Inject Inbox inbox;
  @Inject CreateVolumeHandler createVolume;
  @Inject DeleteVolumeHandler deleteVolume;

  /** Blocking is ordered: one volume's commands must not overtake each other. */
  @Incoming("volume-commands")
  @Blocking
  public CompletionStage<Void> onCommand(Message<String> message) {
    try {
      inbox.accept(CONSUMER, message.getPayload(), this::dispatch);
    } catch (ContractException invalid) {
      // Expected for a poison message: one line, no stack trace.
      LOG.warnf("dead-lettering a command: %s", firstLine(invalid.getMessage()));
      return message.nack(invalid);
    }
    return message.ack();
  }

  private void dispatch(Envelope envelope) {
    switch (envelope.messageType()) {
      case CREATE_VOLUME ->
          createVolume.handle(envelope.context(), envelope.payloadAs(CreateVolume.class));
      case DELETE_VOLUME ->
          deleteVolume.handle(envelope.context(), envelope.payloadAs(DeleteVolume.class));
      default -> throw new ContractException("volume-service does not handle " + envelope.type());
    }
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }
}
