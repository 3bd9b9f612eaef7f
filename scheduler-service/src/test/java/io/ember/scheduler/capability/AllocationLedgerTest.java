package io.ember.scheduler.capability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The placement read after a burst: thousands of rows acknowledged by reports every replica holds
 * by now, a few in flight. It must return the few, and find them through its index instead of
 * reading every row under the placement lock.
 */
@QuarkusTest
class AllocationLedgerTest {

  @Inject AllocationLedger ledger;
  @Inject AgroalDataSource dataSource;

  @Test
  void aPlacementReadsOnlyWhatStillCountsThroughItsIndex() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Instant heldSince = Instant.now().minusSeconds(5);
    // 4,000 acknowledged by a report older than any this replica holds; 3 in flight; 2 acknowledged
    // by a report newer than the oldest one it holds.
    sql(
        "insert into pool_allocations (volume_id, pool, size_gb, acked_report_at, acked_at)"
            + " select 'old-"
            + tag
            + "-' || i, 'h@b#p', 1, now() - interval '30 seconds', now() - interval '29 seconds'"
            + " from generate_series(1, 4000) i");
    sql(
        "insert into pool_allocations (volume_id, pool, size_gb) select 'new-"
            + tag
            + "-' || i, 'h@b#p', 1 from generate_series(1, 3) i");
    sql(
        "insert into pool_allocations (volume_id, pool, size_gb, acked_report_at, acked_at)"
            + " select 'recent-"
            + tag
            + "-' || i, 'h@b#p', 1, now(), now() from generate_series(1, 2) i");
    sql("analyze pool_allocations");

    List<InFlightAllocation> read =
        QuarkusTransaction.requiringNew().call(() -> ledger.lockAndRead(heldSince));
    Set<String> ours =
        read.stream()
            .map(InFlightAllocation::volumeId)
            .filter(id -> id.contains(tag))
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            "new-" + tag + "-1",
            "new-" + tag + "-2",
            "new-" + tag + "-3",
            "recent-" + tag + "-1",
            "recent-" + tag + "-2"),
        ours);

    String plan =
        sql("explain " + AllocationLedger.READ.replace("?", "now() - interval '5 seconds'"));
    assertTrue(plan.contains("pool_allocations_counting"), plan);
  }

  /**
   * Placements are written as their transaction commits, in the statement of its messages: a later
   * read in the same transaction still counts them, a rolled-back one leaves no row, and a volume
   * placed twice keeps its last placement.
   */
  @Test
  void aTransactionsPlacementsCountAtOnceAndAreWrittenOnlyIfItCommits() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Instant heldSince = Instant.now().minusSeconds(5);
    List<InFlightAllocation> second =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  ledger.lockAndRead(heldSince);
                  ledger.record("a-" + tag, "h@b#p1", 1);
                  ledger.record("b-" + tag, "h@b#p1", 2);
                  ledger.record("a-" + tag, "h@b#p2", 3);
                  return ledger.lockAndRead(heldSince);
                });
    assertEquals(
        Set.of("a-" + tag + " h@b#p2 3.0", "b-" + tag + " h@b#p1 2.0"), described(second, tag));
    assertEquals(
        "a-" + tag + " h@b#p2 3.0\nb-" + tag + " h@b#p1 2.0\n",
        sql(
            "select volume_id || ' ' || pool || ' ' || size_gb::numeric(4,1) from pool_allocations"
                + " where volume_id like '%"
                + tag
                + "' order by volume_id"));

    assertThrows(
        IllegalStateException.class,
        () ->
            QuarkusTransaction.requiringNew()
                .run(
                    () -> {
                      ledger.lockAndRead(heldSince);
                      ledger.record("c-" + tag, "h@b#p1", 1);
                      throw new IllegalStateException("the placement's message failed");
                    }));
    assertEquals(
        "0\n", sql("select count(*) from pool_allocations where volume_id = 'c-" + tag + "'"));
    assertEquals(
        Set.of("a-" + tag + " h@b#p2 3.0", "b-" + tag + " h@b#p1 2.0"),
        described(
            QuarkusTransaction.requiringNew().call(() -> ledger.lockAndRead(heldSince)), tag));
  }

  /**
   * A report lists the last creates of its pool again and again: a volume this replica acknowledged
   * is not looked up again (its row, changed behind the ledger's back here, stays as it is), while
   * one placed again is acknowledged anew by the next report that lists it.
   */
  @Test
  void aReportAcknowledgesOnlyWhatThisReplicaHasNotAcknowledgedBefore() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String a = "a-" + tag;
    String b = "b-" + tag;
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              ledger.lockAndRead(null);
              ledger.record(a, "h@b#p1", 1);
              ledger.record(b, "h@b#p1", 1);
            });
    Instant first = Instant.parse("2026-01-01T00:00:01Z");
    ledger.acknowledge("h@b#p1", List.of(a, b), first);
    assertEquals("2\n", sql(acknowledgedAt(tag, first)));

    sql("update pool_allocations set acked_report_at = null where volume_id = '" + a + "'");
    Instant second = Instant.parse("2026-01-01T00:00:02Z");
    ledger.acknowledge("h@b#p1", List.of(a, b), second);
    assertEquals(
        "0\n",
        sql(
            "select count(*) from pool_allocations where volume_id = '"
                + a
                + "' and acked_report_at is not null"),
        "a volume acknowledged before is not looked up again");

    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              ledger.lockAndRead(null);
              ledger.record(b, "h@b#p1", 2);
            });
    Instant third = Instant.parse("2026-01-01T00:00:03Z");
    ledger.acknowledge("h@b#p1", List.of(a, b), third);
    assertEquals("1\n", sql(acknowledgedAt(tag, third)), "the volume placed again");
  }

  private static String acknowledgedAt(String tag, Instant at) {
    return "select count(*) from pool_allocations where volume_id like '%"
        + tag
        + "' and acked_report_at = '"
        + at
        + "'";
  }

  private static Set<String> described(List<InFlightAllocation> read, String tag) {
    return read.stream()
        .filter(a -> a.volumeId().contains(tag))
        .map(a -> a.volumeId() + " " + a.pool() + " " + a.sizeGb())
        .collect(Collectors.toSet());
  }

  private String sql(String statement) throws Exception {
    try (var connection = dataSource.getConnection();
        var st = connection.createStatement()) {
      if (!st.execute(statement)) {
        return null;
      }
      StringBuilder all = new StringBuilder();
      try (var rows = st.getResultSet()) {
        while (rows.next()) {
          all.append(rows.getString(1)).append('\n');
        }
      }
      return all.toString();
    }
  }
}
