package io.ember.api.outbound;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.ember.model.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.UUID;

/**
 * The notifications about QoS specs ({@code qos_specs.create}, {@code .update}, ...), through the
 * outbox of the current transaction, from Cinder's publisher {@code QoSSpecs}.
 */
@ApplicationScoped
public class QosNotifications {

  static final String PUBLISHER = "QoSSpecs";

  @Inject Outbox outbox;
  @Inject Topics topics;

  /** An INFO notification keyed by the spec's id; the payload is Cinder's for the event. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void info(RequestContext caller, UUID qosId, String eventType, Map<String, ?> payload) {
    outbox.send(
        topics.notifications(),
        Envelope.of(
            MessageType.NOTIFICATION,
            qosId.toString(),
            caller,
            Notification.info(PUBLISHER, eventType, payload)));
  }
}
