package io.ember.scheduler.placement;

import static io.ember.scheduler.Fixtures.NOW;
import static io.ember.scheduler.Fixtures.report;
import static io.ember.scheduler.Fixtures.request;
import static io.ember.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.model.contract.Retry;
import io.ember.model.contract.VolumeSource;
import io.ember.scheduler.Fixtures;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.filter.FilterProperties;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterSchedulerTest {

  private final PoolRegistry registry =
      new PoolRegistry(Fixtures.Config.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
  private final FilterScheduler scheduler =
      new FilterScheduler(registry, Fixtures.Config.defaults());

  private String place(String volumeId, int sizeGb) {
    return scheduler.schedule(request(volume(volumeId, sizeGb))).pool().name();
  }

  @Test
  void burstSpreadsOverTwoEqualPools() {
    registry.update(report("node1@fake#pool").capacity(1000, 1000, 0).build());
    registry.update(report("node2@fake#pool").capacity(1000, 1000, 0).build());
    Map<String, Integer> placed = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      placed.merge(place("v" + i, 10), 1, Integer::sum);
    }
    assertEquals(Map.of("node1@fake#pool", 25, "node2@fake#pool", 25), placed);
  }

  @Test
  void burstDoesNotOverfillAPool() {
    registry.update(report("node1@fake#pool").thin(false, 1).capacity(100, 100, 0).build());
    for (int i = 0; i < 10; i++) {
      assertEquals("node1@fake#pool", place("v" + i, 10));
    }
    NoValidBackendException full =
        assertThrows(NoValidBackendException.class, () -> place("v10", 10));
    assertEquals("No valid backend was found. No weighed backends available", full.getMessage());
  }

  @Test
  void acknowledgedVolumesAreNotCountedTwice() {
    registry.update(report("node1@fake#pool").thin(false, 1).capacity(100, 100, 0).build());
    registry.update(report("node2@fake#pool").thin(false, 1).capacity(100, 100, 0).build());
    assertEquals("node1@fake#pool", place("v1", 30));
    // node1 reports v1 done: its own numbers now include the 30 GB. Were v1 still counted in
    // flight, node1 would look like 40 GB free and lose to node2 (100) by more than it should:
    // check the exact view instead of the choice alone.
    registry.update(
        report("node1@fake#pool")
            .thin(false, 1)
            .capacity(100, 70, 30)
            .acknowledged("v1")
            .at(NOW.plusMillis(1))
            .build());
    assertEquals(
        List.of(70.0, 100.0), registry.pools().stream().map(p -> p.freeCapacityGb()).toList());
    assertEquals("node2@fake#pool", place("v2", 30));
    assertEquals("node1@fake#pool", place("v3", 30));
  }

  @Test
  void downPoolsAreNotScheduledOn() {
    registry.update(report("node1@fake#pool").at(NOW.minusSeconds(61)).build());
    registry.update(report("node2@fake#pool").capacity(1000, 10, 990).thin(false, 1).build());
    assertEquals("node2@fake#pool", place("v1", 10));
  }

  @Test
  void noPoolsAtAll() {
    NoValidBackendException e = assertThrows(NoValidBackendException.class, () -> place("v", 1));
    assertEquals("No valid backend was found. No weighed backends available", e.getMessage());
  }

  @Test
  void attemptsBeyondTheMaximumFail() {
    registry.update(report("node1@fake#pool").build());
    Retry fourth = new Retry(4, List.of("node2@fake"), "driver error");
    NoValidBackendException e =
        assertThrows(
            NoValidBackendException.class,
            () -> scheduler.schedule(new FilterProperties(volume("v9", 1), fourth)));
    assertEquals(
        "No valid backend was found. Exceeded max scheduling attempts 3 for resource v9;"
            + " hosts tried: node2@fake (last error: driver error)",
        e.getMessage());
    assertEquals(0, registry.pools().get(0).inFlightGb());
  }

  @Test
  void rescheduleAvoidsTriedHostsAndMovesTheInFlightPlacement() {
    registry.update(report("node1@fake#pool").build());
    registry.update(report("node2@fake#pool").capacity(1000, 500, 500).build());
    assertEquals("node1@fake#pool", place("v1", 100));
    Retry second = new Retry(2, List.of("node1@fake"), "driver error");
    Placement again = scheduler.schedule(new FilterProperties(volume("v1", 100), second));
    assertEquals("node2@fake#pool", again.pool().name());
    assertEquals(List.of(0.0, 100.0), registry.pools().stream().map(p -> p.inFlightGb()).toList());
  }

  /** Three backends, the source's (node2) the least free and with two pools. */
  private void threeBackends() {
    registry.update(report("node1@fake#pool").capacity(1000, 1000, 0).build());
    registry.update(report("node2@fake#small").thin(false, 1).capacity(100, 20, 80).build());
    registry.update(report("node2@fake#big").thin(false, 1).capacity(200, 150, 50).build());
    registry.update(report("node3@other#pool").capacity(1000, 900, 100).build());
  }

  @Test
  void aCopyOfASnapshotOrVolumeStaysOnItsSourcesBackendInAnyOfItsPools() {
    threeBackends();
    var fromSnapshot =
        volume("s1", 10).withSource(VolumeSource.snapshot("snap-1", "node2@fake#small"));
    var clone = volume("c1", 10).withSource(VolumeSource.volume("vol-1", "node2@fake#small"));

    // node1 has far more room, yet the copies go to node2, to whichever of its pools weighs most.
    assertEquals("node2@fake#big", scheduler.schedule(request(fromSnapshot)).pool().name());
    assertEquals("node2@fake#big", scheduler.schedule(request(clone)).pool().name());
    // Without a source (or from an image) the most free pool wins, as before.
    assertEquals("node1@fake#pool", place("raw", 10));
    var fromImage = volume("i1", 10).withSource(VolumeSource.image("img-1"));
    assertEquals("node1@fake#pool", scheduler.schedule(request(fromImage)).pool().name());
  }

  @Test
  void aCopyWhoseBackendCannotHoldItHasNoValidBackend() {
    threeBackends();
    var tooBig = volume("s2", 500).withSource(VolumeSource.snapshot("snap-1", "node2@fake#big"));
    NoValidBackendException none =
        assertThrows(NoValidBackendException.class, () -> scheduler.schedule(request(tooBig)));
    assertEquals("No valid backend was found. No weighed backends available", none.getMessage());
    assertEquals(
        "live=4 SourceBackendFilter=2 AvailabilityZoneFilter=2 CapacityFilter=0"
            + " CapabilitiesFilter=0 IgnoreAttemptedHostsFilter=0",
        none.trail());
  }

  @Test
  void aRescheduledCopyNeverGoesBackToItsTriedBackendSoItHasNoValidBackend() {
    threeBackends();
    var clone = volume("c2", 10).withSource(VolumeSource.volume("vol-1", "node2@fake#small"));
    Retry second = new Retry(2, List.of("node2@fake"), "driver error");
    assertThrows(
        NoValidBackendException.class,
        () -> scheduler.schedule(new FilterProperties(clone, second)));
    // Another backend tried before still leaves the source's backend open.
    Retry elsewhere = new Retry(2, List.of("node1@fake"), "driver error");
    assertEquals(
        "node2@fake#big", scheduler.schedule(new FilterProperties(clone, elsewhere)).pool().name());
  }
}
