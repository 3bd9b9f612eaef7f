package io.ember.scheduler.outbound;

import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.ServiceHeartbeat;
import io.ember.model.contract.ServiceRecord;
import io.ember.scheduler.config.SchedulerConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * The scheduler's sign of life (Cinder's {@code report_state}), at start and every {@code
 * ember.scheduler.report-interval}, to the compacted services topic keyed by binary and host. Not a
 * state change, so straight to Kafka rather than through the outbox: a lost one is replaced by the
 * next.
 */
@ApplicationScoped
public class SchedulerHeartbeat {

  private static final Logger LOG = Logger.getLogger(SchedulerHeartbeat.class);

  @Inject
  @Channel("services-out")
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16)
  Emitter<String> emitter;

  @Inject SchedulerConfig config;

  void onStart(@Observes StartupEvent event) {
    beat();
  }

  @Scheduled(
      every = "${ember.scheduler.report-interval}",
      delayed = "${ember.scheduler.report-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void beat() {
    String host = SchedulerMessages.host(config);
    ServiceHeartbeat heartbeat =
        new ServiceHeartbeat(
            ServiceRecord.SCHEDULER_BINARY, host, config.availabilityZone(), Instant.now());
    String key = ServiceRecord.key(MessageType.SERVICE_HEARTBEAT, heartbeat.binary(), host);
    Envelope envelope = Envelope.of(MessageType.SERVICE_HEARTBEAT, key, null, heartbeat);
    emitter.send(
        Message.of(
            envelope.toJson(),
            Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build()),
            () -> CompletableFuture.completedFuture(null),
            reason -> {
              LOG.warnf("heartbeat not sent: %s", reason.toString());
              return CompletableFuture.completedFuture(null);
            }));
  }
}
