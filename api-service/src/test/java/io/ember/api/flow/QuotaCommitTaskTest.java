package io.ember.api.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.quota.QuotaService;
import io.ember.model.RequestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quota commit on its own: the reservation becomes usage, and revert gives the usage back. */
class QuotaCommitTaskTest {

  private final QuotaCommitTask task = new QuotaCommitTask();
  private final FakeQuota quota = new FakeQuota(10);

  /** A context whose quota was reserved, as the reserve task leaves it. */
  private CreateVolumeContext reserved(int size) {
    CreateVolumeContext context =
        new CreateVolumeContext(null, new RequestContext("req-1", "alice", "p1", List.of()));
    context.useQuota(quota);
    context.quotaDeltas = QuotaService.forVolume(size, QuotaService.DEFAULT_TYPE);
    context.reservation = quota.reserve(context.quotaDeltas);
    return context;
  }

  @Test
  void executeTurnsTheReservationIntoUsage() {
    CreateVolumeContext context = reserved(4);

    task.execute(context);

    assertEquals(Map.of(), quota.held());
    assertEquals(context.quotaDeltas, quota.committed());
  }

  @Test
  void revertGivesTheCommittedUsageBack() {
    CreateVolumeContext kept = reserved(1);
    task.execute(kept);
    CreateVolumeContext reverted = reserved(4);
    task.execute(reverted);

    task.revert(reverted, new IllegalStateException("a later task failed"));

    assertEquals(Map.of(), quota.held());
    assertEquals(kept.quotaDeltas, quota.committed(), "only the other create's usage is left");
  }
}
