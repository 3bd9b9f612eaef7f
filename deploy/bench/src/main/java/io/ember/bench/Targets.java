package io.ember.bench;

/** Ember's targets (issue 3), met on a 2-core machine with the fake driver at zero delay. */
final class Targets {

  static final double CREATE_P50_MS = 15;
  static final double CREATE_P99_MS = 50;
  static final double CREATES_PER_SECOND = 300;
  static final int CREATES_CONCURRENCY = 50;
  static final double DELETES_PER_SECOND = 500;
  static final long SERVICES_RSS_BYTES = 1L << 30;

  /**
   * What one create costs in Ember (README, "Create flow"): api commit → outbox relay → {@code
   * scheduler.requests} → scheduler commit → {@code volume.<host>} → volume commit → {@code
   * volume.events} → api commit. The relays' outbox deletes are further commits, off the path.
   */
  static final int BROKER_HOPS_PER_CREATE = 3;

  static final int COMMITS_PER_CREATE = 4;

  private Targets() {}

  static String verdict(boolean met) {
    return met ? "PASS" : "MISS";
  }
}
