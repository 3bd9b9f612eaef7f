package io.ember.api.quota;

import java.util.Map;

/**
 * One project's quota as a create sees it in its transaction ({@link QuotaLedger}): what the create
 * flow's quota tasks reserve, commit, roll back and give back.
 */
public interface ProjectQuota {

  /** Holds {@code deltas} or fails with Cinder's 413 message, leaving nothing held. */
  Reservation reserve(Map<String, Integer> deltas);

  /** Turns a held reservation into usage. */
  void commit(Reservation reservation);

  /** Gives a held reservation back. */
  void rollback(Reservation reservation);

  /** Gives committed usage back (a create reverted after its quota was committed). */
  void release(Map<String, Integer> deltas);
}
