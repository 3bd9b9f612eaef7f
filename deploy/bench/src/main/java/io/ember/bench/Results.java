package io.ember.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one benchmark run measured; a part that was skipped is null (or empty).
 *
 * @param memoryIdle RSS in bytes per process before any volume was created
 * @param memoryEnd RSS in bytes per process at the end of the throughput runs
 * @param sequentialHops each consumer's messages during the sequential run, as the services timed
 *     them (null when not read)
 * @param sequentialGc each service's garbage-collection pauses during the sequential run (null when
 *     not read)
 * @param snapshots the snapshot rounds (null when skipped)
 * @param notes what was skipped or failed, and why
 */
record Results(
    Options options,
    Instant startedAt,
    String machine,
    MachineSpeed.Reading speed,
    Map<String, Long> memoryIdle,
    Map<String, Long> memoryEnd,
    Stats kafkaFloor,
    Floor.Commits commitFloor,
    Stats kafkaPacedFloor,
    Stats commitPacedFloor,
    SequentialRun.Result sequential,
    Map<String, HopMetrics.Hop> sequentialHops,
    Map<String, GcPauses.Service> sequentialGc,
    SnapshotRun.Result snapshots,
    List<ThroughputRun.Result> throughput,
    List<String> notes) {

  /** The run the throughput targets apply to (concurrency 50), or null when there was none. */
  ThroughputRun.Result headlineLoad() {
    return throughput.stream()
        .filter(r -> r.load().concurrency() == Targets.CREATES_CONCURRENCY)
        .reduce((first, second) -> second)
        .orElse(null);
  }

  /** 3 × Kafka p50 + 4 × commit p50 in ms, or NaN when either was not measured. */
  double floorMillis() {
    return floor(kafkaFloor, commitFloor == null ? null : commitFloor.stats());
  }

  /**
   * The same from the steps measured each after an idle pause, as the sequential run meets them.
   */
  double pacedFloorMillis() {
    return floor(kafkaPacedFloor, commitPacedFloor);
  }

  private static double floor(Stats kafka, Stats commits) {
    if (kafka == null || commits == null) {
      return Double.NaN;
    }
    return Targets.BROKER_HOPS_PER_CREATE * kafka.p50()
        + Targets.COMMITS_PER_CREATE * commits.p50();
  }
}
