package io.ember.scheduler.weigher;

import static io.ember.scheduler.Fixtures.report;
import static io.ember.scheduler.Fixtures.request;
import static io.ember.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.scheduler.capability.PoolState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapacityWeigherTest {

  private final PoolState small = report("a@fake#p").thin(false, 1).capacity(100, 100, 0).state();
  private final PoolState large = report("b@fake#p").thin(false, 1).capacity(500, 300, 200).state();
  private final PoolState medium = report("c@fake#p").thin(false, 1).capacity(200, 200, 0).state();

  private List<String> order(List<PoolState> pools, double multiplier, Map<String, String> specs) {
    return OrderedWeightHandler.weigh(
            pools, List.of(new CapacityWeigher(multiplier)), request(volume("v", 1, null, specs)))
        .stream()
        .map(w -> w.pool().name())
        .toList();
  }

  @Test
  void mostVirtualFreeCapacityWinsWithAPositiveMultiplier() {
    assertEquals(
        List.of("b@fake#p", "c@fake#p", "a@fake#p"),
        order(List.of(small, large, medium), 1.0, Map.of()));
  }

  @Test
  void negativeMultiplierStacks() {
    assertEquals(
        List.of("a@fake#p", "c@fake#p", "b@fake#p"),
        order(List.of(small, large, medium), -1.0, Map.of()));
  }

  @Test
  void weightIsVirtualFreeForThinPools() {
    // Thin, ratio 10: (100 * 10) - 500 = 500 virtual free beats the thick 300 of "b".
    PoolState thin = report("d@fake#p").thin(true, 10).capacity(100, 10, 500).state();
    assertEquals("d@fake#p", order(List.of(large, thin), 1.0, Map.of()).get(0));
    // Asking for thick makes the same pool's weight min(10, 100 - 500) < 0.
    assertEquals(
        "b@fake#p", order(List.of(large, thin), 1.0, Map.of("provisioning:type", "thick")).get(0));
  }

  @Test
  void weightsAreNormalisedAndScaled() {
    List<WeighedPool> weighed =
        OrderedWeightHandler.weigh(
            List.of(small, large, medium),
            List.of(new CapacityWeigher(2.0)),
            request(volume("v", 1)));
    // raw 100, 300, 200 → (x - 100) / 200 → 0, 1, 0.5; times 2.
    assertEquals(2.0, weighed.get(0).weight(), 1e-9);
    assertEquals(1.0, weighed.get(1).weight(), 1e-9);
    assertEquals(0.0, weighed.get(2).weight(), 1e-9);
  }

  @Test
  void equalPoolsAreOrderedByName() {
    PoolState x = report("x@fake#p").state();
    PoolState y = report("y@fake#p").state();
    assertEquals(List.of("x@fake#p", "y@fake#p"), order(List.of(y, x), 1.0, Map.of()));
    assertArrayEquals(new double[] {0, 0}, OrderedWeightHandler.normalise(new double[] {7, 7}));
  }
}
