package io.ember.scheduler.inbound;

import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.scheduler.capability.AllocationLedger;
import io.ember.scheduler.capability.PoolRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Keeps the pool registry up to date from the compacted capabilities topic (keyed by pool). Each
 * process reads the topic from the start under its own group, which rebuilds the view on restart.
 */
@ApplicationScoped
public class CapabilitiesConsumer {

  private static final Logger LOG = Logger.getLogger(CapabilitiesConsumer.class);
  private static final String CONSUMER = "capabilities";

  @Inject PoolRegistry registry;
  @Inject AllocationLedger ledger;

  // Blocking: a report's acknowledgements are a database update, not work for the event loop.
  @Incoming("capabilities")
  @Blocking
  public CompletionStage<Void> onReport(Message<String> message) {
    try {
      apply(message);
    } catch (RuntimeException e) {
      return PoisonMessages.nackIfContractBroken(CONSUMER, message, e);
    } finally {
      // Applied, passed over as stale or refused: read either way (requests wait for the replay).
      message
          .getMetadata(IncomingKafkaRecordMetadata.class)
          .ifPresent(m -> registry.capabilitiesRead(m.getPartition(), m.getOffset()));
    }
    return message.ack();
  }

  private void apply(Message<String> message) {
    String json = message.getPayload();
    if (json == null) {
      // A tombstone: the pool was removed for good.
      if (message instanceof KafkaRecord<?, ?> record && record.getKey() != null) {
        registry.remove(record.getKey().toString());
        LOG.infof("pool %s removed", record.getKey());
      }
      return;
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
    if (!registry.update(report)) {
      LOG.debugf(
          "pool %s: report of %s is older than the one held", report.pool(), report.reportedAt());
      return;
    }
    // Every replica's placements on the pool that this report now includes.
    ledger.acknowledge(
        report.pool(),
        report.acknowledgedVolumeIds(),
        report.reportedAt() != null ? report.reportedAt() : Instant.now());
  }
}
