package io.ember.api.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.testsupport.TestKafka;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.UUID;
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
    String payload = "{\"left\":\"" + key + "\"}";
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

    assertEquals(
        1,
        TestKafka.await(topic, r -> key.equals(r.key()), 1, Duration.ofSeconds(20)).size(),
        "the sweep published the row");
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
