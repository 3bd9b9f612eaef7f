package io.ember.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshots one at a time, from one volume made for the run: snapshot POST → {@code available},
 * then a volume from that snapshot POST → {@code available}; each is deleted (and gone) before the
 * next begins. The latencies a client sees for the two operations issue 20 added.
 */
final class SnapshotRun {

  /**
   * One measured round, nanoseconds from the start of each POST.
   *
   * @param snapshotAvailable snapshot POST start → the GET that shows it {@code available}
   * @param volumeAvailable POST of the volume from it → the GET that shows that {@code available}
   */
  record Sample(long snapshotAvailable, long volumeAvailable) {}

  record Result(List<Sample> samples, List<String> errors) {

    Stats snapshotToAvailable() {
      return Stats.ofNanos(samples.stream().map(Sample::snapshotAvailable).toList());
    }

    Stats fromSnapshotToAvailable() {
      return Stats.ofNanos(samples.stream().map(Sample::volumeAvailable).toList());
    }
  }

  private final BlockStorageClient client;
  private final VolumeWaiter volumes;
  private final VolumeWaiter snapshots;

  SnapshotRun(BlockStorageClient client, Duration poll, Duration timeout) {
    this.client = client;
    this.volumes = new VolumeWaiter(client, poll, timeout);
    this.snapshots = VolumeWaiter.forSnapshots(client, poll, timeout);
  }

  Result run(int warmup, int measured) throws InterruptedException {
    List<String> errors = new ArrayList<>();
    List<Sample> samples = new ArrayList<>();
    String source;
    try {
      source = available(client.create("bench-snap-source"), volumes, "source volume");
    } catch (Failure | IOException e) {
      errors.add("source volume: " + e.getMessage());
      return new Result(samples, errors);
    }
    for (int i = 0; i < warmup + measured; i++) {
      try {
        Sample sample = one(source, "bench-snap-" + i);
        if (i >= warmup) {
          samples.add(sample);
        }
      } catch (Failure | IOException e) {
        if (i >= warmup) {
          errors.add("round " + (i - warmup) + ": " + e.getMessage());
        }
      }
    }
    try {
      gone(client.delete(source), source, volumes);
    } catch (Failure | IOException e) {
      errors.add("deleting the source volume: " + e.getMessage());
    }
    return new Result(samples, errors);
  }

  private Sample one(String source, String name) throws IOException, InterruptedException, Failure {
    long start = System.nanoTime();
    String snapshot = available(client.createSnapshot(source, name), snapshots, "snapshot");
    long snapshotAvailable = System.nanoTime() - start;
    long volumeStart = System.nanoTime();
    String volume = available(client.createFromSnapshot(snapshot, name), volumes, "volume");
    long volumeAvailable = System.nanoTime() - volumeStart;
    gone(client.delete(volume), volume, volumes);
    gone(client.deleteSnapshot(snapshot), snapshot, snapshots);
    return new Sample(snapshotAvailable, volumeAvailable);
  }

  /** The id of what the POST made, once a GET shows it available. */
  private static String available(
      BlockStorageClient.Created created, VolumeWaiter waiter, String what)
      throws InterruptedException, Failure {
    if (!created.accepted()) {
      throw new Failure(what + " POST answered " + created.httpStatus() + " " + created.body());
    }
    VolumeWaiter.Result ready = waiter.untilAvailable(created.id());
    if (ready.outcome() != VolumeWaiter.Outcome.AVAILABLE) {
      throw new Failure(
          what + " " + created.id() + " ended " + ready.outcome() + " " + ready.detail());
    }
    return created.id();
  }

  private static void gone(int deleteStatus, String id, VolumeWaiter waiter)
      throws InterruptedException, Failure {
    if (deleteStatus != 202) {
      throw new Failure(id + ": DELETE answered " + deleteStatus);
    }
    VolumeWaiter.Result gone = waiter.untilGone(id);
    if (gone.outcome() != VolumeWaiter.Outcome.GONE) {
      throw new Failure(id + " delete ended " + gone.outcome() + " " + gone.detail());
    }
  }

  /** A round that did not get through. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }
}
