package io.ember.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code count} creates by {@code concurrency} workers, then the deletes of all of them. Each
 * worker is a client that creates a volume, waits until it settles, then starts the next one (as
 * Rally does), so at most {@code concurrency} volumes are in flight at any moment.
 */
final class ThroughputRun {

  /**
   * One phase (create or delete) of a run.
   *
   * @param run the run it belongs to, e.g. {@code 1000x50}
   * @param count volumes attempted: the creates, or the volumes created for the deletes
   * @param elapsedNanos from the start until the last volume settled (available, gone or failed)
   * @param completions per successful volume, nanoseconds from the start until it was seen settled
   * @param latencies per successful volume, POST (DELETE) start until it was seen settled
   * @param requestLatencies the POST (DELETE) calls' own latency
   * @param errors count per kind: non-202 answers, volumes ending in error, timeouts
   * @param httpRequests every request of the phase, polls included
   * @param cpuSeconds CPU seconds each process used meanwhile, the benchmark's own included (it
   *     shares the machine with what it measures)
   */
  record Phase(
      String run,
      String name,
      int count,
      int concurrency,
      long elapsedNanos,
      List<Long> completions,
      Stats latencies,
      Stats requestLatencies,
      Map<String, Integer> errors,
      long httpRequests,
      Map<String, Double> cpuSeconds) {

    int succeeded() {
      return completions.size();
    }

    int errorCount() {
      return errors.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** A process's CPU use in cores (1.0 = one core busy all the phase); NaN when unknown. */
    double cores(String process) {
      Double seconds = cpuSeconds.get(process);
      // CPU time has 10 ms ticks: over a few hundred milliseconds the ratio is mostly noise.
      double elapsedSeconds = elapsedNanos / 1e9;
      return seconds == null || elapsedSeconds < 0.3 ? Double.NaN : seconds / elapsedSeconds;
    }

    /** Volumes that settled successfully per second of the whole phase. */
    double perSecond() {
      return elapsedNanos == 0 ? 0 : succeeded() / (elapsedNanos / 1e9);
    }
  }

  record Result(Options.Load load, Phase create, Phase delete) {}

  private final BlockStorageClient client;
  private final Settling waiter;
  private final ProcessCpu cpu;

  ThroughputRun(BlockStorageClient client, Settling waiter, ProcessCpu cpu) {
    this.client = client;
    this.waiter = waiter;
    this.cpu = cpu;
  }

  Result run(Options.Load load) throws InterruptedException {
    Queue<String> created = new ConcurrentLinkedQueue<>();
    AtomicInteger next = new AtomicInteger();
    Phase create =
        phase(
            load.toString(),
            "create",
            load,
            tracker -> {
              int i;
              while ((i = next.getAndIncrement()) < load.count()) {
                long start = System.nanoTime();
                BlockStorageClient.Created answer;
                try {
                  answer = client.create("bench-tp" + load.concurrency() + "-" + i);
                } catch (IOException e) {
                  tracker.error("POST failed: " + brief(e));
                  continue;
                }
                tracker.request(answer.nanos());
                if (!answer.accepted()) {
                  tracker.error("POST answered " + answer.httpStatus());
                  continue;
                }
                created.add(answer.id());
                tracker.settled(start, waiter.untilAvailable(answer.id()));
              }
            });
    Phase delete =
        phase(
            load.toString(),
            "delete",
            new Options.Load(created.size(), load.concurrency()),
            tracker -> {
              String id;
              while ((id = created.poll()) != null) {
                long start = System.nanoTime();
                int status;
                try {
                  status = client.delete(id);
                } catch (IOException e) {
                  tracker.error("DELETE failed: " + brief(e));
                  continue;
                }
                tracker.request(System.nanoTime() - start);
                if (status != 202) {
                  tracker.error("DELETE answered " + status);
                  continue;
                }
                tracker.settled(start, waiter.untilGone(id));
              }
            });
    return new Result(load, create, delete);
  }

  /** Exception class and message, short enough to group errors by kind. */
  private static String brief(IOException e) {
    String text =
        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return text.length() > 80 ? text.substring(0, 80) : text;
  }

  /** The body of one worker; it takes volumes until none are left. */
  private interface Worker {
    void work(Tracker tracker) throws InterruptedException;
  }

  private Phase phase(String run, String name, Options.Load load, Worker worker)
      throws InterruptedException {
    Tracker tracker = new Tracker();
    long requestsBefore = client.requestCount();
    Map<String, ProcessCpu.Sample> cpuBefore = cpu.snapshot();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < load.concurrency(); w++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                  worker.work(tracker);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  tracker.lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                }
              },
              "bench-" + name + "-" + w);
      threads.add(thread);
      thread.start();
    }
    tracker.start = System.nanoTime();
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    long elapsed = Math.max(0, tracker.lastEnd.get() - tracker.start);
    List<Long> completions = new ArrayList<>(tracker.completions);
    completions.sort(null);
    Map<String, Integer> errors = new TreeMap<>();
    tracker.errors.forEach((k, v) -> errors.put(k, v.get()));
    return new Phase(
        run,
        name,
        load.count(),
        load.concurrency(),
        elapsed,
        completions,
        Stats.ofNanos(tracker.latencies),
        Stats.ofNanos(tracker.requestLatencies),
        errors,
        client.requestCount() - requestsBefore,
        ProcessCpu.delta(cpuBefore, cpu.snapshot()));
  }

  /** What the workers of one phase report, shared between them. */
  private static final class Tracker {
    volatile long start;
    final AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
    final Queue<Long> completions = new ConcurrentLinkedQueue<>();
    final Queue<Long> latencies = new ConcurrentLinkedQueue<>();
    final Queue<Long> requestLatencies = new ConcurrentLinkedQueue<>();
    final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();

    void request(long nanos) {
      requestLatencies.add(nanos);
    }

    void error(String kind) {
      errors.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    void settled(long requestStart, VolumeWaiter.Result result) {
      switch (result.outcome()) {
        case AVAILABLE, GONE -> {
          completions.add(result.seenAt() - start);
          latencies.add(result.seenAt() - requestStart);
        }
        case ERROR -> error("volume ended " + result.detail());
        case TIMEOUT -> error("timed out in " + result.detail());
      }
    }
  }
}
