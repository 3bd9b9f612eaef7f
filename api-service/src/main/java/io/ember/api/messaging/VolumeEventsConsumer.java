package io.ember.api.messaging;

import io.ember.api.volume.VolumeEvents;
import io.ember.model.Topics;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeCreated;
import io.ember.model.contract.VolumeDeleteFailed;
import io.ember.model.contract.VolumeDeleted;
import io.ember.model.outbox.Inbox.DuplicateCheck;
import io.ember.model.outbox.InboxLoops;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Applies what the scheduler and the volume hosts report to the API's records. */
@ApplicationScoped
public class VolumeEventsConsumer {

  static final String CONSUMER = "api.volume-events";

  @Inject VolumeEvents events;

  @Inject InboxLoops loops;
  @Inject Topics topics;

  @ConfigProperty(name = "ember.api.consumer-group", defaultValue = "ember-api")
  String groupId;

  void start(@Observes StartupEvent event) {
    // Every effect is a row of this transaction: the ids are checked as it commits.
    loops.start(CONSUMER, topics.volumeEvents(), groupId, DuplicateCheck.AT_COMMIT, this::apply);
  }

  private void apply(Envelope envelope) {
    switch (envelope.messageType()) {
      case VOLUME_CREATED ->
          events.created(envelope.context(), envelope.payloadAs(VolumeCreated.class));
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
