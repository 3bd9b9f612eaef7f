package io.ember.volume.capability;

import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.jdbc.TransactionOutcome;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.VolumeDriver;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes this host's pools to the compacted capabilities topic: at start, every {@code
 * ember.capabilities.interval}, and shortly after each committed create or delete so the scheduler
 * sees the change (and stops counting the volume as in flight) without waiting a full period. A
 * report is not a state change, so it goes straight to Kafka rather than through the outbox; a lost
 * one is replaced by the next.
 */
@ApplicationScoped
public class CapabilityPublisher {

  private static final Logger LOG = Logger.getLogger(CapabilityPublisher.class);

  @Inject VolumeDriver driver;
  @Inject BackendVolumes volumes;
  @Inject TransactionSynchronizationRegistry transactions;

  @Inject
  @Channel("capabilities")
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
  Emitter<String> emitter;

  @Inject VolumeHostConfig config;

  private AcknowledgedCreates acknowledged;
  private CapabilityReports reports;

  /** One thread: reports go out in the order they were built. */
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "capability-publisher");
            t.setDaemon(true);
            return t;
          });

  private final AtomicBoolean soon = new AtomicBoolean();
  private volatile boolean stopped;

  @PostConstruct
  void init() {
    acknowledged = new AcknowledgedCreates(config.capabilities().acknowledgedLimit());
    reports =
        new CapabilityReports(
            config.host(), config.availabilityZone(), config.capabilities().extra());
  }

  void onStart(@Observes StartupEvent event) {
    publishSoon();
  }

  void onStop(@Observes ShutdownEvent event) {
    stopped = true;
    executor.shutdownNow();
  }

  @Scheduled(
      every = "${ember.capabilities.interval}",
      delayed = "${ember.capabilities.interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void periodic() {
    if (!stopped) {
      executor.execute(this::publish);
    }
  }

  /**
   * Once the current transaction commits, lists {@code volumeId} as finished on {@code pool} and
   * publishes soon. Nothing happens on rollback: the command will be handled again.
   */
  public void acknowledgeAfterCommit(String pool, String volumeId) {
    afterCommit(
        () -> {
          acknowledged.add(pool, volumeId);
          publishSoon();
        });
  }

  /** Once the current transaction commits, publishes soon (capacity changed). */
  public void changedAfterCommit() {
    afterCommit(this::publishSoon);
  }

  private void afterCommit(Runnable action) {
    TransactionOutcome.afterCommit(transactions, action);
  }

  /** Debounced: requests within {@code ember.capabilities.debounce} share one publication. */
  private void publishSoon() {
    if (!stopped && soon.compareAndSet(false, true)) {
      executor.schedule(
          () -> {
            soon.set(false);
            publish();
          },
          config.capabilities().debounce().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private void publish() {
    try {
      Map<String, Long> allocated = volumes.allocatedGbByPool();
      List<CapabilityReport> built =
          reports.build(driver.getVolumeStats(), allocated, acknowledged, Instant.now());
      for (CapabilityReport report : built) {
        send(report);
      }
      LOG.debugf("published capabilities of %d pool(s)", built.size());
    } catch (RuntimeException e) {
      if (stopped) {
        return; // the database went away under a report racing the shutdown
      }
      // The next period or change publishes again.
      LOG.warnf("capability report failed: %s", e.toString());
    }
  }

  private void send(CapabilityReport report) {
    Envelope envelope = Envelope.of(MessageType.CAPABILITIES, report.pool(), null, report);
    OutgoingKafkaRecordMetadata<String> key =
        OutgoingKafkaRecordMetadata.<String>builder().withKey(report.pool()).build();
    emitter.send(
        Message.of(
            envelope.toJson(),
            Metadata.of(key),
            () -> CompletableFuture.completedFuture(null),
            reason -> {
              LOG.warnf("capability report of %s not sent: %s", report.pool(), reason.toString());
              return CompletableFuture.completedFuture(null);
            }));
  }
}
