package io.ember.model.jdbc;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs work when the current transaction ends one way or the other: in-memory state (a relay's
 * queue, a scheduler's capacity view, a capability report) follows what the database kept.
 */
public final class TransactionOutcome {

  private TransactionOutcome() {}

  public static void afterCommit(TransactionSynchronizationRegistry transactions, Runnable action) {
    on(transactions, true, action);
  }

  public static void afterRollback(
      TransactionSynchronizationRegistry transactions, Runnable action) {
    on(transactions, false, action);
  }

  private static void on(
      TransactionSynchronizationRegistry transactions, boolean committed, Runnable action) {
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if ((status == Status.STATUS_COMMITTED) == committed) {
              action.run();
            }
          }
        });
  }
}
