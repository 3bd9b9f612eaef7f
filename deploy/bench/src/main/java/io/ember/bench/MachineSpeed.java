package io.ember.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * How fast the machine was while the benchmark ran, so runs from different days can be compared.
 * This shared machine's speed varies a lot (in session 6 a single-threaded Python loop took about
 * 3.5 times as long as on an ordinary 2.5 GHz core, and the stack used twice the CPU per volume of
 * the session before), and a latency target missed on a slow day says little about the code.
 *
 * <ul>
 *   <li>the CPU probe: one thread sorts the same 2<sup>20</sup> pseudo-random ints, best of a few
 *       rounds after one unmeasured round (lower is faster; it depends only on the core's speed);
 *   <li>steal: the share of the machine's CPU time the hypervisor gave to others during the run
 *       ({@code /proc/stat}), where there is one.
 * </ul>
 */
final class MachineSpeed {

  private static final int PROBE_INTS = 1 << 20;
  private static final int PROBE_ROUNDS = 5;

  private MachineSpeed() {}

  /**
   * The probe at the start and at the end of the run (ms) and the share of CPU time stolen in
   * between (NaN where unknown).
   */
  record Reading(double probeStartMillis, double probeEndMillis, double stealShare) {}

  /** Milliseconds of the best round of the sorting probe. */
  static double cpuProbeMillis() {
    int[] source = pseudoRandom(PROBE_INTS);
    sortCopy(source); // first round: class loading and compilation, not measured
    long best = Long.MAX_VALUE;
    for (int round = 0; round < PROBE_ROUNDS; round++) {
      long start = System.nanoTime();
      sortCopy(source);
      best = Math.min(best, System.nanoTime() - start);
    }
    return best / 1e6;
  }

  private static void sortCopy(int[] source) {
    int[] copy = source.clone();
    Arrays.sort(copy);
    if (copy[0] > copy[copy.length - 1]) {
      throw new AssertionError("not sorted"); // keeps the sort from being optimised away
    }
  }

  /** Xorshift with a fixed seed: the same input on every machine. */
  private static int[] pseudoRandom(int n) {
    int[] values = new int[n];
    int x = 0x2545F491;
    for (int i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      values[i] = x;
    }
    return values;
  }

  /** The machine's CPU time counters ({@code /proc/stat}'s first line), or null without procfs. */
  static long[] cpuTimes() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
      String[] fields = lines.get(0).trim().split("\\s+");
      long[] ticks = new long[fields.length - 1];
      for (int i = 1; i < fields.length; i++) {
        ticks[i - 1] = Long.parseLong(fields[i]);
      }
      return ticks;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The share of all CPU time between two {@link #cpuTimes} readings that was stolen (the eighth
   * counter), or NaN when either reading is missing.
   */
  static double stealShare(long[] before, long[] after) {
    final int steal = 7;
    if (before == null || after == null || before.length <= steal || after.length <= steal) {
      return Double.NaN;
    }
    long total = 0;
    // user..steal: guest time is already counted in user time.
    for (int i = 0; i <= steal; i++) {
      total += after[i] - before[i];
    }
    return total <= 0 ? Double.NaN : (double) (after[steal] - before[steal]) / total;
  }
}
