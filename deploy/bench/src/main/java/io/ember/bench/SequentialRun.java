package io.ember.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One volume at a time: POST, poll until {@code available}, attach it as Nova does (attachment
 * create, update with a connector, complete) and detach it (attachment delete), DELETE, poll until
 * 404. Nothing else runs meanwhile, so this is the latency one client sees on an idle system.
 */
final class SequentialRun {

  /**
   * One measured volume; all durations in nanoseconds from the start of its POST (delete: from the
   * start of its DELETE). {@code notification} is null when not measured or never seen. {@code
   * steps}: where the create's time went, one duration per {@link #STEPS} entry; null when not
   * measured or a message was not seen. {@code attach} (the three attachment calls) and {@code
   * detach} (the attachment delete) are null when the volume could not be attached.
   */
  record Sample(
      String id,
      long post,
      long available,
      Long notification,
      long deleteToGone,
      long wallStartMillis,
      long[] steps,
      Long attach,
      Long detach) {}

  /** The parts of a create, cut where a service sent its message (the records' timestamps). */
  static final List<String> STEPS =
      List.of(
          "api: POST -> cast sent",
          "scheduler: -> command sent",
          "volume host: -> event sent",
          "api: -> seen available (GET)");

  record Result(List<Sample> samples, List<String> errors, boolean notificationsMeasured) {

    Stats post() {
      return Stats.ofNanos(samples.stream().map(Sample::post).toList());
    }

    Stats createToAvailable() {
      return Stats.ofNanos(samples.stream().map(Sample::available).toList());
    }

    Stats createToNotification() {
      return Stats.ofNanos(
          samples.stream().map(Sample::notification).filter(Objects::nonNull).toList());
    }

    /** The durations of step {@code index} of {@link #STEPS}, over the samples that have them. */
    Stats step(int index) {
      return Stats.ofNanos(
          samples.stream().map(Sample::steps).filter(Objects::nonNull).map(s -> s[index]).toList());
    }

    long stepsMissing() {
      return notificationsMeasured ? samples.stream().filter(s -> s.steps() == null).count() : 0;
    }

    Stats deleteToGone() {
      return Stats.ofNanos(samples.stream().map(Sample::deleteToGone).toList());
    }

    /** Attachment create → update with connector → complete, over the attached samples. */
    Stats attach() {
      return Stats.ofNanos(samples.stream().map(Sample::attach).filter(Objects::nonNull).toList());
    }

    /** Attachment delete, over the attached samples. */
    Stats detach() {
      return Stats.ofNanos(samples.stream().map(Sample::detach).filter(Objects::nonNull).toList());
    }

    long notificationsMissing() {
      return notificationsMeasured
          ? samples.stream().filter(s -> s.notification() == null).count()
          : 0;
    }
  }

  private final BlockStorageClient client;
  private final VolumeWaiter waiter;
  private final MessageWatcher notifications;

  SequentialRun(BlockStorageClient client, Duration poll, Duration timeout, MessageWatcher n) {
    this.client = client;
    this.waiter = new VolumeWaiter(client, poll, timeout);
    this.notifications = n;
  }

  Result run(int warmup, int measured) throws InterruptedException {
    List<String> errors = new ArrayList<>();
    List<Sample> raw = new ArrayList<>();
    List<Long> postStarts = new ArrayList<>();
    for (int i = 0; i < warmup + measured; i++) {
      boolean counted = i >= warmup;
      String name = (counted ? "bench-seq-" + (i - warmup) : "bench-warmup-" + i);
      long start = System.nanoTime();
      try {
        Sample sample = one(name, start, counted ? errors : new ArrayList<>());
        if (counted) {
          raw.add(sample);
          postStarts.add(start);
        }
      } catch (VolumeFailure | IOException e) {
        if (counted) {
          errors.add(name + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
      }
    }
    if (notifications == null) {
      return new Result(raw, errors, false);
    }
    // The notification comes from the volume host's outbox; give late ones a moment.
    notifications.awaitAll(raw.stream().map(Sample::id).toList(), Duration.ofSeconds(5));
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Sample s = raw.get(i);
      Long seenAt = notifications.createEndSeenAt(s.id());
      Long latency = seenAt == null ? null : seenAt - postStarts.get(i);
      samples.add(
          new Sample(
              s.id(),
              s.post(),
              s.available(),
              latency,
              s.deleteToGone(),
              s.wallStartMillis(),
              steps(s, notifications.createStepsSentAt(s.id())),
              s.attach(),
              s.detach()));
    }
    return new Result(samples, errors, true);
  }

  /** Nanoseconds per step: POST start, each message sent, seen available (ms clock). */
  private static long[] steps(Sample s, long[] sentAt) {
    if (sentAt == null) {
      return null;
    }
    long[] cuts = new long[sentAt.length + 2];
    cuts[0] = s.wallStartMillis();
    System.arraycopy(sentAt, 0, cuts, 1, sentAt.length);
    cuts[cuts.length - 1] = s.wallStartMillis() + s.available() / 1_000_000;
    long[] steps = new long[cuts.length - 1];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = Math.max(0, cuts[i + 1] - cuts[i]) * 1_000_000;
    }
    return steps;
  }

  /**
   * One volume's round; a volume that cannot be attached is still deleted (its attachment first, if
   * one was made), and the refusal is one of {@code errors}.
   */
  private Sample one(String name, long start, List<String> errors)
      throws IOException, InterruptedException, VolumeFailure {
    long wallStart = System.currentTimeMillis();
    BlockStorageClient.Created created = client.create(name);
    if (!created.accepted()) {
      throw new VolumeFailure("POST answered " + created.httpStatus() + " " + created.body());
    }
    VolumeWaiter.Result ready = waiter.untilAvailable(created.id());
    if (ready.outcome() != VolumeWaiter.Outcome.AVAILABLE) {
      throw new VolumeFailure(created.id() + " ended " + ready.outcome() + " " + ready.detail());
    }
    Long attach = null;
    Long detach = null;
    String[] attachment = new String[1];
    long attachStart = System.nanoTime();
    try {
      client.attach(created.id(), id -> attachment[0] = id);
      attach = System.nanoTime() - attachStart;
    } catch (IOException e) {
      errors.add(name + ": attach: " + e.getMessage());
    }
    if (attachment[0] != null) {
      long detachStart = System.nanoTime();
      int detached = client.deleteAttachment(attachment[0]);
      if (detached == 200) {
        detach = attach == null ? null : System.nanoTime() - detachStart;
      } else {
        errors.add(name + ": attachment DELETE answered " + detached);
      }
    }
    long deleteStart = System.nanoTime();
    int deleted = client.delete(created.id());
    if (deleted != 202) {
      throw new VolumeFailure(created.id() + ": DELETE answered " + deleted);
    }
    VolumeWaiter.Result gone = waiter.untilGone(created.id());
    if (gone.outcome() != VolumeWaiter.Outcome.GONE) {
      throw new VolumeFailure(
          created.id() + " delete ended " + gone.outcome() + " " + gone.detail());
    }
    return new Sample(
        created.id(),
        created.nanos(),
        ready.seenAt() - start,
        null,
        gone.seenAt() - deleteStart,
        wallStart,
        null,
        attach,
        detach);
  }

  /** A volume that did not get through create and delete. */
  static final class VolumeFailure extends Exception {
    VolumeFailure(String message) {
      super(message);
    }
  }
}
