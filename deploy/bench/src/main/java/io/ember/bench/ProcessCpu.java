package io.ember.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time consumed so far by the stack's processes (utime + stime from {@code /proc/<pid>/stat}),
 * so a throughput run can show where the machine's cores went: Ember, the broker, PostgreSQL, or
 * the benchmark itself. Empty where there is no procfs.
 */
final class ProcessCpu {

  static final String POSTGRES = "postgres";
  static final String BENCH = "bench";

  /** USER_HZ: the unit of the stat fields, 100 on every mainstream Linux architecture. */
  private static final double TICKS_PER_SECOND = 100;

  /** CPU seconds of one process (or, for PostgreSQL, of all its processes) at one moment. */
  record Sample(String pid, double seconds) {}

  private final PidFiles pids;

  ProcessCpu(PidFiles pids) {
    this.pids = pids;
  }

  /**
   * CPU seconds per name: the PID-file processes, {@value #POSTGRES} (all processes of that name,
   * i.e. the server and its backends) and {@value #BENCH} (this process).
   */
  Map<String, Sample> snapshot() {
    Map<String, Sample> samples = new LinkedHashMap<>();
    pids.alive()
        .forEach(
            (name, pid) -> {
              Double seconds = cpuSeconds(pid);
              if (seconds != null) {
                samples.put(name, new Sample(pid, seconds));
              }
            });
    if (pids.available()) {
      double postgres = postgresSeconds();
      if (postgres > 0) {
        samples.put(POSTGRES, new Sample("*", postgres));
      }
    }
    Double self = cpuSeconds("self");
    if (self != null) {
      samples.put(BENCH, new Sample("self", self));
    }
    return samples;
  }

  /** CPU seconds used between two snapshots, per name still run by the same process. */
  static Map<String, Double> delta(Map<String, Sample> before, Map<String, Sample> after) {
    Map<String, Double> delta = new LinkedHashMap<>();
    after.forEach(
        (name, now) -> {
          Sample start = before.get(name);
          if (start != null && start.pid().equals(now.pid())) {
            // PostgreSQL backends come and go: never report less than nothing.
            delta.put(name, Math.max(0, now.seconds() - start.seconds()));
          }
        });
    return delta;
  }

  private static double postgresSeconds() {
    double total = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : (Iterable<Path>) procs::iterator) {
        String pid = proc.getFileName().toString();
        if (pid.matches("\\d+") && POSTGRES.equals(comm(proc))) {
          Double s = cpuSeconds(pid);
          total += s == null ? 0 : s;
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return total;
  }

  private static String comm(Path proc) {
    try {
      return Files.readString(proc.resolve("comm")).trim();
    } catch (IOException e) {
      return null; // gone meanwhile
    }
  }

  /** utime + stime of {@code /proc/<pid>/stat}; null when the process is gone. */
  private static Double cpuSeconds(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      // "pid (comm) state ppid ...": comm may hold spaces, so count fields after the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
