package io.ember.scheduler.flow;

import io.ember.model.flow.FlowFailedException;
import io.ember.model.flow.LinearFlow;
import io.ember.scheduler.placement.NoValidBackendException;

/** What every scheduling flow shares about how it ends. */
final class Placements {

  private Placements() {}

  /**
   * Runs {@code flow} in the caller's transaction. No valid backend is an outcome, not a failure:
   * the flow's first task told the API on the way back and the transaction may commit. Anything
   * else (or a revert that failed too) is thrown.
   */
  static <C> void run(LinearFlow<C> flow, C context) {
    try {
      flow.run(context);
    } catch (FlowFailedException failure) {
      if (!(failure.getCause() instanceof NoValidBackendException)
          || failure.getSuppressed().length > 0) {
        throw failure;
      }
    }
  }
}
