package io.ember.api.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The inbox forgets ids processed longer ago than the retention and keeps the recent ones (which
 * still guard against a redelivery).
 */
@QuarkusTest
@TestProfile(InboxRetentionTest.ShortRetention.class)
class InboxRetentionTest {

  /** An hour's retention, checked every second. */
  public static class ShortRetention implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("ember.inbox.retention", "1h", "ember.inbox.cleanup-every", "1s");
    }
  }

  @Inject EntityManager em;

  private void processed(String consumer, String messageId, String ago) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "insert into inbox (consumer, message_id, processed_at)"
                            + " values (:c, :m, now() - cast(:ago as interval))")
                    .setParameter("c", consumer)
                    .setParameter("m", messageId)
                    .setParameter("ago", ago)
                    .executeUpdate());
  }

  private long count(String consumer) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                ((Number)
                        em.createNativeQuery("select count(*) from inbox where consumer = :c")
                            .setParameter("c", consumer)
                            .getSingleResult())
                    .longValue());
  }

  @Test
  void idsOlderThanTheRetentionAreForgottenRecentOnesKept() throws InterruptedException {
    String consumer = "retention-test-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      processed(consumer, "old-" + i, "2 hours");
    }
    processed(consumer, "recent", "10 minutes");
    processed(consumer, "now", "0 seconds");

    long deadline = System.nanoTime() + 20_000_000_000L;
    while (count(consumer) > 2 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(2, count(consumer), "only the ids within the retention are left");
  }
}
