package io.ember.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@link Results} into the stdout table and the CSV files. Every number in the table is also
 * a CSV row ({@code section,metric,statistic,value,unit,target,verdict}), so runs can be compared
 * by a script.
 */
final class Report {

  private static final double MIB = 1024.0 * 1024.0;

  private final Results results;
  private final StringBuilder table = new StringBuilder();
  private final List<String[]> rows = new ArrayList<>();
  private int passed;
  private int missed;

  private Report(Results results) {
    this.results = results;
  }

  static Report of(Results results) {
    Report report = new Report(results);
    report.header();
    report.sequential();
    report.snapshots();
    report.throughput();
    report.cpu();
    report.floor();
    report.memory();
    report.footer();
    return report;
  }

  String table() {
    return table.toString();
  }

  /** Every number of the table: {@code section,metric,statistic,value,unit,target,verdict}. */
  List<String[]> rows() {
    return rows;
  }

  // ------------------------------------------------------------------ sections

  private void header() {
    Options o = results.options();
    line("Ember bench  %s  project %s  %s", o.url, o.project, results.startedAt());
    line("machine: %s", results.machine());
    row("run", "endpoint", "", o.url, "", "", "");
    row("run", "machine", "", results.machine(), "", "", "");
    MachineSpeed.Reading speed = results.speed();
    line(
        "machine speed: CPU probe %.1f ms at the start, %.1f ms at the end (one thread sorting"
            + " 2^20 ints, best of 5; lower is faster); steal %s of the CPU time during the run",
        speed.probeStartMillis(),
        speed.probeEndMillis(),
        Double.isNaN(speed.stealShare())
            ? "unknown"
            : String.format(Locale.ROOT, "%.1f %%", 100 * speed.stealShare()));
    row("run", "cpu_probe", "start", speed.probeStartMillis(), "ms", "", "");
    row("run", "cpu_probe", "end", speed.probeEndMillis(), "ms", "", "");
    row("run", "steal", "share", 100 * speed.stealShare(), "%", "", "");
    row("run", "started_at", "", results.startedAt().toString(), "", "", "");
    for (String note : results.notes()) {
      line("note: %s", note);
    }
  }

  /** Where a create's time goes, cut where each service sent its message. */
  private void steps(SequentialRun.Result seq) {
    if (seq.step(0).isEmpty()) {
      return;
    }
    line(
        "  where a create's time goes, cut where schedule_volume (cast), create_volume (command)"
            + " and volume.created (event) were sent (record timestamps, ms clock; %d of %d volumes):",
        seq.samples().size() - seq.stepsMissing(), seq.samples().size());
    for (int i = 0; i < SequentialRun.STEPS.size(); i++) {
      latencyLine(
          "sequential", "step_" + i, "  " + SequentialRun.STEPS.get(i), seq.step(i), null, null);
    }
  }

  /**
   * Each hop as the services timed it during the sequential run: how long its messages took to
   * arrive, and how long the service then took over them (both averages; creates and deletes).
   */
  private void hops(Map<String, HopMetrics.Hop> hops) {
    if (hops == null || hops.isEmpty()) {
      return;
    }
    line(
        "  each hop as the services time it (their ember_inbox_* metrics; averages over the"
            + " sequential run's create and delete messages):");
    line("    %-34s %8s %12s %12s", "consumer", "messages", "delivery ms", "handling ms");
    hops.forEach(
        (consumer, hop) -> {
          line(
              "    %-34s %8.0f %12.2f %12.2f",
              consumer, hop.messages(), hop.deliveryAvgMillis(), hop.handlingPerMessageMillis());
          String metric = "hop_" + consumer;
          row("sequential", metric, "messages", hop.messages(), "", "", "");
          row("sequential", metric, "delivery_avg", hop.deliveryAvgMillis(), "ms", "", "");
          row("sequential", metric, "handling_avg", hop.handlingPerMessageMillis(), "ms", "", "");
        });
    line(
        "    delivery: from a message's record timestamp (its producer's send) until a poll"
            + " returned it; handling: the poll's transaction, per message");
  }

