package io.ember.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resident memory (VmRSS) of the local stack's processes. RSS is what the machine actually gives a
 * JVM: heap, metaspace, code cache, thread stacks and native buffers together.
 */
final class ProcessMemory {

  private final PidFiles pids;

  ProcessMemory(PidFiles pids) {
    this.pids = pids;
  }

  /** RSS in bytes per process name; a process that is not running is absent. */
  Map<String, Long> snapshot() {
    Map<String, Long> rss = new LinkedHashMap<>();
    pids.alive()
        .forEach(
            (name, pid) -> {
              Long bytes = rssOf(pid);
              if (bytes != null) {
                rss.put(name, bytes);
              }
            });
    return rss;
  }

  /** The sum over the Ember services and their replicas (not the broker); null when none runs. */
  static Long servicesTotal(Map<String, Long> snapshot) {
    long sum = 0;
    boolean any = false;
    for (Map.Entry<String, Long> process : snapshot.entrySet()) {
      if (!process.getKey().equals(PidFiles.BROKER)) {
        sum += process.getValue();
        any = true;
      }
    }
    return any ? sum : null;
  }

  private static Long rssOf(String pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith("VmRSS:")) {
          // "VmRSS:    123456 kB"
          String kb = line.substring("VmRSS:".length()).replace("kB", "").trim();
          return Long.parseLong(kb) * 1024;
        }
      }
      return null;
    } catch (IOException | NumberFormatException e) {
      return null; // the process is gone
    }
  }
}
