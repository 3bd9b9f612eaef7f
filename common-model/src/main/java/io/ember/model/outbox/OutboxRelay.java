package io.ember.model.outbox;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to Kafka and deletes each batch once the broker acknowledged all
 * of it. Two paths lead here, both on one thread so messages leave in commit order:
 *
 * <ul>
 *   <li>right after a commit, {@link Outbox} hands over the messages it wrote: sent at once,
 *       without reading them back;
 *   <li>{@link OutboxPoller} periodically sweeps rows older than {@code ember.outbox.sweep-age}
 *       that are not in flight: the safety net for rows left by a crash or a broker outage.
 * </ul>
 *
 * A row may be sent twice (crash after send, before delete): consumers are idempotent.
 */
@ApplicationScoped
public class OutboxRelay {

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

  /** A committed message waiting to be published. */
  public record Pending(long id, String topic, String key, String payload) {}

  @Inject EntityManager entityManager;

  @Inject
  @Channel("outbox")
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
  Emitter<String> emitter;

  @ConfigProperty(name = "ember.outbox.batch-size", defaultValue = "500")
  int batchSize;

  @ConfigProperty(name = "ember.outbox.ack-timeout", defaultValue = "30s")
  Duration ackTimeout;

  @ConfigProperty(name = "ember.outbox.sweep-age", defaultValue = "2s")
  Duration sweepAge;

  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "outbox-relay");
            t.setDaemon(true);
            return t;
          });
  private final ConcurrentLinkedQueue<Pending> committed = new ConcurrentLinkedQueue<>();
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean drainQueued = new AtomicBoolean();
  private final AtomicBoolean sweepRequested = new AtomicBoolean();
  private volatile boolean stopped;

  /** Called after a commit with the messages that transaction wrote. */
  void publishCommitted(List<Pending> messages) {
    for (Pending p : messages) {
      inFlight.add(p.id());
      committed.add(p);
    }
    schedule();
  }

  /** Asks for a sweep of the table (the safety net). */
  public void sweep() {
    sweepRequested.set(true);
    schedule();
  }

  private void schedule() {
    if (!stopped && drainQueued.compareAndSet(false, true)) {
      worker.execute(this::drain);
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stopped = true;
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void drain() {
    drainQueued.set(false);
    try {
      List<Pending> batch;
      while (!(batch = takeCommitted()).isEmpty()) {
        publishAndDelete(batch);
      }
      if (sweepRequested.getAndSet(false)) {
        while (!(batch = readOldRows()).isEmpty() && !stopped) {
          publishAndDelete(batch);
        }
      }
    } catch (Exception e) {
      // Whatever was not deleted stays in the table; the sweep sends it again.
      inFlight.clear();
      LOG.warnf("outbox relay: publish failed, the sweep will retry: %s", e.toString());
    }
  }

  private List<Pending> takeCommitted() {
    List<Pending> batch = new ArrayList<>();
    Pending p;
    while (batch.size() < batchSize && (p = committed.poll()) != null) {
      batch.add(p);
    }
    return batch;
  }

  private List<Pending> readOldRows() {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              @SuppressWarnings("unchecked")
              List<Object[]> rows =
                  entityManager
                      .createNativeQuery(
                          "select id, topic, msg_key, payload from outbox"
                              + " where created_at < now() - make_interval(secs => :age)"
                              + " order by id limit :n")
                      .setParameter("age", sweepAge.toMillis() / 1000.0)
                      .setParameter("n", batchSize)
                      .getResultList();
              List<Pending> batch = new ArrayList<>();
              for (Object[] row : rows) {
                long id = ((Number) row[0]).longValue();
                if (!inFlight.contains(id)) {
                  batch.add(new Pending(id, (String) row[1], (String) row[2], (String) row[3]));
                }
              }
              return batch;
            });
  }

  private void publishAndDelete(List<Pending> batch) throws Exception {
    List<CompletableFuture<Void>> acks = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      acks.add(publish(p));
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
        .get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
    List<Long> ids = batch.stream().map(Pending::id).toList();
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery("delete from outbox where id in (:ids)")
                    .setParameter("ids", ids)
                    .executeUpdate());
    ids.forEach(inFlight::remove);
  }

  private CompletableFuture<Void> publish(Pending p) {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    OutgoingKafkaRecordMetadata<String> target =
        OutgoingKafkaRecordMetadata.<String>builder().withTopic(p.topic()).withKey(p.key()).build();
    emitter.send(
        Message.of(
            p.payload(),
            Metadata.of(target),
            () -> {
              ack.complete(null);
              return CompletableFuture.completedFuture(null);
            },
            reason -> {
              ack.completeExceptionally(reason);
              return CompletableFuture.completedFuture(null);
            }));
    return ack;
  }
}
