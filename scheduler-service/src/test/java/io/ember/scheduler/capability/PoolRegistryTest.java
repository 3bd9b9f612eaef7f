package io.ember.scheduler.capability;

import static io.ember.scheduler.Fixtures.NOW;
import static io.ember.scheduler.Fixtures.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.scheduler.Fixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoolRegistryTest {

  /** A clock the test moves by hand. */
  private static final class TestClock extends Clock {
    Instant now = NOW;

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final TestClock clock = new TestClock();
  private final PoolRegistry registry = new PoolRegistry(Fixtures.Config.defaults(), clock);

  private PoolState only() {
    List<PoolState> pools = registry.pools();
    assertEquals(1, pools.size());
    return pools.get(0);
  }

  @Test
  void olderReportIsDiscarded() {
    assertTrue(registry.update(report("a@f#p").capacity(100, 80, 20).build()));
    assertFalse(
        registry.update(report("a@f#p").capacity(100, 10, 90).at(NOW.minusSeconds(5)).build()));
    assertEquals(80, only().freeCapacityGb());
    assertTrue(
        registry.update(report("a@f#p").capacity(100, 10, 90).at(NOW.plusSeconds(5)).build()));
    assertEquals(10, only().freeCapacityGb());
  }

  @Test
  void poolGoesDownWhenItsReportIsOlderThanServiceDownTime() {
    registry.update(report("a@f#p").build());
    clock.now = NOW.plusSeconds(60);
    assertEquals(1, registry.livePools().size());
    clock.now = NOW.plusSeconds(61);
    assertTrue(registry.livePools().isEmpty());
    assertFalse(only().up());
  }

  @Test
  void placementCountsUntilAReportAcknowledgesIt() {
    registry.update(report("a@f#p").capacity(100, 100, 0).build());
    registry.consume("a@f#p", "v1", 10);
    registry.consume("a@f#p", "v2", 5);
    PoolState pool = only();
    assertEquals(15, pool.inFlightGb());
    assertEquals(85, pool.freeCapacityGb());
    assertEquals(15, pool.provisionedCapacityGb());
    assertEquals(15, pool.allocatedCapacityGb());

    // The host's next report includes v1 in its numbers and says so: counted once, not twice.
    registry.update(
        report("a@f#p").capacity(100, 90, 10).acknowledged("v1").at(NOW.plusSeconds(1)).build());
    pool = only();
    assertEquals(5, pool.inFlightGb());
    assertEquals(85, pool.freeCapacityGb());
    assertEquals(Set.of("v2"), registry.inFlightVolumeIds());
  }

  @Test
  void acknowledgementFromAnotherPoolDoesNotReleaseThePlacement() {
    registry.update(report("a@f#p").build());
    registry.update(report("b@f#p").build());
    registry.consume("a@f#p", "v1", 10);
    registry.update(report("b@f#p").acknowledged("v1").at(NOW.plusSeconds(1)).build());
    assertEquals(Set.of("v1"), registry.inFlightVolumeIds());
  }

  @Test
  void placingAVolumeAgainGivesBackItsEarlierPlacement() {
    registry.update(report("a@f#p").build());
    registry.update(report("b@f#p").build());
    registry.consume("a@f#p", "v1", 10);
    registry.consume("b@f#p", "v1", 10);
    List<PoolState> pools = registry.pools();
    assertEquals(0, pools.get(0).inFlightGb());
    assertEquals(10, pools.get(1).inFlightGb());
  }

  @Test
  void releaseUndoesOnlyTheMatchingPlacement() {
    registry.update(report("a@f#p").build());
    registry.consume("a@f#p", "v1", 10);
    registry.release("b@f#p", "v1");
    assertEquals(10, only().inFlightGb());
    registry.release("a@f#p", "v1");
    assertEquals(0, only().inFlightGb());
  }

  @Test
  void unacknowledgedPlacementExpires() {
    registry.update(report("a@f#p").build());
    registry.consume("a@f#p", "v1", 10);
    clock.now = NOW.plus(Duration.ofMinutes(10));
    assertEquals(10, only().inFlightGb());
    clock.now = NOW.plus(Duration.ofMinutes(10)).plusSeconds(1);
    assertEquals(0, only().inFlightGb());
  }

  @Test
  void tombstoneRemovesThePool() {
    registry.update(report("a@f#p").build());
    registry.consume("a@f#p", "v1", 10);
    registry.remove("a@f#p");
    assertTrue(registry.pools().isEmpty());
    assertTrue(registry.inFlightVolumeIds().isEmpty());
  }

  @Test
  void requestsWaitForTheServicesReplayAsForTheFirstLivePool() throws Exception {
    PoolRegistry fresh =
        new PoolRegistry(
            new Fixtures.Config(
                Duration.ofSeconds(60), 3, 1.0, Duration.ofMinutes(10), Duration.ofSeconds(30)));
    fresh.update(report("a@f#p").at(Instant.now()).build());
    java.util.concurrent.CompletableFuture<Void> waiting =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              try {
                fresh.awaitView();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    assertFalse(waiting.isDone(), "a live pool alone is not enough while the end is unknown");

    fresh.capabilitiesEndAtStart(java.util.Map.of());
    fresh.servicesEndAtStart(java.util.Map.of(0, 4L, 2, 7L));
    fresh.servicesRead(0, 4);
    fresh.servicesRead(2, 6);
    Thread.sleep(200);
    assertFalse(waiting.isDone(), "partition 2 is not read up to its end yet");
    assertFalse(fresh.servicesReplayed());

    fresh.servicesRead(2, 7);
    waiting.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(fresh.servicesReplayed());
  }

  /**
   * One live pool is not the view: a restarted scheduler that took requests as soon as the first
   * host's report was replayed failed creates, extends and manages on the other host for want of
   * its report (the chaos run found it). Requests wait for the capabilities topic up to where it
   * ended at start, as Cinder waits for every volume service's first report.
   */
  @Test
  void requestsWaitForTheCapabilitiesReplayNotJustTheFirstLivePool() throws Exception {
    PoolRegistry fresh =
        new PoolRegistry(
            new Fixtures.Config(
                Duration.ofSeconds(60), 3, 1.0, Duration.ofMinutes(10), Duration.ofSeconds(30)));
    fresh.servicesEndAtStart(java.util.Map.of());
    fresh.capabilitiesEndAtStart(java.util.Map.of(0, 9L, 1, 3L));
    fresh.update(report("a@f#p").at(Instant.now()).build());
    fresh.capabilitiesRead(0, 5);
    fresh.capabilitiesRead(1, 3);
    java.util.concurrent.CompletableFuture<Void> waiting =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              try {
                fresh.awaitView();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    assertFalse(waiting.isDone(), "partition 0 of the capabilities is not read up to its end");

    fresh.update(report("b@f#p").at(Instant.now()).build());
    fresh.capabilitiesRead(0, 9);
    waiting.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(2, fresh.livePools().size());
  }

  @Test
  void anEmptyServicesTopicIsReplayedAtOnceAndTheWaitEndsAtTheDeadline() throws Exception {
    PoolRegistry fresh =
        new PoolRegistry(
            new Fixtures.Config(
                Duration.ofSeconds(60), 3, 1.0, Duration.ofMinutes(10), Duration.ofMillis(300)));
    fresh.servicesEndAtStart(java.util.Map.of());
    assertTrue(fresh.servicesReplayed());
    long start = System.nanoTime();
    fresh.awaitView(); // no pool ever: gives up at init-wait-time
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
  }
}
