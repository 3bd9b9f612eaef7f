package io.ember.scheduler.filter;

import static io.ember.scheduler.Fixtures.report;
import static io.ember.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.contract.Retry;
import java.util.List;
import org.junit.jupiter.api.Test;

class IgnoreAttemptedHostsFilterTest {

  private final IgnoreAttemptedHostsFilter filter = new IgnoreAttemptedHostsFilter();

  private boolean passes(String pool, List<String> tried) {
    return filter.passes(
        report(pool).state(), new FilterProperties(volume("v", 1), new Retry(2, tried, "boom")));
  }

  @Test
  void firstAttemptExcludesNothing() {
    assertTrue(passes("node1@fake#pool0", List.of()));
  }

  @Test
  void everyPoolOfATriedBackendIsExcluded() {
    assertFalse(passes("node1@fake#pool0", List.of("node1@fake")));
    assertFalse(passes("node1@fake#pool1", List.of("node1@fake")));
    assertFalse(passes("node1@fake#pool1", List.of("node1@fake#pool0")));
  }

  @Test
  void otherBackendsStayEligible() {
    assertTrue(passes("node2@fake#pool0", List.of("node1@fake")));
    assertTrue(passes("node1@lvm#pool0", List.of("node1@fake")));
  }
}
