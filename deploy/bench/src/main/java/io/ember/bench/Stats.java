package io.ember.bench;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles (nearest rank) of a set of durations, kept in milliseconds. */
final class Stats {

  private final double[] sortedMillis;

  private Stats(double[] sortedMillis) {
    this.sortedMillis = sortedMillis;
  }

  static Stats ofNanos(Collection<Long> nanos) {
    double[] millis = nanos.stream().mapToDouble(n -> n / 1e6).sorted().toArray();
    return new Stats(millis);
  }

  static Stats ofNanos(long[] nanos) {
    double[] millis = Arrays.stream(nanos).mapToDouble(n -> n / 1e6).sorted().toArray();
    return new Stats(millis);
  }

  int count() {
    return sortedMillis.length;
  }

  boolean isEmpty() {
    return sortedMillis.length == 0;
  }

  /** The nearest-rank percentile, {@code NaN} when there are no samples. */
  double percentile(double p) {
    if (isEmpty()) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sortedMillis.length);
    return sortedMillis[Math.min(Math.max(rank, 1), sortedMillis.length) - 1];
  }

  double p50() {
    return percentile(50);
  }

  double p95() {
    return percentile(95);
  }

  double p99() {
    return percentile(99);
  }

  double max() {
    return isEmpty() ? Double.NaN : sortedMillis[sortedMillis.length - 1];
  }

  /** Sorted samples in milliseconds (for the CDF chart). */
  double[] sortedMillis() {
    return sortedMillis.clone();
  }
}
