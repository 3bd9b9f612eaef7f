package io.ember.model.outbox;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * Publishes committed outbox rows to Kafka in id order, deleting each batch once the broker has
 * acknowledged all of it. It runs on one thread, woken after every commit that wrote to the outbox
 * and by {@link OutboxPoller} as the safety net (for rows left by a crash or a broker outage).
 */
@ApplicationScoped
public class OutboxRelay {

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

  @Inject EntityManager entityManager;

  @Inject
  @Channel("outbox")
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
  Emitter<String> emitter;

  @ConfigProperty(name = "ember.outbox.batch-size", defaultValue = "500")
  int batchSize;

  @ConfigProperty(name = "ember.outbox.ack-timeout", defaultValue = "30s")
  java.time.Duration ackTimeout;

  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "outbox-relay");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile boolean stopped;

  /** Ask for a drain; calls while one is queued collapse into it. */
  public void wake() {
    if (!stopped && pending.compareAndSet(false, true)) {
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
    pending.set(false);
    try {
      int sent;
      do {
        sent = QuarkusTransaction.requiringNew().call(this::publishBatch);
      } while (sent == batchSize && !stopped);
    } catch (Exception e) {
      // The rows stay in the outbox; the next wake or poll retries them.
      LOG.warnf("outbox relay: publish failed, will retry: %s", e.getMessage());
    }
  }

  private int publishBatch() throws Exception {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select id, topic, msg_key, payload from outbox order by id limit :n"
                    + " for update skip locked")
            .setParameter("n", batchSize)
            .getResultList();
    if (rows.isEmpty()) {
      return 0;
    }
    List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
    List<Long> ids = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      ids.add(((Number) row[0]).longValue());
      acks.add(publish((String) row[1], (String) row[2], (String) row[3]));
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
        .get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
    entityManager
        .createNativeQuery("delete from outbox where id in (:ids)")
        .setParameter("ids", ids)
        .executeUpdate();
    return rows.size();
  }

  private CompletableFuture<Void> publish(String topic, String key, String payload) {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    OutgoingKafkaRecordMetadata<String> target =
        OutgoingKafkaRecordMetadata.<String>builder().withTopic(topic).withKey(key).build();
    emitter.send(
        Message.of(
            payload,
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
