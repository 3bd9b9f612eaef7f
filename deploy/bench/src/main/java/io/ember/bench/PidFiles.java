package io.ember.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PID files {@code ember up} writes ({@code .ember/pids/<name>.pid}): the broker and the four
 * Ember services. Only a process that is alive counts.
 */
final class PidFiles {

  static final String BROKER = "kafka";

  /** The Ember services, in the order the tables show them; their RSS sum is the memory target. */
  static final List<String> SERVICES = List.of("api", "scheduler", "volume-node1", "volume-node2");

  private final Path dir;

  PidFiles(Path dir) {
    this.dir = dir;
  }

  /** False when there is no PID directory (e.g. a remote endpoint): memory and CPU are skipped. */
  boolean available() {
    return Files.isDirectory(dir);
  }

  /** The broker first, then the services. */
  static List<String> names() {
    List<String> all = new ArrayList<>();
    all.add(BROKER);
    all.addAll(SERVICES);
    return all;
  }

  /**
   * name → pid of every recorded process that is alive right now, api and scheduler replicas too.
   */
  Map<String, String> alive() {
    Map<String, String> pids = new LinkedHashMap<>();
    if (!available()) {
      return pids;
    }
    List<String> names = names();
    names.addAll(replicas());
    for (String name : names) {
      try {
        String pid = Files.readString(dir.resolve(name + ".pid")).trim();
        if (pid.matches("\\d+") && Files.isDirectory(Path.of("/proc", pid))) {
          pids.put(name, pid);
        }
      } catch (IOException e) {
        // no PID file: not running
      }
    }
    return pids;
  }

  /** The replicas {@code ember up --apis/--schedulers} started ({@code api-2.pid} ...), by name. */
  private List<String> replicas() {
    try (var files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.matches("(api|scheduler)-[0-9]+\\.pid"))
          .map(f -> f.substring(0, f.length() - ".pid".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** One note per process whose pid changed between two {@link #alive} calls. */
  static List<String> restarts(Map<String, String> before, Map<String, String> after) {
    List<String> notes = new ArrayList<>();
    before.forEach(
        (name, pid) -> {
          String now = after.get(name);
          if (now == null) {
            notes.add(name + " (pid " + pid + ") stopped during the run");
          } else if (!now.equals(pid)) {
            notes.add(name + " restarted during the run (pid " + pid + " -> " + now + ")");
          }
        });
    return notes;
  }
}
