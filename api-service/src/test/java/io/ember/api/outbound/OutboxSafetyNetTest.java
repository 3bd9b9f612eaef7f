package io.ember.api.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.testsupport.TestKafka;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A row committed to the outbox but never handed to the relay (the process died right after the
 * commit) is still published: the relay's sweep finds it and deletes it once the broker has it.
 */
@QuarkusTest
class OutboxSafetyNetTest {

  @Inject EntityManager em;

  @Test
  void aRowLeftBehindIsPublishedByTheSweep() {
    String key = UUID.randomUUID().toString();
    // A notification, as the outbox holds it: it leaves as a CloudEvent by the sweep too.
    String payload =
        Envelope.of(
                MessageType.NOTIFICATION,
                key,
                null,
                Notification.info("volume.api", "volume.exists", Map.of("volume_id", key)))
            .toJson();
    String topic = TestKafka.prefix() + ".notifications";
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "insert into outbox (topic, msg_key, payload, created_at)"
                            + " values (:t, :k, :p, now() - interval '1 minute')")
                    .setParameter("t", topic)
                    .setParameter("k", key)
                    .setParameter("p", payload)
                    .executeUpdate());

    List<ConsumerRecord<String, String>> published =
        TestKafka.await(topic, r -> key.equals(r.key()), 1, Duration.ofSeconds(20));
    assertEquals(1, published.size(), "the sweep published the row");
    CloudEvent event = CloudEvent.fromJson(published.get(0).value());
    assertEquals("volume.exists", event.type());
    assertEquals(Map.of("volume_id", key), event.data());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long left = 1;
    while (left > 0 && System.nanoTime() < deadline) {
      left =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      ((Number)
                              em.createNativeQuery("select count(*) from outbox where msg_key = :k")
                                  .setParameter("k", key)
                                  .getSingleResult())
                          .longValue());
    }
    assertEquals(0, left, "and deleted it once acknowledged");
  }
}
