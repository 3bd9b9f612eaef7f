package io.ember.api.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for what the system does on its own time (events applied, reports heard). */
public final class Await {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private Await() {}

  /** Polls {@code check} every 50 ms for up to 20 s; fails naming {@code what}. */
  public static void until(BooleanSupplier check, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!check.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
