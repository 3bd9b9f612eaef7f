package io.ember.api.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.api.fault.QuotaExceeded;
import io.ember.api.quota.QuotaService;
import io.ember.model.RequestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quota reservation on its own: held by execute, given back by revert. */
class QuotaReserveTaskTest {

  private final QuotaReserveTask task = new QuotaReserveTask();
  private final FakeQuota quota = new FakeQuota(1);

  private CreateVolumeContext context(int size) {
    CreateVolumeContext context =
        new CreateVolumeContext(null, new RequestContext("req-1", "alice", "p1", List.of()));
    context.useQuota(quota);
    context.quotaDeltas = QuotaService.forVolume(size, QuotaService.DEFAULT_TYPE);
    return context;
  }

  @Test
  void executeHoldsTheDeltasAndKeepsTheReservationInTheContext() {
    CreateVolumeContext context = context(3);

    task.execute(context);

    assertEquals(context.quotaDeltas, context.reservation.deltas());
    assertEquals(context.quotaDeltas, quota.held());
    assertEquals(Map.of(), quota.committed());
  }

  @Test
  void aRefusedReservationHoldsNothingAndLeavesNoReservation() {
    task.execute(context(1));
    CreateVolumeContext second = context(1);

    QuotaExceeded refused = assertThrows(QuotaExceeded.class, () -> task.execute(second));

    assertEquals(413, refused.status());
    assertNull(second.reservation);
    assertEquals(1, quota.held().get("volumes"), "only the first one's");
  }

  @Test
  void revertRollsTheReservationBack() {
    CreateVolumeContext context = context(3);
    task.execute(context);

    task.revert(context, new IllegalStateException("a later task failed"));

    assertEquals(Map.of(), quota.held());
    assertEquals(Map.of(), quota.committed());
    task.execute(context(1)); // the limit of one volume is free again
  }
}
