package io.ember.api.inbound;

import io.ember.api.service.ServiceDirectory;
import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.ServiceHeartbeat;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Feeds the service directory from the two compacted topics: the volume hosts' capability reports
 * (their heartbeats and pools) and the scheduler's heartbeats. Each process reads both from the
 * start under a group of its own, so a restart rebuilds the view. Status records on the services
 * topic are the API's own (its table is their source) and are passed over.
 */
@ApplicationScoped
public class ServiceHeartbeatsConsumer {

  private static final Logger LOG = Logger.getLogger(ServiceHeartbeatsConsumer.class);

  @Inject ServiceDirectory directory;

  @Incoming("capabilities")
  public CompletionStage<Void> onReport(Message<String> message) {
    try {
      String json = message.getPayload();
      if (json == null) {
        if (message instanceof KafkaRecord<?, ?> record && record.getKey() != null) {
          directory.removePool(record.getKey().toString());
        }
        return message.ack();
      }
      Envelope envelope = Envelope.fromJson(json);
      if (envelope.messageType() != MessageType.CAPABILITIES) {
        throw new ContractException(
            "the capabilities topic takes capabilities, not " + envelope.type());
      }
      CapabilityReport report = envelope.payloadAs(CapabilityReport.class);
      if (report.pool() == null) {
        throw new ContractException("capability report without a pool");
      }
      directory.report(report);
      return message.ack();
    } catch (RuntimeException e) {
      return nackIfContractBroken(message, e);
    }
  }

  @Incoming("services")
  public CompletionStage<Void> onServiceRecord(Message<String> message) {
    try {
      String json = message.getPayload();
      if (json == null) {
        return message.ack();
      }
      Envelope envelope = Envelope.fromJson(json);
      switch (envelope.messageType()) {
        case SERVICE_HEARTBEAT -> {
          ServiceHeartbeat heartbeat = envelope.payloadAs(ServiceHeartbeat.class);
          if (heartbeat.binary() == null || heartbeat.host() == null) {
            throw new ContractException("heartbeat without binary or host");
          }
          directory.heartbeat(heartbeat);
        }
        case SERVICE_STATUS -> {
          // Sent by an API process; the table holds it.
        }
        default ->
            throw new ContractException(
                "the services topic takes heartbeats and statuses, not " + envelope.type());
      }
      return message.ack();
    } catch (RuntimeException e) {
      return nackIfContractBroken(message, e);
    }
  }

  /**
   * A message that breaks the contract is dead-lettered with one warning; anything else is real.
   */
  private static CompletionStage<Void> nackIfContractBroken(
      Message<String> message, RuntimeException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ContractException broken) {
        LOG.warnf("dead-lettering a message that breaks the contract: %s", broken.getMessage());
        return message.nack(broken);
      }
    }
    throw failure;
  }
}
