package io.ember.model.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * An output stream to a new file that leaves a hole where a whole block of zeros would go: a volume
 * of mostly unwritten GiB becomes a file of its written blocks, as a raw image or a copy on its way
 * to one.
 */
public final class SparseOutput extends OutputStream {

  private static final int BLOCK = 1 << 16;
  private static final byte[] ZEROS = new byte[BLOCK];

  private final FileChannel file;
  private final byte[] block = new byte[BLOCK];
  private int filled;
  private long position;

  /** Creates (or truncates) {@code path}. */
  public SparseOutput(Path path) throws IOException {
    this.file =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
  }

  @Override
  public void write(int b) throws IOException {
    block[filled++] = (byte) b;
    if (filled == BLOCK) {
      flushBlock();
    }
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    while (length > 0) {
      int n = Math.min(length, BLOCK - filled);
      System.arraycopy(bytes, offset, block, filled, n);
      filled += n;
      offset += n;
      length -= n;
      if (filled == BLOCK) {
        flushBlock();
      }
    }
  }

  private void flushBlock() throws IOException {
    if (!allZero()) {
      ByteBuffer buffer = ByteBuffer.wrap(block, 0, filled);
      long at = position;
      while (buffer.hasRemaining()) {
        at += file.write(buffer, at);
      }
    }
    position += filled;
    filled = 0;
  }

  private boolean allZero() {
    return Arrays.mismatch(block, 0, filled, ZEROS, 0, filled) < 0;
  }

  /** Writes what is left and gives the file its full length (a trailing hole included). */
  @Override
  public void close() throws IOException {
    if (!file.isOpen()) {
      return;
    }
    try {
      flushBlock();
      if (file.size() < position) {
        // One byte at the end sets the length; a zero there is what the stream held.
        file.write(ByteBuffer.wrap(new byte[1]), position - 1);
      }
    } finally {
      file.close();
    }
  }
}
