package io.ember.volume.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.PoolStats;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.driver.VolumeStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeDriverTest {

  @TempDir Path dir;

  private final FakeDriver driver =
      new FakeDriver("node1@fake", List.of("a", "b"), 100, Duration.ZERO, "fake-backend");

  private static DriverVolume volume(String id, int size, String pool, Map<String, String> meta) {
    return new DriverVolume(id, size, pool, meta, null);
  }

  @Test
  void createdVolumesUseCapacityOfTheirPool() {
    String location = driver.createVolume(volume("v1", 10, "a", Map.of())).providerLocation();
    driver.createVolume(volume("v2", 5, "a", Map.of()));

    assertEquals("fake://node1@fake/a/v1", location);
    VolumeStats stats = driver.getVolumeStats();
    assertEquals("fake-backend", stats.volumeBackendName());
    PoolStats a = stats.pools().get(0);
    PoolStats b = stats.pools().get(1);
    assertEquals("a", a.poolName());
    assertEquals(15, a.provisionedCapacityGb());
    assertEquals(85, a.freeCapacityGb());
    assertEquals("2", a.extra().get("total_volumes"));
    assertEquals(100, b.freeCapacityGb());
    assertTrue(a.thinProvisioningSupport());
    assertEquals(20.0, a.maxOverSubscriptionRatio());
  }

  @Test
  void createFailsWhereMetadataAsksForIt() {
    assertThrows(
        VolumeDriverException.class,
        () -> driver.createVolume(volume("v1", 1, "a", Map.of(FakeDriver.FAIL_CREATE, "*"))));
    assertThrows(
        VolumeDriverException.class,
        () ->
            driver.createVolume(
                volume("v2", 1, "a", Map.of(FakeDriver.FAIL_CREATE, "node9@x, node1@fake"))));
    driver.createVolume(volume("v3", 1, "a", Map.of(FakeDriver.FAIL_CREATE, "node2@fake")));

    assertFalse(driver.holds("v1"));
    assertFalse(driver.holds("v2"));
    assertTrue(driver.holds("v3"));
  }

  @Test
  void createOnAnUnknownPoolFails() {
    assertThrows(
        VolumeDriverException.class, () -> driver.createVolume(volume("v1", 1, "zz", Map.of())));
  }

  @Test
  void deleteFailsWhereTheCreatedVolumesMetadataAsksForIt() {
    driver.createVolume(volume("v1", 1, "a", Map.of(FakeDriver.FAIL_DELETE, "node1@fake")));

    // The delete command carries no metadata: the driver remembers it from the create.
    assertThrows(
        VolumeDriverException.class, () -> driver.deleteVolume(volume("v1", 1, "a", Map.of())));
    assertTrue(driver.holds("v1"));
  }

  @Test
  void deleteRemovesTheVolumeAndAnUnknownOneSucceeds() {
    driver.createVolume(volume("v1", 7, "b", Map.of()));

    driver.deleteVolume(volume("v1", 7, "b", Map.of()));
    driver.deleteVolume(volume("never-created", 1, "b", Map.of()));

    assertFalse(driver.holds("v1"));
    assertEquals(100, driver.getVolumeStats().pools().get(1).freeCapacityGb());
  }

  @Test
  void delayHoldsEachOperation() {
    FakeDriver slow = new FakeDriver("n@f", List.of("a"), 10, Duration.ofMillis(60), "f");
    long start = System.nanoTime();
    slow.createVolume(volume("v1", 1, "a", Map.of()));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 60);
  }

  @Test
  void itsPoolsReportTheProvisioningItWasConfiguredFor() {
    for (var p : io.ember.volume.config.VolumeHostConfig.Provisioning.values()) {
      PoolStats pool =
          new FakeDriver("n@f", List.of("a"), 10, Duration.ZERO, "f", p, null, dir)
              .getVolumeStats()
              .pools()
              .get(0);
      assertEquals(
          p != io.ember.volume.config.VolumeHostConfig.Provisioning.thick,
          pool.thinProvisioningSupport(),
          p.name());
      assertEquals(
          p != io.ember.volume.config.VolumeHostConfig.Provisioning.thin,
          pool.thickProvisioningSupport(),
          p.name());
    }
    assertFalse(
        driver.getVolumeStats().pools().get(0).thickProvisioningSupport(), "thin by default");
  }
}
