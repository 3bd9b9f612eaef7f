package io.ember.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the services' inbox timers out of their Prometheus text, as /q/metrics serves it. */
class HopMetricsTest {

  private static String host(double messages, double deliverySeconds) {
    return """
        # TYPE ember_inbox_delivery_seconds summary
        ember_inbox_delivery_seconds_count{consumer="volume.commands",topic="ember.volume.node1"} %s
        ember_inbox_delivery_seconds_sum{consumer="volume.commands",topic="ember.volume.node1"} %s
        ember_inbox_delivery_seconds_max{consumer="volume.commands",topic="ember.volume.node1"} 0.2
        ember_inbox_handling_seconds_count{consumer="volume.commands",topic="ember.volume.node1"} 4.0
        ember_inbox_handling_seconds_sum{consumer="volume.commands",topic="ember.volume.node1"} 0.02
        http_server_requests_seconds_count{method="GET",outcome="SUCCESS"} 99.0
        """
        .formatted(messages, deliverySeconds);
  }

  private static final String SCHEDULER =
      """
      ember_inbox_delivery_seconds_count{consumer="scheduler.requests",topic="t"} 10.0
      ember_inbox_delivery_seconds_sum{consumer="scheduler.requests",topic="t"} 0.03
      ember_inbox_handling_seconds_count{consumer="scheduler.requests",topic="t"} 10.0
      ember_inbox_handling_seconds_sum{consumer="scheduler.requests",topic="t"} 0.025
      """;

  @Test
  void theHostsOfOneConsumerAddUpAndOnlyItsTimersCount() {
    Map<String, HopMetrics.Hop> hops = HopMetrics.parse(host(4, 0.012) + host(6, 0.018));

    assertEquals(Map.of("volume.commands", new HopMetrics.Hop(10, 0.03, 8, 0.04)), hops);
    assertEquals(3.0, hops.get("volume.commands").deliveryAvgMillis(), 1e-9);
    assertEquals(4.0, hops.get("volume.commands").handlingPerMessageMillis(), 1e-9);
  }

  @Test
  void aRunIsWhatMovedBetweenTwoReadingsTheCreatesConsumersFirst() {
    Map<String, HopMetrics.Hop> before = HopMetrics.parse(host(4, 0.012));
    Map<String, HopMetrics.Hop> after = HopMetrics.parse(host(6, 0.020) + SCHEDULER);

    Map<String, HopMetrics.Hop> run = HopMetrics.between(before, after);

    assertEquals(List.of("scheduler.requests", "volume.commands"), List.copyOf(run.keySet()));
    assertEquals(2, run.get("volume.commands").messages(), 1e-9);
    assertEquals(4.0, run.get("volume.commands").deliveryAvgMillis(), 1e-9);
    assertEquals(0.0, run.get("volume.commands").polls(), 1e-9);
    assertEquals(3.0, run.get("scheduler.requests").deliveryAvgMillis(), 1e-9);
    assertEquals(2.5, run.get("scheduler.requests").handlingPerMessageMillis(), 1e-9);
  }

  @Test
  void aReadingOfSeveralServicesAddsUpByConsumer() {
    assertEquals(
        Map.of("volume.commands", new HopMetrics.Hop(10, 0.03, 8, 0.04)),
        HopMetrics.parseAll(List.of(host(4, 0.012), host(6, 0.018))));
  }

  @Test
  void aConsumerThatTookNothingIsLeftOut() {
    Map<String, HopMetrics.Hop> reading = HopMetrics.parse(SCHEDULER);

    assertEquals(Map.of(), HopMetrics.between(reading, reading));
  }
}
