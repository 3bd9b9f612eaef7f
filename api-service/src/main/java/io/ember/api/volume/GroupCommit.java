package io.ember.api.volume;

import io.ember.model.jdbc.TransientFailures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Group commit: requests of one lane (a project) that arrive while an earlier batch of that lane
 * runs wait for it, and whichever of them holds the lane's turn next runs everything queued in one
 * transaction (one commit, one outbox insert) instead of a transaction each. Each request keeps its
 * own answer: the batch reports an outcome per request, and a request that failed on its own
 * (Cinder's 4xx) fails alone. A batch that fails as a whole runs again when the database asked for
 * that (a deadlock), and otherwise each of its requests runs again alone, so no request pays for
 * another's failure.
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
   * A lane's queue and its turn (fair: first come, first served). It lives while requests use it
   * ({@code users}, changed only inside the map's atomic compute), so lanes do not pile up.
   */
  private static final class Lane<Q, R> {
    final ReentrantLock turn = new ReentrantLock(true);
    final ConcurrentLinkedQueue<Pending<Q, R>> waiting = new ConcurrentLinkedQueue<>();
    int users;
  }

  /** One queued request; its outcome is written and read under the lane's turn. */
  private static final class Pending<Q, R> {
    final Q request;
    Outcome<R> outcome;

    Pending(Q request) {
      this.request = request;
    }
  }

  /** Runs the request, alone or with the others waiting in its lane; throws what it failed with. */
  public R submit(String lane, Q request) {
    Lane<Q, R> mine = lanes.compute(lane, (key, used) -> join(used));
    Pending<Q, R> pending = new Pending<>(request);
    mine.waiting.add(pending);
    mine.turn.lock();
    try {
      while (pending.outcome == null) {
        runQueued(mine);
      }
    } finally {
      mine.turn.unlock();
      lanes.compute(lane, (key, used) -> --used.users == 0 ? null : used);
    }
    if (pending.outcome.failure() != null) {
      throw pending.outcome.failure();
    }
    return pending.outcome.result();
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
        queued.get(0).outcome = Outcome.failed(failure);
        return;
      }
      LOG.warnf("%s batch of %d failed, running each alone: %s", what, queued.size(), failure);
      queued.forEach(p -> run(List.of(p)));
      return;
    }
    for (int i = 0; i < queued.size(); i++) {
      queued.get(i).outcome = outcomes.get(i);
    }
  }
}
