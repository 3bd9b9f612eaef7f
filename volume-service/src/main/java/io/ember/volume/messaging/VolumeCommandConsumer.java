package io.ember.volume.messaging;

import io.ember.model.contract.ContractException;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.outbox.Inbox;
import io.ember.volume.manager.CreateVolumeHandler;
import io.ember.volume.manager.DeleteVolumeHandler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Takes the commands sent to this host and hands each to its handler, once (the inbox drops
 * redeliveries; {@link Inbox#receive} dead-letters what cannot be processed).
 */
@ApplicationScoped
public class VolumeCommandConsumer {

  static final String CONSUMER = "volume.commands";

  @Inject Inbox inbox;
  @Inject CreateVolumeHandler createVolume;
  @Inject DeleteVolumeHandler deleteVolume;

  /** Blocking is ordered: one volume's commands must not overtake each other. */
  @Incoming("volume-commands")
  @Blocking
  public CompletionStage<Void> onCommand(KafkaRecordBatch<String, String> batch) {
    return inbox.receive(CONSUMER, batch, this::dispatch);
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
}
