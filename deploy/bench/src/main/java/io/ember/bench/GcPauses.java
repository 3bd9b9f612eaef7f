package io.ember.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each service's garbage-collection pauses, from Micrometer's {@code jvm_gc_pause_seconds}: minor
 * (young generation) and major (full) collections. A full collection stops a small service for tens
 * of milliseconds, so one during the sequential run shows in its p99; this says whether one did.
 */
final class GcPauses {

  private static final Pattern SAMPLE =
      Pattern.compile(
          "^jvm_gc_pause_seconds_(count|sum)\\{([^}]*)\\}\\s+(\\S+)$", Pattern.MULTILINE);
  private static final Pattern ACTION = Pattern.compile("action=\"end of (major|minor) GC\"");

  /** How many pauses, and their total length. */
  record Pauses(double count, double seconds) {

    static final Pauses NONE = new Pauses(0, 0);

    Pauses plus(Pauses other) {
      return new Pauses(count + other.count, seconds + other.seconds);
    }

    Pauses minus(Pauses before) {
      return new Pauses(count - before.count, seconds - before.seconds);
    }

    double millis() {
      return 1000 * seconds;
    }
  }

  /** One service's pauses, whatever their cause. */
  record Service(Pauses minor, Pauses major) {

    Service minus(Service before) {
      return new Service(minor.minus(before.minor), major.minus(before.major));
    }
  }

  private GcPauses() {}

  /** The pauses counted in one service's Prometheus text. */
  static Service parse(String text) {
    Pauses minor = Pauses.NONE;
    Pauses major = Pauses.NONE;
    Matcher sample = SAMPLE.matcher(text);
    while (sample.find()) {
      Matcher action = ACTION.matcher(sample.group(2));
      if (!action.find()) {
        continue;
      }
      double value = Double.parseDouble(sample.group(3));
      Pauses pauses = sample.group(1).equals("count") ? new Pauses(value, 0) : new Pauses(0, value);
      if (action.group(1).equals("major")) {
        major = major.plus(pauses);
      } else {
        minor = minor.plus(pauses);
      }
    }
    return new Service(minor, major);
  }

  /** Each service's pauses between two readings ({@link MetricsScrape#read}), in their order. */
  static Map<String, Service> between(Map<String, String> before, Map<String, String> after) {
    Map<String, Service> run = new LinkedHashMap<>();
    after.forEach(
        (service, text) -> {
          String earlier = before.get(service);
          Service now = parse(text);
          run.put(service, earlier == null ? now : now.minus(parse(earlier)));
        });
    return run;
  }
}
