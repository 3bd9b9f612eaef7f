package io.ember.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each hop as the services time it: the {@code ember_inbox_delivery_seconds} and {@code
 * ember_inbox_handling_seconds} timers every Ember consumer keeps, in the services' Prometheus
 * texts read before and after a run ({@link MetricsScrape}). Delivery runs from a message's record
 * timestamp (its producer's send) until a poll returned it; handling is the poll's transaction.
 * Together they split each hop into the broker's part and the service's own.
 */
final class HopMetrics {

  /** The consumers a create passes, in its order; others follow by name. */
  static final List<String> CREATE_PATH =
      List.of("scheduler.requests", "volume.commands", "api.volume-events");

  private static final Pattern SAMPLE =
      Pattern.compile("^(ember_inbox_\\w+)\\{([^}]*)\\}\\s+(\\S+)$", Pattern.MULTILINE);
  private static final Pattern CONSUMER = Pattern.compile("consumer=\"([^\"]*)\"");

  /** One consumer's counts, summed over the services that run it (both volume hosts, say). */
  record Hop(double messages, double deliverySeconds, double polls, double handlingSeconds) {

    Hop plus(Hop other) {
      return new Hop(
          messages + other.messages,
          deliverySeconds + other.deliverySeconds,
          polls + other.polls,
          handlingSeconds + other.handlingSeconds);
    }

    Hop minus(Hop before) {
      return new Hop(
          messages - before.messages,
          deliverySeconds - before.deliverySeconds,
          polls - before.polls,
          handlingSeconds - before.handlingSeconds);
    }

    double deliveryAvgMillis() {
      return messages == 0 ? Double.NaN : 1000 * deliverySeconds / messages;
    }

    /** A poll's handling time spread over its messages. */
    double handlingPerMessageMillis() {
      return messages == 0 ? Double.NaN : 1000 * handlingSeconds / messages;
    }
  }

  private HopMetrics() {}

  /** Every consumer's counts in a reading of the services' texts, summed by consumer. */
  static Map<String, Hop> parseAll(Collection<String> texts) {
    Map<String, Hop> hops = new TreeMap<>();
    for (String text : texts) {
      parse(text).forEach((consumer, hop) -> hops.merge(consumer, hop, Hop::plus));
    }
    return hops;
  }

  /** The Prometheus text's inbox timers, by consumer. */
  static Map<String, Hop> parse(String text) {
    Map<String, Hop> hops = new TreeMap<>();
    Matcher sample = SAMPLE.matcher(text);
    while (sample.find()) {
      Matcher consumer = CONSUMER.matcher(sample.group(2));
      if (!consumer.find()) {
        continue;
      }
      double value = Double.parseDouble(sample.group(3));
      Hop hop =
          switch (sample.group(1)) {
            case "ember_inbox_delivery_seconds_count" -> new Hop(value, 0, 0, 0);
            case "ember_inbox_delivery_seconds_sum" -> new Hop(0, value, 0, 0);
            case "ember_inbox_handling_seconds_count" -> new Hop(0, 0, value, 0);
            case "ember_inbox_handling_seconds_sum" -> new Hop(0, 0, 0, value);
            default -> null;
          };
      if (hop != null) {
        hops.merge(consumer.group(1), hop, Hop::plus);
      }
    }
    return hops;
  }

  /** What happened between two readings: the consumers that took messages, the create's first. */
  static Map<String, Hop> between(Map<String, Hop> before, Map<String, Hop> after) {
    Map<String, Hop> moved = new TreeMap<>();
    after.forEach(
        (consumer, hop) -> {
          Hop delta = hop.minus(before.getOrDefault(consumer, new Hop(0, 0, 0, 0)));
          if (delta.messages() > 0) {
            moved.put(consumer, delta);
          }
        });
    Map<String, Hop> ordered = new LinkedHashMap<>();
    for (String consumer : CREATE_PATH) {
      Hop hop = moved.remove(consumer);
      if (hop != null) {
        ordered.put(consumer, hop);
      }
    }
    ordered.putAll(moved);
    return ordered;
  }
}
