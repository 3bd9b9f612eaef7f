package io.ember.scheduler.filter;

import static io.ember.scheduler.Fixtures.report;
import static io.ember.scheduler.Fixtures.request;
import static io.ember.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AvailabilityZoneFilterTest {

  private final AvailabilityZoneFilter filter = new AvailabilityZoneFilter();

  @Test
  void zoneMustMatchWhenOneIsAskedFor() {
    var pool = report("h@b#p").zone("az1").state();
    assertTrue(filter.passes(pool, request(volume("v", 1, "az1", Map.of()))));
    assertFalse(filter.passes(pool, request(volume("v", 1, "az2", Map.of()))));
  }

  @Test
  void noZoneAskedForPassesAnywhere() {
    assertTrue(filter.passes(report("h@b#p").zone("az1").state(), request(volume("v", 1))));
  }
}
