package io.ember.scheduler.inbound;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The scheduler on the broker's SASL/PLAIN listener (deploy/local/ember kafka-up opens one on the
 * broker's port + 2, user {@code ember}; {@code -Dtest.kafka-sasl=host:port} points elsewhere): its
 * messaging channels, Ember's own clients and the start-up read of where the services topic ends
 * must all sign in with the {@code kafka.security.*} and {@code kafka.sasl.*} settings.
 */
@QuarkusTest
@TestProfile(SaslListenerTest.OnTheSaslListener.class)
class SaslListenerTest {

  /** Every Kafka setting of the service pointed at the SASL listener. */
  public static class OnTheSaslListener implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "kafka.bootstrap.servers",
          System.getProperty("test.kafka-sasl", "localhost:9094"),
          "kafka.security.protocol",
          "SASL_PLAINTEXT",
          "kafka.sasl.mechanism",
          "PLAIN",
          "kafka.sasl.jaas.config",
          "org.apache.kafka.common.security.plain.PlainLoginModule required"
              + " username=\"ember\" password=\"ember-secret\";");
    }
  }

  @ConfigProperty(name = "ember.topic-prefix")
  String prefix;

  @Inject ServicesConsumer servicesConsumer;

  @Test
  void everyClientSignsInOnTheSaslListener() throws InterruptedException {
    // Ready: the topics were created and every consumer loop reads, over SASL.
    given().get("/q/health/ready").then().statusCode(200);

    // The scheduler's own heartbeat goes out on the services topic (the outbox relay, over SASL);
    // the read of where that topic ends, which a starting scheduler waits for, must find it. It
    // finds nothing when it cannot sign in (it then gives up after 5 s, and requests are not held
    // back until the host statuses are replayed).
    String services = new Topics(prefix).services();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (servicesConsumer.lastOffsets(services).isEmpty()) {
      assertTrue(
          System.nanoTime() < deadline, "the end of " + services + " was never read over SASL");
      Thread.sleep(500);
    }
  }
}
