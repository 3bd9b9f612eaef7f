package io.ember.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Polls {@code GET /volumes/{id}} (or {@code /snapshots/{id}}) at a fixed rate until the volume
 * settles, as a client of the API would. The first GET goes out at once; later ones every {@code
 * interval} after it (immediately when a GET took longer than the interval), so the measured time
 * is off by less than one interval.
 */
final class VolumeWaiter implements Settling {

  enum Outcome {
    AVAILABLE,
    GONE,
    ERROR,
    TIMEOUT
  }

  /**
   * How the wait ended, and when (System.nanoTime() at the answer that showed it).
   *
   * @param detail the last volume status or HTTP status seen, for error reports
   */
  record Result(Outcome outcome, long seenAt, String detail) {}

  /** GETs failing for this long end the wait: the API went away rather than hiccuped. */
  private static final long UNREACHABLE_NANOS = Duration.ofSeconds(5).toNanos();

  /** One GET of the resource waited on. */
  interface Lookup {
    BlockStorageClient.Shown show(String id) throws IOException, InterruptedException;
  }

  private final Lookup lookup;
  private final long intervalNanos;
  private final long timeoutNanos;

  VolumeWaiter(BlockStorageClient client, Duration interval, Duration timeout) {
    this(client::show, interval, timeout);
  }

  VolumeWaiter(Lookup lookup, Duration interval, Duration timeout) {
    this.lookup = lookup;
    this.intervalNanos = interval.toNanos();
    this.timeoutNanos = timeout.toNanos();
  }

  /** The same waits on a snapshot. */
  static VolumeWaiter forSnapshots(BlockStorageClient client, Duration interval, Duration timeout) {
    return new VolumeWaiter(client::showSnapshot, interval, timeout);
  }

  @Override
  public Result untilAvailable(String id) throws InterruptedException {
    return poll(id, true);
  }

  @Override
  public Result untilGone(String id) throws InterruptedException {
    return poll(id, false);
  }

  private Result poll(String id, boolean wantAvailable) throws InterruptedException {
    long start = System.nanoTime();
    long next = start;
    long failingSince = 0;
    String last = "none";
    while (true) {
      BlockStorageClient.Shown shown;
      try {
        shown = lookup.show(id);
        failingSince = 0;
      } catch (IOException e) {
        shown = null;
        last = "GET failed: " + e;
        failingSince = failingSince == 0 ? System.nanoTime() : failingSince;
      }
      long now = System.nanoTime();
      if (failingSince != 0 && now - failingSince > UNREACHABLE_NANOS) {
        return new Result(Outcome.ERROR, now, last); // the API is gone: no point in waiting on
      }
      if (shown != null) {
        if (shown.gone()) {
          return new Result(wantAvailable ? Outcome.ERROR : Outcome.GONE, now, "404");
        }
        last = shown.status() != null ? shown.status() : "HTTP " + shown.httpStatus();
        if (wantAvailable && "available".equals(shown.status())) {
          return new Result(Outcome.AVAILABLE, now, last);
        }
        if ("error".equals(shown.status()) || "error_deleting".equals(shown.status())) {
          return new Result(Outcome.ERROR, now, last);
        }
      }
      if (now - start > timeoutNanos) {
        return new Result(Outcome.TIMEOUT, now, last);
      }
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else {
        next = System.nanoTime();
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
