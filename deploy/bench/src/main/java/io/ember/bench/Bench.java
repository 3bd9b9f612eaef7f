package io.ember.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ember bench}: latency, throughput, floor and memory of a Block Storage API v3 endpoint,
 * printed as a table and written as CSV + PNG. Progress goes to stderr, the table to stdout.
 */
public final class Bench {

  /** Sequential volumes dropped after the concurrent warm-up, so its backlog has drained. */
  private static final int SEQUENTIAL_WARMUP = 5;

  /** Snapshot rounds dropped before the measured ones (the first snapshots of a JVM). */
  private static final int SNAPSHOT_WARMUP = 3;

  private final Options options;
  private final List<String> notes = new ArrayList<>();

  private Bench(Options options) {
    this.options = options;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    // kafka-clients logs through slf4j; without a provider slf4j warns on stderr. Stay quiet.
    System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
    System.setProperty("slf4j.internal.verbosity", "WARN");
    Options options;
    try {
      options = Options.parse(args);
    } catch (Options.UsageException e) {
      if (e.getMessage() == null) {
        System.out.print(Options.USAGE);
        System.exit(0);
      }
      System.err.println("bench: " + e.getMessage());
      System.err.print(Options.USAGE);
      System.exit(64);
      return;
    }
    int status;
    try {
      status = new Bench(options).run();
    } catch (InterruptedException e) {
      System.err.println("bench: interrupted");
      status = 130;
    } catch (Exception e) {
      System.err.println("bench: failed: " + e);
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private int run() throws Exception {
    Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    BlockStorageClient client =
        new BlockStorageClient(
            options.urls(), options.project, options.token, options.maxConcurrency() + 2);
    try {
      int versions = client.versions();
      progress("API %s answers %d; project %s", options.url, versions, options.project);
    } catch (IOException e) {
      System.err.printf(
          "bench: the Block Storage API at %s does not answer (%s). Is the stack up?"
              + " (deploy/local/ember up)%n",
          options.url, e);
      return 1;
    }
    if (options.setQuota) {
      unlimitedQuota(client);
    }
    if (options.createsType()) {
      String failed = client.createType(options.volumeType, options.typeSpecs, options.typeQos);
      if (failed != null) {
        System.err.printf(
            "bench: creating volume type %s failed: %s%n", options.volumeType, failed);
        return 1;
      }
      progress(
          "volume type %s created: extra specs %s, back-end QoS %s",
          options.volumeType, options.typeSpecs, options.typeQos);
    }
    if (options.volumeType != null) {
      client.useVolumeType(options.volumeType);
      notes.add(
          "volumes of type "
              + options.volumeType
              + (options.createsType()
                  ? " (extra specs " + options.typeSpecs + ", back-end QoS " + options.typeQos + ")"
                  : ""));
    }

    // Before anything loads the stack, so the probe meets an idle machine.
    double probeBefore = MachineSpeed.cpuProbeMillis();
    long[] cpuTimesBefore = MachineSpeed.cpuTimes();
    PidFiles pidFiles = new PidFiles(options.pidDir);
    ProcessMemory memory = new ProcessMemory(pidFiles);
    Map<String, String> pidsAtStart = pidFiles.alive();
    Map<String, Long> idle = null;
    if (pidFiles.available()) {
      idle = memory.snapshot();
    } else {
      notes.add("memory and CPU skipped: no PID directory " + options.pidDir);
    }

    Stats kafkaFloor = options.floor ? kafkaFloor(options.floorTrips, Duration.ZERO) : null;
    Floor.Commits commitFloor =
        options.floor ? commitFloor(options.floorCommits, Duration.ZERO) : null;
    boolean paced = options.floor && !options.floorPace.isZero();
    Stats kafkaPaced = paced ? kafkaFloor(options.floorPacedSteps, options.floorPace) : null;
    Floor.Commits commitsPaced =
        paced ? commitFloor(options.floorPacedSteps, options.floorPace) : null;
    Settling settling =
        options.throughputListWatch
            ? new ListWatcher(client, options.throughputPoll, options.volumeTimeout)
            : new VolumeWaiter(client, options.throughputPoll, options.volumeTimeout);
    ThroughputRun runner = new ThroughputRun(client, settling, new ProcessCpu(pidFiles));
    // Each part starts only while the API answers: a stack stopped mid-run yields a report of
    // what was measured, not thousands of connection errors.
    boolean up = apiAnswers(client, "the warm-up");
    if (up) {
      warmUp(runner);
    }
    up = up && apiAnswers(client, "the sequential run");
    MetricsScrape metrics = new MetricsScrape(options.metrics);
    Map<String, String> metricsBefore = up ? readMetrics(metrics) : null;
    SequentialRun.Result sequential = up ? sequential(client) : null;
    Map<String, String> metricsAfter = metricsBefore == null ? null : readMetrics(metrics);
    Map<String, HopMetrics.Hop> sequentialHops =
        metricsAfter == null
            ? null
            : HopMetrics.between(
                HopMetrics.parseAll(metricsBefore.values()),
                HopMetrics.parseAll(metricsAfter.values()));
    Map<String, GcPauses.Service> sequentialGc =
        metricsAfter == null ? null : GcPauses.between(metricsBefore, metricsAfter);
    SnapshotRun.Result snapshots = null;
    if (options.snapshots > 0) {
      up = up && apiAnswers(client, "the snapshot run");
      snapshots = up ? snapshots(client) : null;
    }
    List<ThroughputRun.Result> throughput = new ArrayList<>();
    for (Options.Load load : options.throughput) {
      up = up && apiAnswers(client, "the " + load + " throughput run");
      if (!up) {
        break;
      }
      progress(
          "throughput: %d creates at concurrency %d, then their deletes",
          load.count(), load.concurrency());
      throughput.add(runner.run(load));
    }
    if (settling instanceof ListWatcher watcher) {
      watcher.stop();
    }
    Map<String, Long> end = pidFiles.available() ? memory.snapshot() : null;
    MachineSpeed.Reading speed =
        new MachineSpeed.Reading(
            probeBefore,
            MachineSpeed.cpuProbeMillis(),
            MachineSpeed.stealShare(cpuTimesBefore, MachineSpeed.cpuTimes()));
    notes.addAll(PidFiles.restarts(pidsAtStart, pidFiles.alive()));

    Results results =
        new Results(
            options,
            startedAt,
            machine(),
            speed,
            idle,
            end,
            kafkaFloor,
            commitFloor,
            kafkaPaced,
            commitsPaced == null ? null : commitsPaced.stats(),
            sequential,
            sequentialHops,
            sequentialGc,
            snapshots,
            throughput,
            notes);
    Report report = Report.of(results);
    System.out.print(report.table());
    Path dir =
        options.out.resolve(
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    List<Path> files = CsvFiles.write(dir, results, report.rows());
    Path png = dir.resolve("bench.png");
    Charts.write(png, results);
    files.add(png);
    System.out.println();
    files.forEach(f -> System.out.println("wrote " + f));
    return 0;
  }

  /** The services' metrics now; null (and a note) when they cannot be read. */
  private Map<String, String> readMetrics(MetricsScrape metrics) throws InterruptedException {
    if (!metrics.configured()) {
      return null;
    }
    try {
      return metrics.read();
    } catch (IOException | RuntimeException e) {
      notes.add(
          "hop timings and GC pauses skipped: the services' metrics could not be read (" + e + ")");
      return null;
    }
  }

  private boolean apiAnswers(BlockStorageClient client, String before) throws InterruptedException {
    try {
      client.versions();
      return true;
    } catch (IOException e) {
      notes.add(
          "the API stopped answering before " + before + " (" + e + "); the rest was skipped");
      return false;
    }
  }

  private void unlimitedQuota(BlockStorageClient client) throws InterruptedException {
    try {
      KeepAliveHttp.Answer answer = client.unlimitedQuota();
      if (answer.status() != 200) {
        notes.add(
            "quota: PUT os-quota-sets answered "
                + answer.status()
                + "; the project's default quota applies");
      }
    } catch (IOException e) {
      notes.add("quota: PUT os-quota-sets failed: " + e);
    }
  }

  private Stats kafkaFloor(int trips, Duration idleBefore) {
    if (options.kafka == null) {
      notes.add("Kafka floor skipped: no --kafka");
      return null;
    }
    progress("floor: %d Kafka round trips on %s%s", trips, options.kafka, pace(idleBefore));
    try {
      return Floor.kafkaRoundTrips(options.kafka, trips, idleBefore);
    } catch (Exception e) {
      notes.add("Kafka floor failed: " + e);
      return null;
    }
  }

  private Floor.Commits commitFloor(int n, Duration idleBefore) {
    if (options.jdbc == null) {
      notes.add("commit floor skipped: no --jdbc");
      return null;
    }
    progress("floor: %d one-row commits on %s%s", n, options.jdbc, pace(idleBefore));
    try {
      return Floor.commits(options.jdbc, options.dbUser, options.dbPassword, n, idleBefore);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      notes.add("commit floor interrupted");
      return null;
    } catch (Exception e) {
      notes.add("commit floor failed: " + e);
      return null;
    }
  }

  private static String pace(Duration idleBefore) {
    return idleBefore.isZero() ? "" : ", each after " + idleBefore.toMillis() + " ms idle";
  }

  /**
   * Volumes created and deleted a few at a time before anything is measured, so that what is
   * measured is a running stack's steady state, not its JIT warm-up. A freshly started JVM runs
   * interpreted code, and the broker's C2 compiles for thousands of requests: on a fresh stack, 200
   * warm-up volumes left a sequential p50 about twice, and volumes/s about two thirds, of what the
   * same stack gave once warm; 3,000 came within about 10 % of it (README, Benchmark). The broker
   * still compiled for most of the first run after an {@code up} until the warm-up also sent it the
   * most concurrent run's traffic (its produce and fetch requests carry more records), so that run
   * follows, once, unmeasured.
   */
  private void warmUp(ThroughputRun runner) throws InterruptedException {
    if (options.warmup == 0) {
      return;
    }
    progress("warm-up: %d volumes, %d at a time", options.warmup, Options.WARMUP_CONCURRENCY);
    noteErrors(runner.run(new Options.Load(options.warmup, Options.WARMUP_CONCURRENCY)));
    Options.Load busiest = options.busyWarmUp();
    if (busiest != null) {
      progress("warm-up: %d volumes, %d at a time", busiest.count(), busiest.concurrency());
      noteErrors(runner.run(busiest));
    }
  }

  private void noteErrors(ThroughputRun.Result warm) {
    int createErrors = warm.create().errorCount();
    int deleteErrors = warm.delete().errorCount();
    if (createErrors + deleteErrors > 0) {
      notes.add(
          String.format(
              Locale.ROOT,
              "warm-up (%d at a time): %d of %d creates and %d deletes failed",
              warm.load().concurrency(),
              createErrors,
              warm.load().count(),
              deleteErrors));
    }
  }

  private SnapshotRun.Result snapshots(BlockStorageClient client) throws InterruptedException {
    progress("snapshots: %d rounds one at a time", options.snapshots);
    return new SnapshotRun(client, options.pollInterval, options.volumeTimeout)
        .run(SNAPSHOT_WARMUP, options.snapshots);
  }

  private SequentialRun.Result sequential(BlockStorageClient client) throws InterruptedException {
    MessageWatcher watcher = null;
    if (options.kafka != null) {
      try {
        watcher = MessageWatcher.start(options.kafka, options.topicPrefix);
      } catch (RuntimeException e) {
        notes.add("volume.create.end timing skipped: " + e.getMessage());
      }
    } else {
      notes.add("volume.create.end timing skipped: no --kafka");
    }
    progress("sequential: %d volumes one at a time", options.sequential);
    try {
      SequentialRun run =
          new SequentialRun(client, options.pollInterval, options.volumeTimeout, watcher);
      return run.run(SEQUENTIAL_WARMUP, options.sequential);
    } finally {
      if (watcher != null) {
        watcher.close();
        if (watcher.failure() != null) {
          notes.add("notification consumer failed: " + watcher.failure());
        }
      }
    }
  }

  /** "2 CPUs (model), 23.6 GiB, Linux 6.1, Java 17.0.x": what the numbers were measured on. */
  private static String machine() {
    String model = firstValue(Path.of("/proc/cpuinfo"), "model name");
    String memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal");
    StringBuilder out = new StringBuilder();
    out.append(Runtime.getRuntime().availableProcessors()).append(" CPUs");
    if (model != null) {
      out.append(" (").append(model.replaceAll("\\s+", " ")).append(')');
    }
    if (memKb != null) {
      double gib = Long.parseLong(memKb.replaceAll("\\D", "")) / (1024.0 * 1024.0);
      out.append(String.format(Locale.ROOT, ", %.1f GiB", gib));
    }
    out.append(", ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.version"))
        .append(", Java ")
        .append(System.getProperty("java.version"));
    return out.toString();
  }

  private static String firstValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux: leave it out
    }
    return null;
  }

  private static void progress(String format, Object... args) {
    System.err.println("bench: " + String.format(Locale.ROOT, format, args));
  }
}
