package io.ember.volume.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.contract.ManageableList;
import io.ember.volume.driver.DriverSnapshot;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake backend's unmanage and manage: the bytes of what Ember forgets stay, named as Tempest's
 * default references name them, listed as safe to manage; what Ember holds is listed as not safe;
 * managing adopts the bytes under the new id, sized in whole GiB; a reference naming nothing is
 * refused with Cinder's message. A restart (a new driver on the same directory) keeps all of it.
 */
class FakeDriverManageTest {

  private static final long GIB = 1L << 30;

  @TempDir Path dir;

  private FakeDriver driver() {
    FakeDriver driver =
        new FakeDriver("node1@fake", List.of("fake"), 100, Duration.ZERO, "fake", dir);
    driver.doSetup();
    return driver;
  }

  private static DriverVolume volume(String id, int size) {
    return new DriverVolume(id, size, "fake", Map.of(), null);
  }

  private static void write(FakeDriver driver, String id, long at, String text) throws IOException {
    try (SeekableByteChannel channel = driver.openVolume(volume(id, 1), true)) {
      channel.position(at).write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static String read(FakeDriver driver, String id, long at, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try (SeekableByteChannel channel = driver.openVolume(volume(id, 1), false)) {
      channel.position(at).read(buffer);
    }
    return new String(buffer.array(), StandardCharsets.UTF_8);
  }

  @Test
  void anUnmanagedVolumeKeepsItsBytesUntilManagedBackUnderANewId() throws IOException {
    FakeDriver driver = driver();
    driver.createVolume(volume("old", 2));
    write(driver, "old", GIB + 7, "kept bytes");

    driver.unmanage(volume("old", 2));
    driver.unmanage(volume("old", 2)); // a repeated unmanage converges

    assertFalse(driver.holds("old"));
    Path kept = driver.unmanagedVolumeFile("volume-old");
    assertEquals(2 * GIB, Files.size(kept));
    FakeDriver restarted = driver();
    ManageableList.Item listed =
        restarted.manageableVolumes().stream()
            .filter(i -> i.reference().equals(Map.of("source-name", "volume-old")))
            .findFirst()
            .orElseThrow();
    assertEquals(2, listed.size());
    assertTrue(listed.safeToManage());

    Map<String, String> ref = Map.of("source-name", "volume-old");
    assertEquals(2, restarted.manageExistingGetSize(volume("new", 0), ref));
    String location = restarted.manageExisting(volume("new", 0), ref).providerLocation();

    assertEquals("fake://node1@fake/fake/new", location);
    assertTrue(restarted.holds("new"));
    assertEquals(2, restarted.sizeOf("new"));
    assertEquals("kept bytes", read(restarted, "new", GIB + 7, 10));
    assertFalse(Files.exists(kept));
    ManageableList.Item managed =
        restarted.manageableVolumes().stream()
            .filter(i -> "new".equals(i.cinderId()))
            .findFirst()
            .orElseThrow();
    assertFalse(managed.safeToManage());
    assertEquals("Already managed", managed.reasonNotSafe());
    assertEquals(Map.of("source-name", "volume-new"), managed.reference());
  }

  @Test
  void aSourceIdNamesTheVolumeItWasAndSizesRoundUp() throws IOException {
    FakeDriver driver = driver();
    driver.createVolume(volume("v1", 1));
    driver.unmanage(volume("v1", 1));
    // Grown from outside by half a GiB: it takes 2 GiB once managed.
    Files.write(
        driver.unmanagedVolumeFile("volume-v1"),
        new byte[1],
        java.nio.file.StandardOpenOption.APPEND);
    try (var file =
        java.nio.channels.FileChannel.open(
            driver.unmanagedVolumeFile("volume-v1"), java.nio.file.StandardOpenOption.WRITE)) {
      file.truncate(GIB + GIB / 2);
      file.write(ByteBuffer.wrap(new byte[] {1}), GIB + GIB / 2 - 1);
    }
    assertEquals(2, driver.manageExistingGetSize(volume("v2", 0), Map.of("source-id", "v1")));
  }

  @Test
  void aReferenceThatNamesNothingIsRefusedWithCindersMessage() {
    FakeDriver driver = driver();
    VolumeDriverException missing =
        assertThrows(
            VolumeDriverException.class,
            () -> driver.manageExisting(volume("n", 0), Map.of("source-name", "volume-none")));
    assertEquals(
        "Manage existing volume failed due to invalid backend reference {'source-name':"
            + " 'volume-none'}: Specified object does not exist.",
        missing.getMessage());
    assertThrows(
        VolumeDriverException.class,
        () -> driver.manageExistingGetSize(volume("n", 0), Map.of("source-name", "../x")));
    VolumeDriverException noKey =
        assertThrows(
            VolumeDriverException.class,
            () -> driver.manageExistingGetSize(volume("n", 0), Map.of("lun", "1")));
    assertTrue(
        noKey.getMessage().endsWith("Reference must contain source-id or source-name element."));
    assertFalse(driver.holds("n"));
  }

  @Test
  void anUnmanagedSnapshotIsListedWithItsVolumeAndManagedBack() {
    FakeDriver driver = driver();
    driver.createVolume(volume("vol", 1));
    driver.createSnapshot(new DriverSnapshot("s1", "vol", 1, null));

    driver.unmanageSnapshot(new DriverSnapshot("s1", "vol", 1, null));

    assertFalse(driver.holdsSnapshot("s1"));
    ManageableList.Item listed =
        driver.manageableSnapshots().stream()
            .filter(ManageableList.Item::safeToManage)
            .findFirst()
            .orElseThrow();
    assertEquals(Map.of("source-name", "_snapshot-s1"), listed.reference());
    assertEquals(Map.of("source-name", "volume-vol"), listed.sourceReference());
    assertEquals(1, listed.size());

    VolumeDriver.ManagedSnapshot managed =
        driver.manageExistingSnapshot(
            new DriverSnapshot("s2", "vol", 1, null), Map.of("source-name", "_snapshot-s1"));
    assertEquals(1, managed.size());
    assertTrue(driver.holdsSnapshot("s2"));
    assertEquals(
        List.of("s2"),
        driver().manageableSnapshots().stream().map(ManageableList.Item::cinderId).toList(),
        "after a restart: only the managed one, not safe to manage");
  }
}
