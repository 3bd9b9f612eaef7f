package io.ember.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading each service's collections out of Micrometer's jvm_gc_pause_seconds. */
class GcPausesTest {

  private static String service(double minors, double minorSeconds, double fulls) {
    return """
        # TYPE jvm_gc_pause_seconds summary
        jvm_gc_pause_seconds_count{action="end of major GC",cause="Allocation Failure",gc="MarkSweepCompact"} %s
        jvm_gc_pause_seconds_sum{action="end of major GC",cause="Allocation Failure",gc="MarkSweepCompact"} %s
        jvm_gc_pause_seconds_count{action="end of major GC",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 2.0
        jvm_gc_pause_seconds_sum{action="end of major GC",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 0.05
        jvm_gc_pause_seconds_count{action="end of minor GC",cause="Allocation Failure",gc="Copy"} %s
        jvm_gc_pause_seconds_sum{action="end of minor GC",cause="Allocation Failure",gc="Copy"} %s
        jvm_gc_pause_seconds_max{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 0.161
        jvm_gc_memory_promoted_bytes_total 1.0E7
        """
        .formatted(fulls, 0.06 * fulls, minors, minorSeconds);
  }

  @Test
  void minorAndFullCollectionsAreCountedWhateverTheirCause() {
    GcPauses.Service gc = GcPauses.parse(service(80, 0.4, 1));

    assertEquals(new GcPauses.Pauses(80, 0.4), gc.minor());
    assertEquals(3, gc.major().count(), 1e-9);
    assertEquals(110, gc.major().millis(), 1e-9);
  }

  @Test
  void aRunIsTheDifferenceOfTwoReadingsPerServiceInTheirOrder() {
    Map<String, String> before = new LinkedHashMap<>();
    before.put("api", service(80, 0.4, 1));
    before.put("scheduler", service(30, 0.1, 0));
    Map<String, String> after = new LinkedHashMap<>();
    after.put("api", service(92, 0.46, 2));
    after.put("scheduler", service(31, 0.102, 0));

    Map<String, GcPauses.Service> run = GcPauses.between(before, after);

    assertEquals(List.of("api", "scheduler"), List.copyOf(run.keySet()));
    assertEquals(12, run.get("api").minor().count(), 1e-9);
    assertEquals(60, run.get("api").minor().millis(), 1e-6);
    assertEquals(1, run.get("api").major().count(), 1e-9);
    assertEquals(60, run.get("api").major().millis(), 1e-6);
    assertEquals(0, run.get("scheduler").major().count(), 1e-9);
    assertEquals(2, run.get("scheduler").minor().millis(), 1e-6);
  }
}
