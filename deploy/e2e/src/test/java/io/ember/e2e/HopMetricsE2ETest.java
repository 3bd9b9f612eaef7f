package io.ember.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an operator reads off each service's {@code /q/metrics} about the hops a create takes: every
 * consumer on the way times its messages' delivery and its polls' handling.
 */
class HopMetricsE2ETest {

  private static final Pattern SAMPLE =
      Pattern.compile("^(\\w+)\\{([^}]*)\\}\\s+(\\S+)$", Pattern.MULTILINE);

  static EmberStack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = EmberStack.shared();
  }

  private final String project = UUID.randomUUID().toString().replace("-", "");

  /** One hop's counts, summed over the services that run its consumer. */
  private record Hop(double delivered, double deliverySeconds, double polls) {}

  @Test
  void eachHopOfACreateIsTimedByTheServiceThatTakesIt() throws Exception {
    Hop scheduleBefore = hop(stack.processesOf("scheduler"), "scheduler.requests");
    Hop commandBefore = hop(hosts(), "volume.commands");
    Hop eventBefore = hop(stack.processesOf("api"), "api.volume-events");

    String id =
        given()
            .baseUri(stack.apiUrl())
            .header("X-Auth-Token", "admin:" + project)
            .contentType("application/json")
            .body("{\"volume\": {\"size\": 1, \"name\": \"timed\"}}")
            .post("/v3/" + project + "/volumes")
            .then()
            .statusCode(202)
            .extract()
            .path("volume.id");
    awaitAvailable(id, Duration.ofSeconds(60));

    awaitMoved(scheduleBefore, stack.processesOf("scheduler"), "scheduler.requests");
    awaitMoved(commandBefore, hosts(), "volume.commands");
    // The poll's timing is taken as its transaction returns, a moment after the volume shows.
    awaitMoved(eventBefore, stack.processesOf("api"), "api.volume-events");
  }

  private static void awaitMoved(Hop before, List<String> services, String consumer)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      Hop after = hop(services, consumer);
      try {
        assertMoved(before, after, consumer);
        return;
      } catch (AssertionError notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
      }
      Thread.sleep(100);
    }
  }

  private static void assertMoved(Hop before, Hop after, String message) {
    assertTrue(
        after.delivered() >= before.delivered() + 1,
        message + " counted as delivered: " + before + " -> " + after);
    assertTrue(
        after.deliverySeconds() >= before.deliverySeconds(),
        message + " delivery time does not shrink: " + before + " -> " + after);
    assertTrue(
        after.polls() >= before.polls() + 1,
        message + " handled in a timed poll: " + before + " -> " + after);
  }

  private static List<String> hosts() {
    return stack.serviceNames().stream().filter(n -> n.startsWith("volume-")).toList();
  }

  private static Hop hop(List<String> services, String consumer) {
    double delivered = 0;
    double seconds = 0;
    double polls = 0;
    for (String service : services) {
      String text =
          given()
              .baseUri(stack.url(service))
              .get("/q/metrics")
              .then()
              .statusCode(200)
              .extract()
              .asString();
      Matcher m = SAMPLE.matcher(text);
      while (m.find()) {
        if (!m.group(2).contains("consumer=\"" + consumer + "\"")) {
          continue;
        }
        double value = Double.parseDouble(m.group(3));
        switch (m.group(1)) {
          case "ember_inbox_delivery_seconds_count" -> delivered += value;
          case "ember_inbox_delivery_seconds_sum" -> seconds += value;
          case "ember_inbox_handling_seconds_count" -> polls += value;
          default -> {}
        }
      }
    }
    return new Hop(delivered, seconds, polls);
  }

  private void awaitAvailable(String id, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String seen = null;
    while (System.nanoTime() < deadline) {
      seen =
          given()
              .baseUri(stack.apiUrl())
              .header("X-Auth-Token", "admin:" + project)
              .get("/v3/" + project + "/volumes/" + id)
              .path("volume.status");
      if ("available".equals(seen)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("volume " + id + " stayed " + seen);
  }
}
