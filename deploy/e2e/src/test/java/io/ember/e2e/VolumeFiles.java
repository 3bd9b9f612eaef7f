package io.ember.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Random;

/** Bytes in a volume's backing file on its host, as the data tests write and read them. */
final class VolumeFiles {

  private VolumeFiles() {}

  /** 64 KiB of random bytes, the same for the same seed. */
  static byte[] pattern(long seed) {
    byte[] bytes = new byte[64 * 1024];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static void write(Path file, long offset, byte[] bytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      f.write(bytes);
    }
  }

  static byte[] read(Path file, long offset, int length) throws IOException {
    byte[] bytes = new byte[length];
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      f.seek(offset);
      f.readFully(bytes);
    }
    return bytes;
  }
}
