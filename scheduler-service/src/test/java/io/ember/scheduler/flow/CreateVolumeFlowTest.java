package io.ember.scheduler.flow;

import static io.ember.scheduler.Fixtures.NOW;
import static io.ember.scheduler.Fixtures.report;
import static io.ember.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Retry;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.flow.FlowFailedException;
import io.ember.scheduler.Fixtures;
import io.ember.scheduler.capability.InFlightAllocation;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.outbound.SchedulerMessages;
import io.ember.scheduler.placement.FilterScheduler;
import io.ember.scheduler.placement.NoValidBackendException;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CreateVolumeFlowTest {

  private final Topics topics = new Topics("test");
  private final RecordingOutbox outbox = new RecordingOutbox();
  private final InMemoryLedger ledger = new InMemoryLedger();
  private final PoolRegistry registry =
      new PoolRegistry(Fixtures.Config.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

  /** A transaction that is never completed: what a rollback would give back is not tested here. */
  private static final TransactionSynchronizationRegistry TRANSACTIONS =
      (TransactionSynchronizationRegistry)
          Proxy.newProxyInstance(
              CreateVolumeFlowTest.class.getClassLoader(),
              new Class<?>[] {TransactionSynchronizationRegistry.class},
              (proxy, method, args) -> null);

  private CreateVolumeFlow flow() {
    return new CreateVolumeFlow(
        new FilterScheduler(registry, Fixtures.Config.defaults()),
        registry,
        ledger,
        new SchedulerMessages(outbox, topics, Fixtures.Config.defaults()),
        TRANSACTIONS);
  }

  private static Envelope request(MessageType type, int sizeGb) {
    return Envelope.of(
        type,
        "v1",
        new RequestContext("req-1", "user", "project", List.of()),
        new ScheduleVolume(volume("v1", sizeGb), Retry.first()));
  }

  @Test
  void placedVolumeIsCastToItsHost() {
    registry.update(report("node1@fake#pool").build());

    flow().run(request(MessageType.SCHEDULE_VOLUME, 10));

    assertEquals(1, outbox.sent.size());
    assertEquals(topics.volumeHost("node1@fake#pool"), outbox.sent.get(0).topic());
    Envelope cast = outbox.sent.get(0).envelope();
    assertEquals(MessageType.CREATE_VOLUME, cast.messageType());
    assertEquals("node1@fake#pool", cast.payloadAs(CreateVolume.class).pool());
  }

  @Test
  void noValidBackendFailsTheVolumeAndIsAnOutcomeNotAFault() {
    registry.update(report("node1@fake#pool").thin(false, 1).capacity(100, 100, 0).build());

    // Returns: the caller's transaction commits the event and the notification.
    flow().run(request(MessageType.SCHEDULE_VOLUME, 500));

    assertEquals(
        List.of(topics.volumeEvents(), topics.notifications()),
        outbox.sent.stream().map(RecordingOutbox.Sent::topic).toList());
    assertEquals(
        "No valid backend was found. No weighed backends available",
        outbox.sent.get(0).envelope().payloadAs(VolumeCreateFailed.class).reason());
  }

  @Test
  void anotherReplicasPlacementCountsAgainstThePool() {
    registry.update(report("node1@fake#pool").thin(false, 1).capacity(100, 100, 0).build());
    // As the other scheduler left it in the shared ledger: 95 of the 100 GB are on their way.
    ledger.rows.put(
        "other", new InFlightAllocation("other", "node1@fake#pool", 95, NOW.minusSeconds(1), null));

    flow().run(request(MessageType.SCHEDULE_VOLUME, 10));

    assertEquals(topics.volumeEvents(), outbox.sent.get(0).topic(), "only 5 GB are left");
    assertEquals(Set.of("other"), ledger.rows.keySet(), "nothing placed, nothing recorded");
  }

  @Test
  void aPlacementTheHeldReportIncludesNoLongerCounts() {
    // The report of NOW acknowledged the other replica's volume: its 95 GB are in its numbers.
    registry.update(report("node1@fake#pool").thin(false, 1).capacity(100, 100, 0).build());
    ledger.rows.put(
        "other", new InFlightAllocation("other", "node1@fake#pool", 95, NOW.minusSeconds(30), NOW));

    flow().run(request(MessageType.SCHEDULE_VOLUME, 10));

    assertEquals(topics.volumeHost("node1@fake#pool"), outbox.sent.get(0).topic());
    assertEquals(10, ledger.rows.get("v1").sizeGb());
  }

  @Test
  void failingTheVolumeThatFailsTooIsAFault() {
    RuntimeException broken = new IllegalStateException("database gone");
    outbox.failingWith(broken);

    FlowFailedException failure =
        assertThrows(
            FlowFailedException.class, () -> flow().run(request(MessageType.SCHEDULE_VOLUME, 10)));

    assertInstanceOf(NoValidBackendException.class, failure.getCause());
    assertEquals(List.of(broken), List.of(failure.getSuppressed()));
  }

  @Test
  void requestThatBreaksTheContractPropagatesAndSendsNothing() {
    registry.update(report("node1@fake#pool").build());

    FlowFailedException failure =
        assertThrows(
            FlowFailedException.class, () -> flow().run(request(MessageType.CAPABILITIES, 10)));

    assertInstanceOf(ContractException.class, failure.getCause());
    assertEquals("ExtractSchedulerSpecTask", failure.taskName());
    assertTrue(outbox.sent.isEmpty());
  }
}
