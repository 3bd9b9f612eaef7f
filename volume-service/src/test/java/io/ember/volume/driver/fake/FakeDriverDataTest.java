package io.ember.volume.driver.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.volume.driver.DriverSnapshot;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.VolumeDriverException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake backend's bytes: what a volume holds after snapshot, clone, extend, revert and image
 * copy, that its files stay sparse, and that a new driver on the same directory finds them all.
 */
class FakeDriverDataTest {

  private static final String HOST = "node1@fake";
  private static final long GIB = 1L << 30;

  @TempDir Path dir;
  private FakeDriver driver;

  @BeforeEach
  void setUp() {
    driver = newDriver();
  }

  private FakeDriver newDriver() {
    FakeDriver d = new FakeDriver(HOST, List.of("a"), 100, Duration.ZERO, "fake", dir);
    d.doSetup();
    return d;
  }

  private static DriverVolume volume(String id, int size, Map<String, String> metadata) {
    return new DriverVolume(id, size, "a", metadata, null);
  }

  private static DriverVolume volume(String id, int size) {
    return volume(id, size, Map.of());
  }

  private static DriverSnapshot snapshot(String id, String volumeId, int size) {
    return new DriverSnapshot(id, volumeId, size, null);
  }

  private void write(FakeDriver d, String volumeId, long position, String text) throws IOException {
    try (SeekableByteChannel channel = d.openVolume(volume(volumeId, 1), true)) {
      channel.position(position).write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private String read(FakeDriver d, String volumeId, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try (SeekableByteChannel channel = d.openVolume(volume(volumeId, 1), false)) {
      channel.position(position);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // fill
      }
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
  }

  private static String zeros(int n) {
    return new String(new byte[n], StandardCharsets.UTF_8);
  }

  /** Bytes the file system allocated to the file: far below its size while it is sparse. */
  private static long allocated(Path file) throws IOException, InterruptedException {
    Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
    String[] out = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
    assertEquals(0, stat.waitFor());
    return Long.parseLong(out[0]) * Long.parseLong(out[1]);
  }

  @Test
  void aFileWrittenShortFromOutsideIsTheVolumesFullSizeWhenOpened() throws Exception {
    driver.createVolume(volume("v1", 1));
    Path file = driver.fileOf("v1");
    Files.write(file, "written from outside".getBytes(StandardCharsets.UTF_8));

    try (SeekableByteChannel channel = driver.openVolume(volume("v1", 1), false)) {
      assertEquals(GIB, channel.size(), "a copy reads the whole volume");
    }
    assertEquals("written from outside", read(driver, "v1", 0, 20));
    assertEquals(zeros(8), read(driver, "v1", GIB - 8, 8));
  }

  @Test
  void aNewVolumeReadsAsZerosAndGetsItsSparseFileWhenFirstOpened() throws Exception {
    driver.createVolume(volume("v1", 2));

    Path file = driver.fileOf("v1");
    assertFalse(Files.exists(file), "a raw create makes no file");
    assertEquals(zeros(8), read(driver, "v1", 2 * GIB - 8, 8));
    assertEquals(2 * GIB, Files.size(file));
    assertTrue(allocated(file) < 1 << 20, "sparse: " + allocated(file));
  }

  @Test
  void aRawCreateAndItsDeleteTouchNoFileButTheRecordLog() throws Exception {
    driver.createVolume(volume("v1", 1));
    driver.deleteVolume(volume("v1", 1));

    try (var left = Files.list(dir.resolve("volumes"))) {
      assertEquals(List.of(), left.toList());
    }
    assertEquals(List.of("records.log"), names(dir));
    assertFalse(newDriver().holds("v1"), "the delete is recorded too");
  }

  @Test
  void aVolumeWithoutAFileSnapshotsClonesAndRevertsAsZeros() throws Exception {
    driver.createVolume(volume("v1", 1));
    driver.createSnapshot(snapshot("s1", "v1", 1));
    write(driver, "v1", 0, "later");

    driver.createVolumeFromSnapshot(volume("v2", 1), snapshot("s1", "v1", 1));
    driver.revertToSnapshot(volume("v1", 1), snapshot("s1", "v1", 1));

    assertEquals(zeros(5), read(driver, "v2", 0, 5));
    assertEquals(zeros(5), read(driver, "v1", 0, 5), "reverted to the empty snapshot");
    assertFalse(Files.exists(dir.resolve("snapshots/s1.img")));
  }

  @Test
  void recordsOfTheOlderLayoutMoveIntoTheLogAndStrayDataGoes() throws Exception {
    Files.writeString(
        dir.resolve("volumes/old.json"),
        "{\"id\":\"old\",\"size\":3,\"pool\":\"a\",\"metadata\":{\"k\":\"v\"}}");
    Files.writeString(dir.resolve("volumes/old.img"), "kept");
    Files.writeString(dir.resolve("volumes/stray.img"), "a create that never recorded");

    FakeDriver restarted = newDriver();

    assertTrue(restarted.holds("old"));
    assertEquals(3, restarted.sizeOf("old"));
    assertEquals("kept", read(restarted, "old", 0, 4));
    assertEquals(List.of("old.img"), names(dir.resolve("volumes")));
    assertTrue(newDriver().holds("old"), "now in the log");
  }

  @Test
  void aLineCutShortByACrashIsSkipped() throws Exception {
    driver.createVolume(volume("v1", 1));
    Files.writeString(
        dir.resolve("records.log"), "{\"volume\":{\"id\":\"v2\",\"si", StandardOpenOption.APPEND);

    FakeDriver restarted = newDriver();

    assertTrue(restarted.holds("v1"));
    assertFalse(restarted.holds("v2"));
    restarted.createVolume(volume("v3", 1));
    assertTrue(newDriver().holds("v3"), "appends after the rewrite start on a line of their own");
  }

  @Test
  void theLogIsRewrittenWhenItOutgrowsWhatItHolds() throws Exception {
    driver.createVolume(volume("kept", 1));
    for (int i = 0; i < 6_000; i++) {
      driver.createVolume(volume("v" + i, 1));
      driver.deleteVolume(volume("v" + i, 1));
    }

    assertTrue(Files.readAllLines(dir.resolve("records.log")).size() < 10_010);
    FakeDriver restarted = newDriver();
    assertTrue(restarted.holds("kept"));
    assertEquals(1, restarted.getVolumeStats().pools().get(0).provisionedCapacityGb());
  }

  private static List<String> names(Path folder) throws IOException {
    try (var files = Files.list(folder)) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> f.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void aSnapshotKeepsTheBytesOfItsMomentAndStaysSparse() throws Exception {
    driver.createVolume(volume("v1", 1));
    write(driver, "v1", 0, "before");
    write(driver, "v1", GIB - 5, "tail!");

    driver.createSnapshot(snapshot("s1", "v1", 1));
    write(driver, "v1", 0, "AFTER!");

    assertTrue(driver.holdsSnapshot("s1"));
    driver.createVolumeFromSnapshot(volume("v2", 2), snapshot("s1", "v1", 1));
    assertEquals("before", read(driver, "v2", 0, 6));
    assertEquals("tail!", read(driver, "v2", GIB - 5, 5));
    assertEquals(zeros(16), read(driver, "v2", GIB, 16), "past the snapshot: zeros");
    assertEquals(2 * GIB, Files.size(driver.fileOf("v2")));
    assertTrue(allocated(driver.fileOf("v2")) <= 4 << 20, "copied sparse");
    assertTrue(allocated(dir.resolve("snapshots/s1.img")) <= 4 << 20, "snapshot sparse");
    assertEquals("AFTER!", read(driver, "v1", 0, 6));
  }

  @Test
  void aCloneHoldsTheSourcesBytesAndIsIndependentOfIt() throws Exception {
    driver.createVolume(volume("src", 1));
    write(driver, "src", 4096, "cloned data");

    driver.createClonedVolume(volume("clone", 1), volume("src", 1));
    write(driver, "src", 4096, "changed    ");

    assertEquals("cloned data", read(driver, "clone", 4096, 11));
  }

  @Test
  void extendKeepsTheBytesAndTheAddedRegionReadsZeros() throws Exception {
    driver.createVolume(volume("v1", 1));
    write(driver, "v1", 100, "kept");

    driver.extendVolume(volume("v1", 1), 3);

    assertEquals(3, driver.sizeOf("v1"));
    assertEquals(3 * GIB, Files.size(driver.fileOf("v1")));
    assertEquals("kept", read(driver, "v1", 100, 4));
    assertEquals(zeros(32), read(driver, "v1", 2 * GIB, 32));
    assertEquals(3, driver.getVolumeStats().pools().get(0).provisionedCapacityGb());
  }

  @Test
  void revertPutsBackTheSnapshotsBytes() throws Exception {
    driver.createVolume(volume("v1", 1));
    write(driver, "v1", 0, "original");
    driver.createSnapshot(snapshot("s1", "v1", 1));
    write(driver, "v1", 0, "modified");
    write(driver, "v1", 1 << 20, "new block");

    driver.revertToSnapshot(volume("v1", 1), snapshot("s1", "v1", 1));

    assertEquals("original", read(driver, "v1", 0, 8));
    assertEquals(zeros(9), read(driver, "v1", 1 << 20, 9), "written after the snapshot: gone");
  }

  @Test
  void anImageIsStreamedInAndOut() throws Exception {
    driver.createVolume(volume("v1", 1));
    byte[] image = new byte[3 << 20];
    for (int i = 0; i < image.length; i++) {
      image[i] = (byte) (i % 251);
    }
    // Zero blocks in the middle stay holes.
    Arrays.fill(image, 1 << 20, 2 << 20, (byte) 0);

    driver.copyImageToVolume(volume("v1", 1), new ByteArrayInputStream(image));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    driver.copyVolumeToImage(volume("v1", 1), new LimitedStream(out, image.length));
    assertArrayEquals(image, Arrays.copyOf(out.toByteArray(), image.length));
    assertTrue(allocated(driver.fileOf("v1")) <= 3 << 20);
  }

  @Test
  void anImageLargerThanTheVolumeFailsAndLeavesItAsItWas() throws Exception {
    driver.createVolume(volume("v1", 1));
    write(driver, "v1", 0, "still here");
    // Zeros, which the copy skips rather than writes: a test need not fill a GiB to overflow it.
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 0;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            Arrays.fill(b, off, off + len, (byte) 0);
            return len;
          }
        };

    VolumeDriverException e =
        assertThrows(
            VolumeDriverException.class, () -> driver.copyImageToVolume(volume("v1", 1), endless));

    assertTrue(e.getMessage().contains("larger than volume v1"), e.getMessage());
    assertEquals("still here", read(driver, "v1", 0, 10));
  }

  @Test
  void aRestartFindsEveryVolumeAndSnapshotWithItsBytes() throws Exception {
    driver.createVolume(volume("v1", 2, Map.of(FakeDriver.FAIL_DELETE, "*")));
    write(driver, "v1", 7, "survives");
    driver.createSnapshot(snapshot("s1", "v1", 2));

    FakeDriver restarted = newDriver();

    assertTrue(restarted.holds("v1"));
    assertTrue(restarted.holdsSnapshot("s1"));
    assertEquals("survives", read(restarted, "v1", 7, 8));
    assertEquals(4, restarted.getVolumeStats().pools().get(0).provisionedCapacityGb());
    assertThrows(
        VolumeDriverException.class,
        () -> restarted.deleteVolume(volume("v1", 2)),
        "the volume's metadata survived too");
    restarted.createVolumeFromSnapshot(volume("v2", 2), snapshot("s1", "v1", 2));
    assertEquals("survives", read(restarted, "v2", 7, 8));
  }

  @Test
  void snapshotDeleteRemovesItsFileAndAnUnknownOneSucceeds() {
    driver.createVolume(volume("v1", 1));
    driver.createSnapshot(snapshot("s1", "v1", 1));

    driver.deleteSnapshot(snapshot("s1", "v1", 1));
    driver.deleteSnapshot(snapshot("never", "v1", 1));

    assertFalse(driver.holdsSnapshot("s1"));
    assertFalse(Files.exists(dir.resolve("snapshots/s1.img")));
    assertEquals(1, driver.getVolumeStats().pools().get(0).provisionedCapacityGb());
  }

  @Test
  void failuresAreInjectedThroughTheVolumesMetadata() {
    driver.createVolume(
        volume(
            "v1",
            1,
            Map.of(
                FakeDriver.FAIL_SNAPSHOT, HOST,
                FakeDriver.FAIL_EXTEND, "*",
                FakeDriver.FAIL_REVERT, "*")));
    driver.createVolume(volume("v2", 1, Map.of(FakeDriver.FAIL_DELETE_SNAPSHOT, "*")));
    driver.createSnapshot(snapshot("s2", "v2", 1));

    assertThrows(VolumeDriverException.class, () -> driver.createSnapshot(snapshot("s1", "v1", 1)));
    assertThrows(VolumeDriverException.class, () -> driver.extendVolume(volume("v1", 1), 2));
    assertThrows(
        VolumeDriverException.class,
        () -> driver.revertToSnapshot(volume("v1", 1), snapshot("s2", "v2", 1)));
    assertThrows(VolumeDriverException.class, () -> driver.deleteSnapshot(snapshot("s2", "v2", 1)));
    assertFalse(driver.holdsSnapshot("s1"));
    assertEquals(1, driver.sizeOf("v1"));
    assertTrue(driver.holdsSnapshot("s2"));
  }

  @Test
  void aSnapshotOfAVolumeItDoesNotHoldFails() {
    assertThrows(
        VolumeDriverException.class, () -> driver.createSnapshot(snapshot("s1", "nope", 1)));
    assertThrows(
        VolumeDriverException.class,
        () -> driver.createVolumeFromSnapshot(volume("v9", 1), snapshot("nope", "x", 1)));
    assertFalse(driver.holds("v9"));
  }

  /** Keeps the first {@code limit} bytes: a 1 GiB volume does not fit a test's heap. */
  private static final class LimitedStream extends OutputStream {
    private final ByteArrayOutputStream out;
    private long left;

    LimitedStream(ByteArrayOutputStream out, long limit) {
      this.out = out;
      this.left = limit;
    }

    @Override
    public void write(int b) {
      if (left-- > 0) {
        out.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      int n = (int) Math.max(0, Math.min(len, left));
      out.write(b, off, n);
      left -= len;
    }
  }
}