  /** Each service's collections during the sequential run: a full one shows in the p99. */
  private void gcPauses(Map<String, GcPauses.Service> services) {
    if (services == null || services.isEmpty()) {
      return;
    }
    line("  garbage collection in each service during the sequential run (jvm_gc_pause_seconds):");
    line("    %-34s %8s %12s %8s %12s", "service", "minor", "minor ms", "full", "full ms");
    services.forEach(
        (service, gc) -> {
          line(
              "    %-34s %8.0f %12.1f %8.0f %12.1f",
              service,
              gc.minor().count(),
              gc.minor().millis(),
              gc.major().count(),
              gc.major().millis());
          String metric = "gc_" + service;
          row("sequential", metric, "minor_count", gc.minor().count(), "", "", "");
          row("sequential", metric, "minor_total", gc.minor().millis(), "ms", "", "");
          row("sequential", metric, "full_count", gc.major().count(), "", "", "");
          row("sequential", metric, "full_total", gc.major().millis(), "ms", "", "");
        });
  }

  private void sequential() {
    SequentialRun.Result seq = results.sequential();
    if (seq == null) {
      return;
    }
    Options o = results.options();
    line("");
    line(
        "SEQUENTIAL  %d volumes one at a time, after %s; GET poll every %d ms",
        o.sequential, warmUp(o), o.pollInterval.toMillis());
    line("  %-34s %8s %8s %8s %8s   %-20s %s", "ms", "p50", "p95", "p99", "max", "target", "");
    latencyLine("sequential", "post", "POST -> 202", seq.post(), null, null);
    latencyLine(
        "sequential",
        "create_to_available",
        "create -> available (GET)",
        seq.createToAvailable(),
        Targets.CREATE_P50_MS,
        Targets.CREATE_P99_MS);
    if (seq.notificationsMeasured()) {
      Stats seen = seq.createToNotification();
      if (seen.isEmpty()) {
        line(
            "  create -> volume.create.end: none of %d seen on %s.notifications",
            seq.samples().size(), o.topicPrefix);
      } else {
        String label = "create -> volume.create.end";
        if (seq.notificationsMissing() > 0) {
          label += " (" + seq.notificationsMissing() + " unseen)";
        }
        latencyLine("sequential", "create_to_notification", label, seen, null, null);
      }
      row("sequential", "notifications_unseen", "count", seq.notificationsMissing(), "", "", "");
      steps(seq);
    }
    hops(results.sequentialHops());
    gcPauses(results.sequentialGc());
    latencyLine(
        "sequential", "attach", "attach: create -> update -> complete", seq.attach(), null, null);
    latencyLine("sequential", "detach", "detach: attachment DELETE", seq.detach(), null, null);
    latencyLine(
        "sequential", "delete_to_404", "DELETE -> 404 (GET)", seq.deleteToGone(), null, null);
    line("  errors: %d", seq.errors().size());
    row("sequential", "errors", "count", seq.errors().size(), "", "", "");
    seq.errors().stream().limit(5).forEach(e -> line("    %s", e));
  }

  private void snapshots() {
    SnapshotRun.Result snap = results.snapshots();
    if (snap == null) {
      return;
    }
    line("");
    line(
        "SNAPSHOTS  %d rounds one at a time; GET poll every %d ms",
        results.options().snapshots, results.options().pollInterval.toMillis());
    line("  %-34s %8s %8s %8s %8s   %-20s %s", "ms", "p50", "p95", "p99", "max", "target", "");
    latencyLine(
        "snapshots",
        "snapshot_to_available",
        "snapshot -> available (GET)",
        snap.snapshotToAvailable(),
        null,
        null);
    latencyLine(
        "snapshots",
        "from_snapshot_to_available",
        "volume from it -> available (GET)",
        snap.fromSnapshotToAvailable(),
        null,
        null);
    line("  errors: %d", snap.errors().size());
    row("snapshots", "errors", "count", snap.errors().size(), "", "", "");
    snap.errors().stream().limit(5).forEach(e -> line("    %s", e));
  }

