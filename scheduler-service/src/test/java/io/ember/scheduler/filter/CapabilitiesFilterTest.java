package io.ember.scheduler.filter;

import static io.ember.scheduler.Fixtures.report;
import static io.ember.scheduler.Fixtures.request;
import static io.ember.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.scheduler.capability.PoolState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapabilitiesFilterTest {

  private final CapabilitiesFilter filter = new CapabilitiesFilter();
  private final PoolState pool =
      report("node1@lvm#pool0")
          .backendName("lvm1")
          .extra(Map.of("disk_type", "ssd", "iops", "5000"))
          .state();

  private boolean passes(Map<String, String> extraSpecs) {
    return filter.passes(pool, request(volume("v", 1, null, extraSpecs)));
  }

  @Test
  void noExtraSpecsPasses() {
    assertTrue(passes(Map.of()));
  }

  @Test
  void unscopedKeyMatchesAReportedCapability() {
    assertTrue(passes(Map.of("volume_backend_name", "lvm1")));
    assertFalse(passes(Map.of("volume_backend_name", "lvm2")));
  }

  @Test
  void capabilitiesScopeIsStripped() {
    assertTrue(passes(Map.of("capabilities:storage_protocol", "<or> FC <or> iSCSI")));
    assertFalse(passes(Map.of("capabilities:storage_protocol", "s== NVMe")));
  }

  @Test
  void otherScopesAreLeftToOtherFilters() {
    assertTrue(
        passes(
            Map.of(
                "provisioning:type", "thick",
                "qos:maxIOPS", "100",
                "RESKEY:availability_zones", "az9",
                "netapp:raid_type", "raid4")));
  }

  @Test
  void extraCapabilitiesAreMatchedToo() {
    assertTrue(passes(Map.of("disk_type", "ssd", "iops", ">= 4000")));
    assertFalse(passes(Map.of("disk_type", "ssd", "iops", ">= 6000")));
  }

  @Test
  void numericAndBooleanCapabilities() {
    assertTrue(passes(Map.of("thin_provisioning_support", "<is> True")));
    assertTrue(passes(Map.of("capabilities:thick_provisioning_support", "True")));
    assertTrue(passes(Map.of("free_capacity_gb", "= 500")));
    assertFalse(passes(Map.of("free_capacity_gb", "= 5000")));
  }

  @Test
  void missingCapabilityFails() {
    assertFalse(passes(Map.of("multiattach", "<is> True")));
  }

  @Test
  void everyOperatorAppliesToAReportedCapability() {
    assertTrue(passes(Map.of("iops", "= 5000")));
    assertTrue(passes(Map.of("iops", "== 5000")));
    assertTrue(passes(Map.of("iops", "!= 4000")));
    assertTrue(passes(Map.of("iops", "<= 5000")));
    assertTrue(passes(Map.of("disk_type", "s== ssd")));
    assertTrue(passes(Map.of("disk_type", "s!= hdd")));
    assertTrue(passes(Map.of("disk_type", "s< ssz")));
    assertTrue(passes(Map.of("disk_type", "s<= ssd")));
    assertTrue(passes(Map.of("disk_type", "s> ssa")));
    assertTrue(passes(Map.of("disk_type", "s>= ssd")));
    assertTrue(passes(Map.of("capabilities:vendor_name", "<in> mbe")));
    assertTrue(passes(Map.of("capabilities:disk_type", "<all-in> s d")));
    assertFalse(passes(Map.of("capabilities:disk_type", "<all-in> s x")));
    assertTrue(passes(Map.of("capabilities:thin_provisioning_support", "<is> yes")));
    assertFalse(passes(Map.of("capabilities:thin_provisioning_support", "<is> False")));
  }

  @Test
  void everySpecMustMatchNotJustOne() {
    assertFalse(passes(Map.of("disk_type", "ssd", "volume_backend_name", "lvm2")));
  }

  @Test
  void aScopedKeyOfAnotherScopeNeverFailsEvenIfNamedLikeACapability() {
    assertTrue(passes(Map.of("vendor:volume_backend_name", "other")));
    assertFalse(passes(Map.of("capabilities:volume_backend_name", "other")));
  }
}
