package io.ember.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for many volumes at once, as a dashboard or an operator's script would: one list request
 * per interval ({@code GET /volumes?status=creating}, or {@code deleting}) instead of a GET per
 * volume. A volume that left the list is then confirmed with one GET of its own, so what is
 * reported is still what the API shows, at the same interval's resolution. With 50 workers each
 * polling every 20 ms, the polling alone kept the 2-core machine busier than the creates did.
 */
final class ListWatcher implements Settling, AutoCloseable {

  private record Waiting(
      String id, String transitional, long since, CompletableFuture<Void> left) {}

  private final BlockStorageClient client;
  private final long intervalNanos;
  private final long timeoutNanos;
  private final ConcurrentHashMap<String, Waiting> waiting = new ConcurrentHashMap<>();
  private final Thread lister;
  private volatile boolean closed;

  ListWatcher(BlockStorageClient client, Duration interval, Duration timeout) {
    this.client = client;
    this.intervalNanos = interval.toNanos();
    this.timeoutNanos = timeout.toNanos();
    this.lister = new Thread(this::listUntilClosed, "bench-list-watcher");
    lister.setDaemon(true);
    lister.start();
  }

  @Override
  public VolumeWaiter.Result untilAvailable(String id) throws InterruptedException {
    return await(id, "creating", true);
  }

  @Override
  public VolumeWaiter.Result untilGone(String id) throws InterruptedException {
    return await(id, "deleting", false);
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    lister.join();
  }

  private VolumeWaiter.Result await(String id, String transitional, boolean wantAvailable)
      throws InterruptedException {
    long start = System.nanoTime();
    while (true) {
      Waiting entry = new Waiting(id, transitional, System.nanoTime(), new CompletableFuture<>());
      waiting.put(id, entry);
      try {
        long left = timeoutNanos - (System.nanoTime() - start);
        entry.left().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        waiting.remove(id, entry);
        return new VolumeWaiter.Result(
            VolumeWaiter.Outcome.TIMEOUT, System.nanoTime(), transitional);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
      BlockStorageClient.Shown shown;
      try {
        shown = client.show(id);
      } catch (IOException e) {
        return new VolumeWaiter.Result(
            VolumeWaiter.Outcome.ERROR, System.nanoTime(), "GET failed: " + e);
      }
      long now = System.nanoTime();
      if (shown.gone()) {
        return new VolumeWaiter.Result(
            wantAvailable ? VolumeWaiter.Outcome.ERROR : VolumeWaiter.Outcome.GONE, now, "404");
      }
      String status = shown.status() != null ? shown.status() : "HTTP " + shown.httpStatus();
      if (wantAvailable && "available".equals(status)) {
        return new VolumeWaiter.Result(VolumeWaiter.Outcome.AVAILABLE, now, status);
      }
      if (!transitional.equals(status)) {
        return new VolumeWaiter.Result(VolumeWaiter.Outcome.ERROR, now, status);
      }
      // Still transitional after all (the list answer raced a change): keep watching.
    }
  }

  /** One list per transitional status someone waits on, every interval. */
  private void listUntilClosed() {
    long next = System.nanoTime();
    while (!closed) {
      for (String transitional : List.of("creating", "deleting")) {
        listOnce(transitional);
      }
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else {
        next = System.nanoTime();
      }
    }
  }

  private void listOnce(String transitional) {
    long asked = System.nanoTime();
    List<Waiting> watched =
        waiting.values().stream()
            .filter(w -> w.transitional().equals(transitional) && w.since() < asked)
            .toList();
    if (watched.isEmpty()) {
      return;
    }
    Set<String> still;
    try {
      still = client.idsWithStatus(transitional);
    } catch (IOException e) {
      return; // the next round asks again; a volume that never settles times out
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
      return;
    }
    if (still == null) {
      return;
    }
    for (Waiting w : watched) {
      if (!still.contains(w.id()) && waiting.remove(w.id(), w)) {
        w.left().complete(null);
      }
    }
  }
}
