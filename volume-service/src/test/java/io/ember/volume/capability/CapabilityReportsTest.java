package io.ember.volume.capability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.model.contract.CapabilityReport;
import io.ember.volume.driver.PoolStats;
import io.ember.volume.driver.VolumeStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapabilityReportsTest {

  @Test
  void onePoolReportWithTheManagersCountsAndOperatorExtras() {
    VolumeStats stats =
        new VolumeStats(
            "fake",
            "Ember",
            "1.0.0",
            "fake",
            List.of(
                new PoolStats(
                    "p1", 100, 90, 10, true, false, 20.0, 0, Map.of("multiattach", "false")),
                new PoolStats("p2", 50, 50, 0, true, false, 20.0, 5, Map.of())));
    AcknowledgedCreates acknowledged = new AcknowledgedCreates(10);
    acknowledged.add("node1@fake#p1", "vol-1");
    CapabilityReports reports =
        new CapabilityReports("node1@fake", "nova", Map.of("multiattach", "true", "tier", "gold"));

    List<CapabilityReport> built =
        reports.build(stats, Map.of("node1@fake#p1", 12L), acknowledged, Instant.EPOCH);

    CapabilityReport p1 = built.get(0);
    assertEquals("node1@fake#p1", p1.pool());
    assertEquals(12, p1.allocatedCapacityGb());
    assertEquals(10, p1.provisionedCapacityGb());
    assertEquals(90, p1.freeCapacityGb());
    assertEquals("nova", p1.availabilityZone());
    assertEquals(Map.of("multiattach", "true", "tier", "gold"), p1.extraCapabilities());
    assertEquals(List.of("vol-1"), p1.acknowledgedVolumeIds());
    CapabilityReport p2 = built.get(1);
    assertEquals("node1@fake#p2", p2.pool());
    assertEquals(0, p2.allocatedCapacityGb());
    assertEquals(5, p2.reservedPercentage());
    assertEquals(List.of(), p2.acknowledgedVolumeIds());
  }

  @Test
  void acknowledgementsKeepTheNewestUpToTheLimit() {
    AcknowledgedCreates acknowledged = new AcknowledgedCreates(2);
    acknowledged.add("p", "a");
    acknowledged.add("p", "b");
    acknowledged.add("p", "a");
    acknowledged.add("p", "c");

    assertEquals(List.of("a", "c"), acknowledged.of("p"));
  }
}
