package io.ember.volume.driver.fake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Copies into sparse files without filling them: data moves in blocks, and a block of zeros is
 * skipped rather than written, so a hole stays a hole (a plain copy or {@code transferTo} would
 * allocate every byte of a mostly empty volume). Java cannot ask for a file's holes ({@code
 * SEEK_DATA}), so a file-to-file copy goes to GNU cp, which can; the copy here reads a hole as
 * zeros but never writes it.
 */
final class SparseFiles {

  static final int BLOCK = 1 << 20;
  private static final byte[] ZEROS = new byte[BLOCK];

  private SparseFiles() {}

  /** Makes {@code file}, if missing, and at least {@code length} bytes long, as holes. */
  static void ensure(Path file, long length) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      grow(channel, length);
    }
  }

  /** Makes the file {@code length} bytes long without allocating the added part. */
  static void grow(FileChannel channel, long length) throws IOException {
    if (channel.size() < length) {
      // One byte at the end sets the size; everything between stays unallocated.
      channel.write(ByteBuffer.wrap(new byte[1]), length - 1);
    }
  }

  /**
   * Makes {@code target} a file of {@code length} bytes holding {@code source}'s first bytes (up to
   * {@code length}), zeros after. Written beside the target and moved over it, so a crash leaves
   * either the old file or the new one.
   */
  static void copy(Path source, Path target, long length) throws IOException {
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    if (Files.size(source) <= length && systemCopy(source, partial)) {
      try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        grow(out, length);
        out.force(false);
      }
    } else {
      blockCopy(source, partial, length);
    }
    Files.move(
        partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Whether GNU cp is there to use; false after it could not be started once. */
  private static volatile boolean systemCp = true;

  /**
   * GNU cp finds the source's data with {@code SEEK_DATA} and copies only that: milliseconds for a
   * GiB of holes, where reading the holes as zeros takes a good part of a second. Where it is
   * missing or fails, the copy is done here.
   */
  private static boolean systemCopy(Path source, Path target) {
    if (!systemCp) {
      return false;
    }
    try {
      Process cp =
          new ProcessBuilder("cp", "--sparse=always", source.toString(), target.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return cp.waitFor() == 0;
    } catch (IOException e) {
      systemCp = false;
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void blockCopy(Path source, Path partial, long length) throws IOException {
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel out =
            FileChannel.open(
                partial,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer block = ByteBuffer.allocate(BLOCK);
      long end = Math.min(in.size(), length);
      for (long position = 0; position < end; position += BLOCK) {
        block.clear().limit((int) Math.min(BLOCK, end - position));
        while (block.hasRemaining() && in.read(block, position + block.position()) >= 0) {
          // keep reading until the block is full
        }
        writeUnlessZero(out, block.array(), block.position(), position);
      }
      grow(out, length);
      out.force(false);
    }
  }

  /**
   * Writes {@code in}, read to its end, into {@code out} from its first byte.
   *
   * @return the bytes read
   * @throws TooLongException when {@code in} holds more than {@code limit} bytes
   */
  static long write(InputStream in, FileChannel out, long limit) throws IOException {
    byte[] block = new byte[BLOCK];
    long position = 0;
    while (true) {
      int n = in.readNBytes(block, 0, BLOCK);
      if (n == 0) {
        return position;
      }
      if (position + n > limit) {
        throw new TooLongException(limit);
      }
      writeUnlessZero(out, block, n, position);
      position += n;
    }
  }

  private static void writeUnlessZero(FileChannel out, byte[] block, int n, long position)
      throws IOException {
    if (Arrays.mismatch(block, 0, n, ZEROS, 0, n) == -1) {
      return;
    }
    ByteBuffer data = ByteBuffer.wrap(block, 0, n);
    while (data.hasRemaining()) {
      out.write(data, position + data.position());
    }
  }

  /** The data did not fit. */
  static final class TooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLongException(long limit) {
      super("the data is larger than " + limit + " bytes");
    }
  }
}
