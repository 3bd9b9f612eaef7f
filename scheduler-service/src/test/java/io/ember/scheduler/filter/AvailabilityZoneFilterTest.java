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

  @Test
  void aTypesZonesLimitWherePoolsMayBe() {
    var inAz1 = report("h@b#p").zone("az1").state();
    var inAz3 = report("h@b#q").zone("az3").state();
    var typed = Map.of("RESKEY:availability_zones", " az1, az2 ,");
    assertTrue(filter.passes(inAz1, request(volume("v", 1, null, typed))));
    assertFalse(filter.passes(inAz3, request(volume("v", 1, null, typed))));
    assertTrue(filter.passes(inAz1, request(volume("v", 1, "az1", typed))));
    assertFalse(filter.passes(inAz3, request(volume("v", 1, "az3", typed))), "both must hold");
  }
}
