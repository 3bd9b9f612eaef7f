package io.ember.api.messaging;

import io.ember.api.volume.VolumeEvents;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeCreated;
import io.ember.model.contract.VolumeDeleteFailed;
import io.ember.model.contract.VolumeDeleted;
import io.ember.model.outbox.Inbox;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Applies what the scheduler and the volume hosts report to the API's records. */
@ApplicationScoped
public class VolumeEventsConsumer {

  static final String CONSUMER = "api.volume-events";

  @Inject Inbox inbox;
  @Inject VolumeEvents events;

  @Incoming("volume-events")
  @Blocking
  public CompletionStage<Void> receive(KafkaRecordBatch<String, String> batch) {
    return inbox.receive(CONSUMER, batch, this::apply);
  }

  private void apply(Envelope envelope) {
    switch (envelope.messageType()) {
      case VOLUME_CREATED -> events.created(envelope.payloadAs(VolumeCreated.class));
      case VOLUME_CREATE_FAILED ->
          events.createFailed(envelope.payloadAs(VolumeCreateFailed.class));
      case VOLUME_DELETED -> events.deleted(envelope.payloadAs(VolumeDeleted.class));
      case VOLUME_DELETE_FAILED ->
          events.deleteFailed(envelope.payloadAs(VolumeDeleteFailed.class));
      default ->
          throw new ContractException(
              "unexpected " + envelope.type() + " on the volume events topic");
    }
  }
}