  private void throughput() {
    List<ThroughputRun.Result> runs = results.throughput();
    if (runs.isEmpty()) {
      return;
    }
    line("");
    line(
        "THROUGHPUT  each worker creates (deletes) a volume, waits until it is available (404),"
            + " repeats; %s",
        results.options().throughputListWatch
            ? "one list of the creating (deleting) volumes every "
                + results.options().throughputPoll.toMillis()
                + " ms for all workers, then one of error (error_deleting) when some left it"
            : "each worker polls its volume every "
                + results.options().throughputPoll.toMillis()
                + " ms");
    line(
        "  %-8s %-6s %9s %6s %7s %8s %8s %8s %9s %8s %6s   %-17s %s",
        "run",
        "phase",
        "done",
        "errors",
        "time s",
        "vol/s",
        "p50 ms",
        "p99 ms",
        "call p50",
        "API rq/s",
        "bench",
        "target",
        "");
    ThroughputRun.Result headline = results.headlineLoad();
    for (ThroughputRun.Result r : runs) {
      boolean targeted = r == headline;
      ThroughputRun.Phase create = r.create();
      boolean createMet =
          create.perSecond() >= Targets.CREATES_PER_SECOND && create.errorCount() == 0;
      phaseLine(
          r,
          create,
          targeted
              ? String.format(Locale.ROOT, ">=%.0f/s, 0 errors", Targets.CREATES_PER_SECOND)
              : "",
          targeted ? Targets.verdict(createMet) : "");
      ThroughputRun.Phase delete = r.delete();
      boolean deleteMet = delete.perSecond() >= Targets.DELETES_PER_SECOND;
      phaseLine(
          r,
          delete,
          targeted ? String.format(Locale.ROOT, ">=%.0f/s", Targets.DELETES_PER_SECOND) : "",
          targeted ? Targets.verdict(deleteMet) : "");
      if (targeted) {
        count(createMet);
        count(deleteMet);
      }
    }
    line(
        "  p50/p99: POST (DELETE) start -> seen available (404); call p50: the POST (DELETE) alone;"
            + " API rq/s: all requests, polls included; bench: CPU cores this benchmark used");
    for (ThroughputRun.Result r : runs) {
      for (ThroughputRun.Phase p : List.of(r.create(), r.delete())) {
        p.errors()
            .forEach((kind, n) -> line("  errors %s %s: %d x %s", r.load(), p.name(), n, kind));
      }
    }
  }

