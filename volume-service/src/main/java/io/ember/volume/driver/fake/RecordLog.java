package io.ember.volume.driver.fake;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ember.model.contract.Json;
import io.ember.volume.driver.DriverVolume;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The fake backend's records of its volumes and snapshots: one file of lines appended as they
 * change, read back at setup. An append is one write to an open file, where a record file per
 * volume (written, moved into place and later removed) made two file creations and two removals of
 * every create and delete, the larger part of a volume host's CPU per create. Like those files, a
 * line is not forced to disk: the backend survives a restart of its process, as the page cache
 * does.
 *
 * <p>A line is written after its data and marks the data complete. A line cut short by a crash is
 * skipped when read back. The log is rewritten from the live records at setup and whenever it has
 * grown well past them, so its size follows what the backend holds, not its history.
 */
final class RecordLog implements AutoCloseable {

  /** One line: a volume or snapshot as it now is, or the id of one that is gone. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Line(
      DriverVolume volume,
      FakeDriver.SnapshotRecord snapshot,
      String volumeGone,
      String snapshotGone) {}

  /** What the lines add up to. */
  record Contents(
      Map<String, DriverVolume> volumes, Map<String, FakeDriver.SnapshotRecord> snapshots) {}

  /** Appended lines beyond the live records before the log is rewritten. */
  private static final int SLACK = 10_000;

  private final Path file;
  private FileChannel out;
  private long lines;

  RecordLog(Path file) {
    this.file = file;
  }

  /**
   * Reads the log, adds {@code earlier} (records kept in an older layout), rewrites it with what is
   * live and opens it for appending.
   */
  synchronized Contents open(
      Map<String, DriverVolume> volumes, Map<String, FakeDriver.SnapshotRecord> snapshots)
      throws IOException {
    List<String> read;
    try {
      read = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException none) {
      read = List.of();
    }
    for (String text : read) {
      Line line;
      try {
        line = Json.read(text, Line.class);
      } catch (RuntimeException torn) {
        // The last line of a crash: its data was never acknowledged.
        continue;
      }
      if (line.volume() != null) {
        volumes.put(line.volume().id(), line.volume());
      } else if (line.snapshot() != null) {
        snapshots.put(line.snapshot().snapshot().id(), line.snapshot());
      } else if (line.volumeGone() != null) {
        volumes.remove(line.volumeGone());
      } else if (line.snapshotGone() != null) {
        snapshots.remove(line.snapshotGone());
      }
    }
    rewrite(volumes.values(), snapshots.values());
    return new Contents(volumes, snapshots);
  }

  synchronized void volume(DriverVolume volume) throws IOException {
    append(new Line(volume, null, null, null));
  }

  synchronized void snapshot(FakeDriver.SnapshotRecord snapshot) throws IOException {
    append(new Line(null, snapshot, null, null));
  }

  synchronized void volumeGone(String id) throws IOException {
    append(new Line(null, null, id, null));
  }

  synchronized void snapshotGone(String id) throws IOException {
    append(new Line(null, null, null, id));
  }

  /** Whether enough has been appended beyond {@code live} records to rewrite the log. */
  synchronized boolean overgrown(int live) {
    return lines > 2L * live + SLACK;
  }

  /** Replaces the log with one line per live record. */
  synchronized void rewrite(
      Collection<DriverVolume> volumes, Collection<FakeDriver.SnapshotRecord> snapshots)
      throws IOException {
    close();
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    StringBuilder text = new StringBuilder();
    for (DriverVolume v : volumes) {
      text.append(Json.write(new Line(v, null, null, null))).append('\n');
    }
    for (FakeDriver.SnapshotRecord s : snapshots) {
      text.append(Json.write(new Line(null, s, null, null))).append('\n');
    }
    try (FileChannel channel =
        FileChannel.open(
            partial,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      write(channel, text.toString());
      channel.force(false);
    }
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    out =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    lines = volumes.size() + (long) snapshots.size();
  }

  private void append(Line line) throws IOException {
    if (out == null) {
      // A driver used without its setup (tests build some so) appends to what is there.
      out =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    write(out, Json.write(line) + "\n");
    lines++;
  }

  private static void write(FileChannel channel, String text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
