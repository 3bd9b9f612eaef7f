package io.ember.api.housekeeping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.ember.model.jdbc.OncePerCycle;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The periodic jobs run once per cycle for the whole service: replicas' timers firing at the same
 * moment get one claim, and this process (the only replica here) still runs the sweep and the audit
 * every cycle.
 */
@QuarkusTest
@TestProfile(FastHousekeeping.class)
class OncePerCycleTest {

  @Inject OncePerCycle cycles;
  @Inject AgroalDataSource dataSource;

  @Test
  void replicasFiringTogetherGetOneClaimPerCycle() throws Exception {
    ExecutorService replicas = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 10; round++) {
        String job = "job-" + UUID.randomUUID();
        List<Callable<Boolean>> timers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          timers.add(() -> cycles.claim(job, Duration.ofMinutes(1)));
        }
        int claimed = 0;
        for (Future<Boolean> f : replicas.invokeAll(timers)) {
          claimed += f.get() ? 1 : 0;
        }
        assertEquals(1, claimed, "round " + round);
      }
    } finally {
      replicas.shutdownNow();
    }
  }

  @Test
  void theNextCycleIsClaimedAgain() throws InterruptedException {
    String job = "job-" + UUID.randomUUID();
    assertTrue(cycles.claim(job, Duration.ofMillis(500)));
    assertFalse(cycles.claim(job, Duration.ofMillis(500)), "same cycle, another replica");
    Thread.sleep(500);
    assertTrue(cycles.claim(job, Duration.ofMillis(500)));
  }

  @Test
  void theSweepAndTheAuditRunEveryCycle() throws Exception {
    // Both every second here (FastHousekeeping).
    long sweeps = runs("deadline-sweep");
    long audits = runs("quota-audit");
    Thread.sleep(4000);
    long sweptSince = runs("deadline-sweep") - sweeps;
    long auditedSince = runs("quota-audit") - audits;
    // At most one run a cycle; a run that outlasts its cycle (a loaded machine: the sweep is ten
    // transactions) skips the next, so at least two, not four.
    assertTrue(sweptSince >= 2 && sweptSince <= 5, "sweeps in 4 s: " + sweptSince);
    assertTrue(auditedSince >= 2 && auditedSince <= 5, "audits in 4 s: " + auditedSince);
  }

  private long runs(String job) throws Exception {
    try (var connection = dataSource.getConnection();
        var st = connection.prepareStatement("select runs from periodic_runs where job = ?")) {
      st.setString(1, job);
      try (var rows = st.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0;
      }
    }
  }
}
