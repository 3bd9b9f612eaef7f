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
 * volume. When volumes have left that list, one more list of the status a failure ends in ({@code
 * error}, or {@code error_deleting}) tells how each ended: a volume in neither list has settled
 * well ({@code available}, or gone). The failure list is asked after the transitional one, and a
 * volume never leaves its failure status by itself, so a failed volume cannot be missed. What is
 * reported is still what the API shows, at the interval's resolution. With 50 workers each polling
 * every 20 ms, the polling alone kept the 2-core machine busier than the creates did; a confirming
 * GET per volume still cost a third of the API's requests.
 */
final class ListWatcher implements Settling {

  /** A transitional status, where a wait ends well, and the status a failure ends in. */
  private enum Watch {
    CREATING("creating", VolumeWaiter.Outcome.AVAILABLE, "available", "error"),
    DELETING("deleting", VolumeWaiter.Outcome.GONE, "404", "error_deleting");

    final String status;
    final VolumeWaiter.Outcome success;
    final String successDetail;
    final String failure;

    Watch(String status, VolumeWaiter.Outcome success, String successDetail, String failure) {
      this.status = status;
      this.success = success;
      this.successDetail = successDetail;
      this.failure = failure;
    }
  }

  private record Waiting(
      String id, Watch watch, long since, CompletableFuture<VolumeWaiter.Result> settled) {}

  private final BlockStorageClient client;
  private final long intervalNanos;
  private final long timeoutNanos;
  private final ConcurrentHashMap<String, Waiting> waiting = new ConcurrentHashMap<>();
  private final Thread lister;
  private volatile boolean stopped;

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
    return await(id, Watch.CREATING);
  }

  @Override
  public VolumeWaiter.Result untilGone(String id) throws InterruptedException {
    return await(id, Watch.DELETING);
  }

  /** Stops the list requests and waits for the lister thread to end. */
  void stop() throws InterruptedException {
    stopped = true;
    lister.join();
  }

  private VolumeWaiter.Result await(String id, Watch watch) throws InterruptedException {
    Waiting entry = new Waiting(id, watch, System.nanoTime(), new CompletableFuture<>());
    waiting.put(id, entry);
    try {
      return entry.settled().get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      waiting.remove(id, entry);
      return new VolumeWaiter.Result(VolumeWaiter.Outcome.TIMEOUT, System.nanoTime(), watch.status);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** One list per transitional status someone waits on, every interval. */
  private void listUntilClosed() {
    long next = System.nanoTime();
    while (!stopped) {
      for (Watch watch : Watch.values()) {
        listOnce(watch);
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

  private void listOnce(Watch watch) {
    long asked = System.nanoTime();
    List<Waiting> watched =
        waiting.values().stream().filter(w -> w.watch() == watch && w.since() < asked).toList();
    if (watched.isEmpty()) {
      return;
    }
    try {
      Set<String> still = client.idsWithStatus(watch.status);
      if (still == null) {
        return;
      }
      List<Waiting> left = watched.stream().filter(w -> !still.contains(w.id())).toList();
      if (left.isEmpty()) {
        return;
      }
      Set<String> failed = client.idsWithStatus(watch.failure);
      if (failed == null) {
        return;
      }
      long seen = System.nanoTime();
      for (Waiting w : left) {
        if (waiting.remove(w.id(), w)) {
          w.settled()
              .complete(
                  failed.contains(w.id())
                      ? new VolumeWaiter.Result(VolumeWaiter.Outcome.ERROR, seen, watch.failure)
                      : new VolumeWaiter.Result(watch.success, seen, watch.successDetail));
        }
      }
    } catch (IOException e) {
      // the next round asks again; a volume that never settles times out
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }
}
