package io.ember.scheduler.inbound;

import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ServiceRecord;
import io.ember.model.contract.ServiceStatus;
import io.ember.scheduler.capability.PoolRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Takes the volume hosts' enabled/disabled status from the compacted services topic (the API writes
 * it through its outbox). Read from the start under a group of each process's own, like the
 * capabilities, so a restarted scheduler knows every disabled host again. Heartbeats on the topic
 * are for the API and are passed over.
 */
@ApplicationScoped
public class ServicesConsumer {

  private static final Logger LOG = Logger.getLogger(ServicesConsumer.class);
  private static final String CONSUMER = "services";

  @Inject PoolRegistry registry;

  @Incoming("services")
  public CompletionStage<Void> onRecord(Message<String> message) {
    try {
      String json = message.getPayload();
      if (json != null) {
        apply(Envelope.fromJson(json));
      }
    } catch (RuntimeException e) {
      return PoisonMessages.nackIfContractBroken(CONSUMER, message, e);
    }
    return message.ack();
  }

  private void apply(Envelope envelope) {
    switch (envelope.messageType()) {
      case SERVICE_STATUS -> {
        ServiceStatus status = envelope.payloadAs(ServiceStatus.class);
        if (status.binary() == null || status.host() == null) {
          throw new ContractException("service status without binary or host");
        }
        if (ServiceRecord.VOLUME_BINARY.equals(status.binary())) {
          registry.setDisabled(status.host(), status.disabled());
          LOG.infof(
              "volume host %s %s%s",
              status.host(),
              status.disabled() ? "disabled" : "enabled",
              status.disabledReason() == null ? "" : " (" + status.disabledReason() + ")");
        }
      }
      case SERVICE_HEARTBEAT -> {
        // For the API's os-services.
      }
      default ->
          throw new ContractException(
              "the services topic takes heartbeats and statuses, not " + envelope.type());
    }
  }
}
