package io.ember.model.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransientFailuresTest {

  private static RuntimeException wrapped(String sqlState) {
    return new IllegalStateException("statement failed", new SQLException("x", sqlState));
  }

  @Test
  void deadlocksAndSerializationFailuresAreTransientWhereverTheyAreInTheChain() {
    assertTrue(TransientFailures.isTransient(wrapped("40P01")));
    assertTrue(TransientFailures.isTransient(new RuntimeException(wrapped("40001"))));
    assertFalse(TransientFailures.isTransient(wrapped("23505")));
    assertFalse(TransientFailures.isTransient(new IllegalArgumentException("bad input")));
    assertFalse(TransientFailures.isTransient(null));
  }

  @Test
  void aTransientFailureIsRetriedUpToTheAttemptsAndOthersAreNot() {
    AtomicInteger runs = new AtomicInteger();
    assertEquals(
        "done",
        TransientFailures.retry(
            "test",
            () -> {
              if (runs.incrementAndGet() < TransientFailures.ATTEMPTS) {
                throw wrapped("40P01");
              }
              return "done";
            }));
    assertEquals(TransientFailures.ATTEMPTS, runs.get());

    runs.set(0);
    assertThrows(
        IllegalStateException.class,
        () ->
            TransientFailures.retry(
                "test",
                () -> {
                  runs.incrementAndGet();
                  throw wrapped("40P01");
                }));
    assertEquals(TransientFailures.ATTEMPTS, runs.get(), "gives up after the last attempt");

    runs.set(0);
    RuntimeException permanent = wrapped("23505");
    assertSame(
        permanent,
        assertThrows(
            RuntimeException.class,
            () ->
                TransientFailures.retry(
                    "test",
                    () -> {
                      runs.incrementAndGet();
                      throw permanent;
                    })));
    assertEquals(1, runs.get(), "a permanent failure is not run again");
  }
}
