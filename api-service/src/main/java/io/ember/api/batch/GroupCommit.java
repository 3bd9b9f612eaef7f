package io.ember.api.batch;

import io.ember.model.jdbc.TransientFailures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Group commit: requests of one lane (a project) that arrive while an earlier batch of that lane
 * runs wait for it, and one of them then runs everything queued in one transaction (one commit, one
 * outbox insert) instead of a transaction each. A batch's requests are woken each on its own as it
 * ends: with a fair lock they had woken one after another, each only to find its answer ready,
 * while the next batch waited behind them (a chain of as many thread switches as the batch had
 * requests, on a machine that was short of CPU already). Each request keeps its own answer: the
 * batch reports an outcome per request, and a request that failed on its own (Cinder's 4xx) fails
 * alone. A batch that fails as a whole runs again when the database asked for that (a deadlock),
 * and otherwise each of its requests runs again alone, so no request pays for another's failure.
 *
 * @param <Q> a request
 * @param <R> what a request gets back when it succeeds
 */
public final class GroupCommit<Q, R> {

  private static final Logger LOG = Logger.getLogger(GroupCommit.class);

  /** The outcome of one request of a batch: its result, or why it has none. */
  public record Outcome<R>(R result, RuntimeException failure) {

    public static <R> Outcome<R> of(R result) {
      return new Outcome<>(result, null);
    }

    public static <R> Outcome<R> failed(RuntimeException failure) {
      return new Outcome<>(null, failure);
    }
  }

  /** The work of one batch, run inside its transaction: one outcome per request, in order. */
  @FunctionalInterface
  public interface Batch<Q, R> {
    List<Outcome<R>> run(List<Q> requests);
  }

  /**
   * Runs a batch's work in a transaction of its own; what it returns, once committed. (A generic
   * method, so not for lambdas.)
   */
  public interface Transactions {
    <T> T inNewTransaction(Supplier<T> work);

    /** Narayana's, as the services run. */
    Transactions JTA =
        new Transactions() {
          @Override
          public <T> T inNewTransaction(Supplier<T> work) {
            return QuarkusTransaction.requiringNew().call(work::get);
          }
        };
  }

  private final String what;
  private final int maxBatch;
  private final Batch<Q, R> batch;
  private final Transactions transactions;
  private final ConcurrentHashMap<String, Lane<Q, R>> lanes = new ConcurrentHashMap<>();

  /**
   * @param what what a request does, for log lines ("create", "delete")
   */
  public GroupCommit(String what, int maxBatch, Batch<Q, R> batch) {
    this(what, maxBatch, batch, Transactions.JTA);
  }

  GroupCommit(String what, int maxBatch, Batch<Q, R> batch, Transactions transactions) {
    this.what = what;
    this.maxBatch = maxBatch;
    this.batch = batch;
    this.transactions = transactions;
  }

  /**
   * A lane's queue and whether a batch of it runs. It lives while requests use it ({@code users},
   * changed only inside the map's atomic compute), so lanes do not pile up.
   */
  private static final class Lane<Q, R> {
    final AtomicBoolean running = new AtomicBoolean();
    final ConcurrentLinkedQueue<Pending<Q, R>> waiting = new ConcurrentLinkedQueue<>();
    int users;
  }

  /** One queued request, and the thread that waits for its outcome. */
  private static final class Pending<Q, R> {
    final Q request;
    final Thread waiter = Thread.currentThread();
    volatile Outcome<R> outcome;

    Pending(Q request) {
      this.request = request;
    }

    void complete(Outcome<R> result) {
      outcome = result;
      LockSupport.unpark(waiter);
    }
  }

  /** Runs the request, alone or with the others waiting in its lane; throws what it failed with. */
  public R submit(String lane, Q request) {
    Lane<Q, R> mine = lanes.compute(lane, (key, used) -> join(used));
    Pending<Q, R> pending = new Pending<>(request);
    mine.waiting.add(pending);
    try {
      awaitOutcome(mine, pending);
    } finally {
      lanes.compute(lane, (key, used) -> --used.users == 0 ? null : used);
    }
    if (pending.outcome.failure() != null) {
      throw pending.outcome.failure();
    }
    return pending.outcome.result();
  }

  /**
   * Waits until a batch has run the request; when no batch of the lane runs, runs batches itself
   * until its own is done, then wakes the request now first in the queue (if any) to go on.
   */
  private void awaitOutcome(Lane<Q, R> lane, Pending<Q, R> pending) {
    while (pending.outcome == null) {
      if (lane.running.compareAndSet(false, true)) {
        try {
          while (pending.outcome == null) {
            runQueued(lane);
          }
        } finally {
          lane.running.set(false);
        }
        Pending<Q, R> next = lane.waiting.peek();
        if (next != null) {
          LockSupport.unpark(next.waiter);
        }
        return;
      }
      LockSupport.park(this);
    }
  }

  private static <Q, R> Lane<Q, R> join(Lane<Q, R> lane) {
    Lane<Q, R> joined = lane == null ? new Lane<>() : lane;
    joined.users++;
    return joined;
  }

  /** How many lanes are in use now (for tests). */
  int lanesInUse() {
    return lanes.size();
  }

  /** How many requests of {@code lane} wait for a batch now (for tests). */
  int waiting(String lane) {
    Lane<Q, R> used = lanes.get(lane);
    return used == null ? 0 : used.waiting.size();
  }

  private void runQueued(Lane<Q, R> lane) {
    List<Pending<Q, R>> queued = new ArrayList<>();
    Pending<Q, R> next;
    while (queued.size() < maxBatch && (next = lane.waiting.poll()) != null) {
      queued.add(next);
    }
    run(queued);
  }

  private void run(List<Pending<Q, R>> queued) {
    List<Q> requests = queued.stream().map(p -> p.request).toList();
    List<Outcome<R>> outcomes;
    try {
      outcomes =
          TransientFailures.retry(
              what + " batch of " + queued.size(),
              () -> transactions.inNewTransaction(() -> batch.run(requests)));
    } catch (RuntimeException failure) {
      if (queued.size() == 1) {
        queued.get(0).complete(Outcome.failed(failure));
        return;
      }
      LOG.warnf("%s batch of %s failed, running each alone: %s", what, queued.size(), failure);
      queued.forEach(p -> run(List.of(p)));
      return;
    } catch (Error fatal) {
      // Nobody may wait forever on a request taken off the queue.
      queued.forEach(p -> p.complete(Outcome.failed(new IllegalStateException(fatal))));
      throw fatal;
    }
    for (int i = 0; i < queued.size(); i++) {
      queued.get(i).complete(outcomes.get(i));
    }
  }
}
