package io.ember.scheduler.filter;

import static io.ember.scheduler.Fixtures.report;
import static io.ember.scheduler.Fixtures.request;
import static io.ember.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.scheduler.capability.PoolState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapacityFilterTest {

  private final CapacityFilter filter = new CapacityFilter();

  private boolean fits(PoolState pool, int sizeGb) {
    return filter.passes(pool, request(volume("v", sizeGb)));
  }

  private boolean fitsThick(PoolState pool, int sizeGb) {
    return filter.passes(
        pool, request(volume("v", sizeGb, null, Map.of("provisioning:type", "thick"))));
  }

  @Test
  void thickPoolNeedsRealFreeSpace() {
    PoolState pool = report("h@b#p").thin(false, 20).capacity(100, 50, 50).state();
    assertTrue(fits(pool, 50));
    assertFalse(fits(pool, 51));
  }

  @Test
  void thickIsLimitedByWhatIsAlreadyProvisioned() {
    // free says 20, but total - provisioned leaves only 10: min() wins.
    PoolState pool = report("h@b#p").thin(false, 20).capacity(100, 20, 90).state();
    assertTrue(fits(pool, 10));
    assertFalse(fits(pool, 11));
  }

  @Test
  void reservedPercentageIsTakenOffTheTotalRoundedDown() {
    // reserved = floor(55 * 10%) = 5, so 50 of 55 GB are usable.
    PoolState pool = report("h@b#p").thin(false, 20).capacity(55, 55, 0).reserved(10).state();
    assertTrue(fits(pool, 50));
    assertFalse(fits(pool, 51));
  }

  @Test
  void thinPoolIsCountedAgainstOverSubscription() {
    // total_available = (100 - 0) * 2.0 = 200; virtual free = 200 - 150 = 50, though only 10 are
    // physically free.
    PoolState pool = report("h@b#p").thin(true, 2.0).capacity(100, 10, 150).state();
    assertTrue(fits(pool, 50));
    assertFalse(fits(pool, 51));
  }

  @Test
  void thinWithReservedPercentage() {
    // (100 - 20) * 1.5 = 120 available; 120 - 100 provisioned = 20.
    PoolState pool = report("h@b#p").thin(true, 1.5).capacity(100, 50, 100).reserved(20).state();
    assertTrue(fits(pool, 20));
    assertFalse(fits(pool, 21));
  }

  @Test
  void thickExtraSpecOnAThinPoolUsesThickMath() {
    PoolState pool = report("h@b#p").thin(true, 2.0).capacity(100, 10, 150).state();
    assertTrue(fits(pool, 50));
    assertFalse(fitsThick(pool, 1));
  }

  @Test
  void thinRequestOnAPoolWithoutThinSupportUsesThickMath() {
    PoolState pool = report("h@b#p").thin(false, 2.0).capacity(100, 10, 150).state();
    assertFalse(fits(pool, 1));
  }

  @Test
  void overSubscriptionRatioBelowOneFiltersAThinPoolOut() {
    PoolState pool = report("h@b#p").thin(true, 0.5).capacity(100, 100, 0).state();
    assertFalse(fits(pool, 1));
  }

  @Test
  void ratioOfExactlyOneMeansNoOverSubscription() {
    PoolState pool = report("h@b#p").thin(true, 1.0).capacity(100, 100, 60).state();
    assertTrue(fits(pool, 40));
    assertFalse(fits(pool, 41));
  }

  @Test
  void emptyOrFullyReservedPoolsTakeNothing() {
    assertFalse(fits(report("h@b#p").capacity(0, 0, 0).state(), 1));
    assertFalse(fits(report("h@b#p").capacity(100, 100, 0).reserved(100).state(), 1));
  }

  @Test
  void inFlightPlacementsCountAsProvisionedAndNotFree() {
    PoolState reported = report("h@b#p").thin(false, 20).capacity(100, 100, 0).state();
    PoolState withInFlight = new PoolState(reported.report(), 60, reported.reportedAt(), true);
    assertTrue(fits(reported, 100));
    assertTrue(fits(withInFlight, 40));
    assertFalse(fits(withInFlight, 41));
  }

  @Test
  void aTypeThatAsksForThickOrThinGoesOnlyToPoolsThatCanDoIt() {
    PoolState thinOnly = report("h@b#thin").thin(true, 20).thick(false).state();
    PoolState thickOnly = report("h@b#thick").thin(false, 20).thick(true).state();
    var thick = request(volume("v", 1, null, Map.of("provisioning:type", "thick")));
    var thin = request(volume("v", 1, null, Map.of("provisioning:type", "thin")));
    assertFalse(filter.passes(thinOnly, thick));
    assertTrue(filter.passes(thickOnly, thick));
    assertTrue(filter.passes(thinOnly, thin));
    assertFalse(filter.passes(thickOnly, thin));
    assertTrue(fits(thinOnly, 1), "a type that says nothing goes anywhere with room");
    assertTrue(fits(thickOnly, 1));
  }
}
