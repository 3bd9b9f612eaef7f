package io.ember.api.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group commit on its own: who runs with whom, what each request gets back, and what happens
 * when a batch fails. The transaction is the caller's code run directly.
 */
class GroupCommitTest {

  private static final String PROJECT = "p1";
  private static final IllegalArgumentException REFUSED = new IllegalArgumentException("refused");

  private static final GroupCommit.Transactions DIRECT =
      new GroupCommit.Transactions() {
        @Override
        public <T> T inNewTransaction(Supplier<T> work) {
          return work.get();
        }
      };

  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** The requests of each batch run, in order (a failed run included). */
  private final List<List<String>> runs = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /**
   * Doubles each request; refuses "bad" alone; fails a whole batch holding "poison" with more than
   * one request; the first batch waits until {@code queuedBehindFirst} requests wait behind it.
   */
  private GroupCommit<String, String> commit(int queuedBehindFirst) {
    AtomicReference<GroupCommit<String, String>> self = new AtomicReference<>();
    self.set(
        new GroupCommit<>(
            "test",
            64,
            requests -> {
              runs.add(List.copyOf(requests));
              if (runs.size() == 1) {
                awaitWaiting(self.get(), queuedBehindFirst);
              }
              if (requests.size() > 1 && requests.contains("poison")) {
                throw new IllegalStateException("the database broke this batch");
              }
              List<GroupCommit.Outcome<String>> outcomes = new ArrayList<>();
              for (String request : requests) {
                outcomes.add(
                    request.equals("bad")
                        ? GroupCommit.Outcome.failed(REFUSED)
                        : GroupCommit.Outcome.of(request + request));
              }
              return outcomes;
            },
            DIRECT));
    return self.get();
  }

  private static void awaitWaiting(GroupCommit<String, String> commit, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (commit.waiting(PROJECT) < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + commit.waiting(PROJECT) + " requests queued");
      }
      Thread.onSpinWait();
    }
  }

  private List<Future<String>> submitAll(GroupCommit<String, String> commit, List<String> requests)
      throws InterruptedException {
    List<Future<String>> answers = new ArrayList<>();
    answers.add(threads.submit(() -> commit.submit(PROJECT, "first")));
    awaitRunning();
    for (String request : requests) {
      answers.add(threads.submit(() -> commit.submit(PROJECT, request)));
    }
    return answers;
  }

  private void awaitRunning() throws InterruptedException {
    while (runs.isEmpty()) {
      Thread.sleep(1);
    }
  }

  @Test
  void requestsThatQueueWhileABatchRunsRunTogetherAndEachGetsItsOwnAnswer() throws Exception {
    GroupCommit<String, String> commit = commit(4);

    List<Future<String>> answers = submitAll(commit, List.of("a", "b", "bad", "c"));

    assertEquals("firstfirst", answers.get(0).get(10, TimeUnit.SECONDS));
    assertEquals("aa", answers.get(1).get(10, TimeUnit.SECONDS));
    assertEquals("bb", answers.get(2).get(10, TimeUnit.SECONDS));
    Exception refused = assertThrows(Exception.class, () -> answers.get(3).get());
    assertSame(REFUSED, refused.getCause());
    assertEquals("cc", answers.get(4).get(10, TimeUnit.SECONDS));
    assertEquals(2, runs.size(), "one batch for the first, one for the four behind it");
    assertEquals(4, runs.get(1).size());
    assertEquals(0, commit.lanesInUse(), "an idle project keeps no lane");
  }

  @Test
  void aBatchThatFailsAsAWholeRunsEachOfItsRequestsAlone() throws Exception {
    GroupCommit<String, String> commit = commit(3);

    List<Future<String>> answers = submitAll(commit, List.of("a", "poison", "b"));

    assertEquals("aa", answers.get(1).get(10, TimeUnit.SECONDS));
    assertEquals("poisonpoison", answers.get(2).get(10, TimeUnit.SECONDS));
    assertEquals("bb", answers.get(3).get(10, TimeUnit.SECONDS));
    assertEquals(Set.of("a", "poison", "b"), Set.copyOf(runs.get(1)), "together first");
    List<List<String>> alone = runs.subList(2, runs.size());
    assertEquals(3, alone.size(), "then each alone: " + alone);
    assertEquals(
        Set.of("a", "poison", "b"),
        alone.stream().map(run -> run.get(0)).collect(Collectors.toSet()));
  }

  @Test
  void aBatchTheDatabaseRolledBackAsADeadlockVictimRunsAgainWhole() {
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    GroupCommit<String, String> commit =
        new GroupCommit<>(
            "test",
            64,
            requests -> {
              attempts.add(requests.size());
              if (attempts.size() == 1) {
                throw new IllegalStateException(
                    "deadlock", new SQLException("deadlock detected", "40P01"));
              }
              return List.of(GroupCommit.Outcome.of("done"));
            },
            DIRECT);

    assertEquals("done", commit.submit(PROJECT, "x"));
    assertEquals(List.of(1, 1), attempts);
  }

  @Test
  void underContentionEveryRequestGetsItsOwnAnswerAndNoneIsLeftWaiting() throws Exception {
    GroupCommit<String, String> commit =
        new GroupCommit<>(
            "test",
            8,
            requests -> {
              runs.add(List.copyOf(requests));
              return requests.stream().map(r -> GroupCommit.Outcome.of(r + "!")).toList();
            },
            DIRECT);
    int perThread = 2_000;
    List<Future<Integer>> workers = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      String prefix = "t" + t + "-";
      workers.add(
          threads.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  String request = prefix + i;
                  assertEquals(request + "!", commit.submit(PROJECT, request));
                }
                return perThread;
              }));
    }
    for (Future<Integer> worker : workers) {
      // A request whose wake-up got lost would hang its thread here.
      assertEquals(perThread, worker.get(60, TimeUnit.SECONDS));
    }
    assertEquals(6 * perThread, runs.stream().mapToInt(List::size).sum(), "each ran once");
    assertTrue(runs.stream().allMatch(run -> run.size() <= 8), "batches stay within the limit");
    assertTrue(runs.size() < 6 * perThread, "some requests shared a batch");
    assertEquals(0, commit.lanesInUse());
  }
}
