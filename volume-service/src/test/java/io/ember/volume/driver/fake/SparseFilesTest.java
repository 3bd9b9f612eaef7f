package io.ember.volume.driver.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy done in Java, used where GNU cp is missing: same bytes, holes kept. */
class SparseFilesTest {

  @TempDir Path dir;

  @Test
  void theBlockCopyKeepsDataAndHolesAndGrowsToTheLength() throws Exception {
    Path source = dir.resolve("source");
    SparseFiles.ensure(source, 64L << 20);
    try (FileChannel out = FileChannel.open(source, StandardOpenOption.WRITE)) {
      out.write(ByteBuffer.wrap("first".getBytes()), 0);
      out.write(ByteBuffer.wrap("last".getBytes()), (64L << 20) - 4);
    }
    Path target = dir.resolve("target");

    SparseFiles.blockCopy(source, target, 128L << 20);

    assertEquals(128L << 20, Files.size(target));
    try (FileChannel in = FileChannel.open(target, StandardOpenOption.READ)) {
      assertArrayEquals("first".getBytes(), read(in, 0, 5));
      assertArrayEquals("last".getBytes(), read(in, (64L << 20) - 4, 4));
      assertArrayEquals(new byte[8], read(in, 100L << 20, 8));
    }
    Process stat = new ProcessBuilder("stat", "-c", "%b", target.toString()).start();
    long blocks = Long.parseLong(new String(stat.getInputStream().readAllBytes()).trim());
    assertTrue(blocks * 512 <= 4 << 20, "two data blocks, the rest holes: " + blocks);
  }

  private static byte[] read(FileChannel in, long position, int length) throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    in.read(buffer, position);
    return buffer.array();
  }
}