  /** Where the cores went during each throughput phase: is the machine saturated, and by whom. */
  private void cpu() {
    List<ThroughputRun.Phase> phases = new ArrayList<>();
    results.throughput().forEach(r -> phases.addAll(List.of(r.create(), r.delete())));
    List<String> processes = new ArrayList<>();
    phases.forEach(
        p ->
            p.cpuSeconds().keySet().stream()
                .filter(k -> !processes.contains(k))
                .forEach(processes::add));
    if (processes.size() <= 1) {
      return; // only the benchmark itself: nothing to compare
    }
    line("");
    line(
        "CPU  cores used during each throughput phase (CPU seconds / phase seconds; %d cores)",
        Runtime.getRuntime().availableProcessors());
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-16s", "process"));
    for (ThroughputRun.Phase p : phases) {
      header.append(String.format(Locale.ROOT, " %15s", p.run() + " " + p.name()));
    }
    line("%s", header);
    for (String process : processes) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-16s", process));
      for (ThroughputRun.Phase p : phases) {
        row.append(String.format(Locale.ROOT, " %15s", num(p.cores(process))));
      }
      line("%s", row);
    }
    StringBuilder total = new StringBuilder(String.format(Locale.ROOT, "  %-16s", "total"));
    for (ThroughputRun.Phase p : phases) {
      double sum =
          processes.stream().mapToDouble(k -> p.cores(k)).filter(c -> !Double.isNaN(c)).sum();
      total.append(String.format(Locale.ROOT, " %15s", num(sum)));
    }
    line("%s", total);
    // What one volume costs the stack (everything but the benchmark): the budget for N volumes/s
    // on C cores is C / N seconds of CPU per volume, polls included.
    StringBuilder perVolume =
        new StringBuilder(String.format(Locale.ROOT, "  %-16s", "stack ms/volume"));
    for (ThroughputRun.Phase p : phases) {
      double stackSeconds =
          p.cpuSeconds().entrySet().stream()
              .filter(e -> !e.getKey().equals(ProcessCpu.BENCH))
              .mapToDouble(Map.Entry::getValue)
              .sum();
      double ms = p.succeeded() == 0 ? Double.NaN : stackSeconds * 1000 / p.succeeded();
      perVolume.append(String.format(Locale.ROOT, " %15s", num(ms)));
      row("throughput_" + p.run(), p.name(), "stack_cpu_ms_per_volume", ms, "ms", "", "");
    }
    line("%s", perVolume);
  }

  private void floor() {
    Stats kafka = results.kafkaFloor();
    Floor.Commits commits = results.commitFloor();
    if (kafka == null && commits == null) {
      return;
    }
    line("");
    line("FLOOR  same machine, same broker and database, measured in this run");
    line("  %-44s %8s %8s", "ms", "p50", "p99");
    if (kafka != null) {
      String label = "Kafka produce -> consume round trip (" + kafka.count() + ")";
      line("  %-44s %8s %8s", label, num(kafka.p50()), num(kafka.p99()));
      row("floor", "kafka_round_trip", "p50", kafka.p50(), "ms", "", "");
      row("floor", "kafka_round_trip", "p99", kafka.p99(), "ms", "", "");
    }
    if (commits != null) {
      Stats c = commits.stats();
      String label = "PostgreSQL one-row INSERT + COMMIT (" + c.count() + ")";
      line("  %-44s %8s %8s   %s", label, num(c.p50()), num(c.p99()), settings(commits.settings()));
      row("floor", "commit", "p50", c.p50(), "ms", "", "");
      row("floor", "commit", "p99", c.p99(), "ms", "", "");
    }
    String pace = results.options().floorPace.toMillis() + " ms idle";
    pacedStep(
        "Kafka round trip after " + pace, "kafka_round_trip_paced", results.kafkaPacedFloor());
    pacedStep("one-row commit after " + pace, "commit_paced", results.commitPacedFloor());
    line(
        "  one create in Ember: %d broker hops (api -> scheduler.requests -> scheduler ->"
            + " volume.<host> -> volume host -> volume.events -> api)",
        Targets.BROKER_HOPS_PER_CREATE);
    line(
        "    and %d business commits (api, scheduler, volume host, api), plus the relays'"
            + " outbox deletes off the path",
        Targets.COMMITS_PER_CREATE);
    row("floor", "broker_hops_per_create", "count", Targets.BROKER_HOPS_PER_CREATE, "", "", "");
    row("floor", "commits_per_create", "count", Targets.COMMITS_PER_CREATE, "", "", "");
    createFloor(
        "floor",
        "create_floor",
        "ember_to_floor_ratio",
        kafka,
        commits == null ? null : commits.stats(),
        results.floorMillis());
    createFloor(
        "floor at the sequential run's pace",
        "create_floor_paced",
        "ember_to_paced_floor_ratio",
        results.kafkaPacedFloor(),
        results.commitPacedFloor(),
        results.pacedFloorMillis());
  }

  private void pacedStep(String label, String name, Stats stats) {
    if (stats == null) {
      return;
    }
    line("  %-44s %8s %8s", label + " (" + stats.count() + ")", num(stats.p50()), num(stats.p99()));
    row("floor", name, "p50", stats.p50(), "ms", "", "");
    row("floor", name, "p99", stats.p99(), "ms", "", "");
  }

  /** One create's floor from these step latencies, and how far Ember's p50 is above it. */
  private void createFloor(
      String label, String name, String ratioName, Stats kafka, Stats commits, double floor) {
    if (Double.isNaN(floor)) {
      return;
    }
    line(
        "  %s = %d x %s + %d x %s = %s ms",
        label,
        Targets.BROKER_HOPS_PER_CREATE,
        num(kafka.p50()),
        Targets.COMMITS_PER_CREATE,
        num(commits.p50()),
        num(floor));
    row("floor", name, "p50", floor, "ms", "", "");
    SequentialRun.Result seq = results.sequential();
    if (seq != null && !seq.createToAvailable().isEmpty()) {
      double ember = seq.createToAvailable().p50();
      line(
          "    Ember create -> available p50 %s ms = %.1f x it (%s ms above it)",
          num(ember), ember / floor, num(ember - floor));
      row("floor", ratioName, "p50", ember / floor, "x", "", "");
    }
  }

  private void memory() {
    Map<String, Long> idle = results.memoryIdle();
    Map<String, Long> end = results.memoryEnd();
    if (idle == null && end == null) {
      return;
    }
    String endLabel = results.throughput().isEmpty() ? "end" : "end of throughput";
    line("");
    line("MEMORY  RSS (VmRSS) in MiB");
    line("  %-22s %8s %18s   %-10s %s", "process", "idle", endLabel, "target", "");
    Set<String> names = new LinkedHashSet<>(PidFiles.names());
    names.addAll(idle == null ? Set.of() : idle.keySet()); // replicas after the first of each
    names.addAll(end == null ? Set.of() : end.keySet());
    for (String name : names) {
      Long before = idle == null ? null : idle.get(name);
      Long after = end == null ? null : end.get(name);
      if (before == null && after == null) {
        continue;
      }
      String label = name.equals(PidFiles.BROKER) ? name + " (broker)" : name;
      line("  %-22s %8s %18s", label, mib(before), mib(after));
      row("memory", name, "idle", mibValue(before), "MiB", "", "");
      row("memory", name, "end", mibValue(after), "MiB", "", "");
    }
    Long idleTotal = idle == null ? null : ProcessMemory.servicesTotal(idle);
    Long endTotal = end == null ? null : ProcessMemory.servicesTotal(end);
    if (idleTotal == null && endTotal == null) {
      return;
    }
    boolean met = endTotal != null && endTotal <= Targets.SERVICES_RSS_BYTES;
    String target = String.format(Locale.ROOT, "<=%.0f", Targets.SERVICES_RSS_BYTES / MIB);
    line(
        "  %-22s %8s %18s   %-10s %s",
        "services total (" + servicesSeen(end == null ? idle : end) + ")",
        mib(idleTotal),
        mib(endTotal),
        target,
        Targets.verdict(met));
    row("memory", "services_total", "idle", mibValue(idleTotal), "MiB", "", "");
    row("memory", "services_total", "end", mibValue(endTotal), "MiB", target, Targets.verdict(met));
    count(met);
  }

  private static long servicesSeen(Map<String, Long> snapshot) {
    return snapshot.keySet().stream().filter(name -> !name.equals(PidFiles.BROKER)).count();
  }

  private void footer() {
    line("");
    line("targets: %d PASS, %d MISS", passed, missed);
  }

  // ------------------------------------------------------------------ helpers

  /** p50/p95/p99/max on one line; the limits (null: none) are targets that count as verdicts. */
  private void latencyLine(
      String section, String metric, String label, Stats s, Double p50Limit, Double p99Limit) {
    String p50Verdict = verdict(s.p50(), p50Limit);
    String p99Verdict = verdict(s.p99(), p99Limit);
    List<String> targets = new ArrayList<>();
    List<String> misses = new ArrayList<>();
    if (p50Limit != null) {
      targets.add("p50<=" + whole(p50Limit));
      if (p50Verdict.equals("MISS")) {
        misses.add("p50");
      }
    }
    if (p99Limit != null) {
      targets.add("p99<=" + whole(p99Limit));
      if (p99Verdict.equals("MISS")) {
        misses.add("p99");
      }
    }
    String verdict =
        targets.isEmpty()
            ? ""
            : misses.isEmpty() ? "PASS" : "MISS (" + String.join(", ", misses) + ")";
    line(
        "  %-34s %8s %8s %8s %8s   %-20s %s",
        label,
        num(s.p50()),
        num(s.p95()),
        num(s.p99()),
        num(s.max()),
        String.join(" ", targets),
        verdict);
    row(section, metric, "p50", s.p50(), "ms", limit(p50Limit), p50Verdict);
    row(section, metric, "p95", s.p95(), "ms", "", "");
    row(section, metric, "p99", s.p99(), "ms", limit(p99Limit), p99Verdict);
    row(section, metric, "max", s.max(), "ms", "", "");
    row(section, metric, "count", s.count(), "", "", "");
  }

  /** "" without a limit; otherwise PASS/MISS, counted in the footer. */
  private String verdict(double value, Double limit) {
    if (limit == null) {
      return "";
    }
    boolean met = !Double.isNaN(value) && value <= limit;
    count(met);
    return Targets.verdict(met);
  }

  private static String limit(Double limit) {
    return limit == null ? "" : "<=" + whole(limit);
  }

  private void phaseLine(ThroughputRun.Result r, ThroughputRun.Phase p, String target, String v) {
    double seconds = p.elapsedNanos() / 1e9;
    double apiRate = seconds == 0 ? 0 : p.httpRequests() / seconds;
    line(
        "  %-8s %-6s %9s %6d %7s %8s %8s %8s %9s %8.0f %6s   %-17s %s",
        r.load(),
        p.name(),
        p.succeeded() + "/" + p.count(),
        p.errorCount(),
        String.format(Locale.ROOT, "%.2f", seconds),
        String.format(Locale.ROOT, "%.1f", p.perSecond()),
        num(p.latencies().p50()),
        num(p.latencies().p99()),
        num(p.requestLatencies().p50()),
        apiRate,
        num(p.cores(ProcessCpu.BENCH)),
        target,
        v);
    String section = "throughput_" + r.load();
    String unit = p.name().equals("create") ? "creates/s" : "deletes/s";
    String rateTarget = target.isEmpty() ? "" : target.split("/s")[0];
    row(section, p.name(), "per_second", p.perSecond(), unit, rateTarget, v);
    row(section, p.name(), "seconds", seconds, "s", "", "");
    row(section, p.name(), "succeeded", p.succeeded(), "", "", "");
    row(section, p.name(), "errors", p.errorCount(), "", target.isEmpty() ? "" : "0", "");
    row(section, p.name(), "settle_p50", p.latencies().p50(), "ms", "", "");
    row(section, p.name(), "settle_p99", p.latencies().p99(), "ms", "", "");
    row(section, p.name(), "call_p50", p.requestLatencies().p50(), "ms", "", "");
    row(section, p.name(), "call_p99", p.requestLatencies().p99(), "ms", "", "");
    row(section, p.name(), "api_requests_per_second", apiRate, "req/s", "", "");
    p.cpuSeconds()
        .keySet()
        .forEach(
            process -> row(section, p.name(), "cpu_" + process, p.cores(process), "cores", "", ""));
  }

  private void count(boolean met) {
    if (met) {
      passed++;
    } else {
      missed++;
    }
  }

  private void line(String format, Object... args) {
    table.append(String.format(Locale.ROOT, format, args).stripTrailing()).append('\n');
  }

  private void row(
      String section,
      String metric,
      String statistic,
      Object value,
      String unit,
      String target,
      String verdict) {
    String text =
        value instanceof Double d
            ? (d.isNaN() ? "" : String.format(Locale.ROOT, "%.3f", d))
            : String.valueOf(value);
    rows.add(new String[] {section, metric, statistic, text, unit, target, verdict});
  }

  private static String settings(Map<String, String> settings) {
    return "synchronous_commit="
        + settings.get("synchronous_commit")
        + ", fsync="
        + settings.get("fsync");
  }

  private static String num(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.1f" : "%.2f", value);
  }

  private static String whole(double value) {
    return String.format(Locale.ROOT, "%.0f", value);
  }

  /** MiB as a CSV value: empty when not measured. */
  private static Object mibValue(Long bytes) {
    return bytes == null ? "" : bytes / MIB;
  }

  private static String mib(Long bytes) {
    return bytes == null ? "-" : String.format(Locale.ROOT, "%.1f", bytes / MIB);
  }

  /** What the warm-up ran, as {@code Bench.warmUp} runs it. */
  private static String warmUp(Options o) {
    Options.Load busiest = o.busyWarmUp();
    if (busiest == null) {
      return o.warmup + " warm-up volumes";
    }
    return String.format(
        Locale.ROOT,
        "%d warm-up volumes (%d at a time, then %d at %d)",
        o.warmup + busiest.count(),
        Options.WARMUP_CONCURRENCY,
        busiest.count(),
        busiest.concurrency());
  }
}
