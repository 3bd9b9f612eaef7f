package io.ember.model.jdbc;

/**
 * One table's activity counters from {@code pg_stat_user_tables}, and what autovacuum would run on
 * it now with PostgreSQL's default settings: a vacuum once dead rows (or, for a table that only
 * grows, inserted rows) pass a share of the live ones, an analyze once changed rows do.
 *
 * @param live live rows
 * @param dead dead rows not yet vacuumed
 * @param modifiedSinceAnalyze rows inserted, updated or deleted since the last analyze
 * @param insertedSinceVacuum rows inserted since the last vacuum
 */
record TableStats(
    String table, long live, long dead, long modifiedSinceAnalyze, long insertedSinceVacuum) {

  // autovacuum_vacuum_threshold / _scale_factor, the _insert_ pair and the _analyze_ pair.
  private static final long VACUUM_BASE = 50;
  private static final double VACUUM_SCALE = 0.2;
  private static final long INSERT_BASE = 1000;
  private static final double INSERT_SCALE = 0.2;
  private static final long ANALYZE_BASE = 50;
  private static final double ANALYZE_SCALE = 0.1;

  boolean needsVacuum() {
    return dead > VACUUM_BASE + VACUUM_SCALE * live
        || insertedSinceVacuum > INSERT_BASE + INSERT_SCALE * live;
  }

  boolean needsAnalyze() {
    return modifiedSinceAnalyze > ANALYZE_BASE + ANALYZE_SCALE * live;
  }

  /** The statement to run on the table now, or null when it needs nothing. */
  String command() {
    boolean vacuum = needsVacuum();
    boolean analyze = needsAnalyze();
    if (vacuum) {
      return (analyze ? "vacuum (analyze) " : "vacuum ") + table;
    }
    return analyze ? "analyze " + table : null;
  }
}
