package io.ember.scheduler.flow;

import static io.ember.scheduler.Fixtures.NOW;
import static io.ember.scheduler.Fixtures.report;
import static io.ember.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ExtendVolume;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.ember.model.contract.ScheduleExtend;
import io.ember.model.contract.VolumeExtendFailed;
import io.ember.model.flow.FlowFailedException;
import io.ember.scheduler.Fixtures;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.outbound.SchedulerMessages;
import io.ember.scheduler.placement.FilterScheduler;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's extend check (Cinder's scheduler manager {@code extend_volume}): the volume's own
 * pool must have room for the added size; it then gets {@code extend_volume}, else the API is told
 * with no valid backend and Cinder's {@code scheduler.extend_volume} ERROR notification goes out.
 */
class ExtendVolumeFlowTest {

  private static final String POOL = "node1@fake#pool";

  private final Topics topics = new Topics("test");
  private final RecordingOutbox outbox = new RecordingOutbox();
  private final InMemoryLedger ledger = new InMemoryLedger();
  private final PoolRegistry registry =
      new PoolRegistry(Fixtures.Config.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

  /** A transaction that is never completed: what a rollback would give back is not tested here. */
  private static final TransactionSynchronizationRegistry TRANSACTIONS =
      (TransactionSynchronizationRegistry)
          Proxy.newProxyInstance(
              ExtendVolumeFlowTest.class.getClassLoader(),
              new Class<?>[] {TransactionSynchronizationRegistry.class},
              (proxy, method, args) -> null);

  private ExtendVolumeFlow flow(RecordingOutbox sink) {
    return new ExtendVolumeFlow(
        new FilterScheduler(registry, Fixtures.Config.defaults()),
        registry,
        ledger,
        new SchedulerMessages(sink, topics, Fixtures.Config.defaults()),
        TRANSACTIONS);
  }

  private static Envelope request(String volumeId, int size, int newSize) {
    return Envelope.of(
        MessageType.SCHEDULE_EXTEND,
        volumeId,
        new RequestContext("req-1", "user", "project", List.of()),
        new ScheduleExtend(volume(volumeId, size), POOL, newSize, "available"));
  }

  @Test
  void aPoolWithRoomForTheAddedSizeGetsTheExtendAndCountsIt() {
    // Thick, 30 GB free: the added 20 GB fit, though the whole new size (25) would not matter.
    registry.update(report(POOL).thin(false, 1).capacity(100, 30, 70).build());

    flow(outbox).run(request("v1", 5, 25));

    assertEquals(1, outbox.sent.size());
    assertEquals(topics.volumeHost("node1@fake"), outbox.sent.get(0).topic());
    Envelope cast = outbox.sent.get(0).envelope();
    assertEquals(MessageType.EXTEND_VOLUME, cast.messageType());
    assertEquals(
        new ExtendVolume("v1", "project", POOL, 5, 25), cast.payloadAs(ExtendVolume.class));
    assertEquals("req-1", cast.context().requestId());

    // The 20 GB now count on the pool, for every replica (the shared ledger), under the extend's
    // own key: 10 GB more fit, 11 do not.
    assertEquals(
        List.of("v1:extend:25 " + POOL + " 20.0"),
        ledger.rows.values().stream()
            .map(r -> r.volumeId() + " " + r.pool() + " " + r.sizeGb())
            .toList());
    flow(outbox).run(request("v2", 1, 11));
    assertEquals(MessageType.EXTEND_VOLUME, outbox.sent.get(1).envelope().messageType());
    flow(outbox).run(request("v3", 1, 12));
    assertEquals(MessageType.VOLUME_EXTEND_FAILED, outbox.sent.get(2).envelope().messageType());
  }

  @Test
  void anotherReplicasPlacementsCountAgainstTheExtend() {
    registry.update(report(POOL).thin(false, 1).capacity(100, 30, 70).build());
    // Another scheduler placed 15 GB on the pool that no report includes yet.
    ledger.record("theirs", POOL, 15);

    flow(outbox).run(request("v1", 5, 25));

    assertEquals(MessageType.VOLUME_EXTEND_FAILED, outbox.sent.get(0).envelope().messageType());
    assertEquals(List.of("theirs"), List.copyOf(ledger.rows.keySet()));
  }

  @Test
  void aPoolWithoutRoomRefusesTheExtendAsNoValidBackendWithCindersNotification() {
    registry.update(report(POOL).thin(false, 1).capacity(100, 10, 90).build());
    // Another pool with room does not help: an extend stays where the volume is.
    registry.update(report("node2@fake#pool").capacity(1000, 1000, 0).build());

    flow(outbox).run(request("v1", 1, 20));

    assertEquals(
        List.of(topics.volumeEvents(), topics.notifications()),
        outbox.sent.stream().map(RecordingOutbox.Sent::topic).toList());
    VolumeExtendFailed failed = outbox.sent.get(0).envelope().payloadAs(VolumeExtendFailed.class);
    assertEquals(
        new VolumeExtendFailed(
            "v1", 1, 20, "No valid backend was found. Cannot place volume v1 on " + POOL, true),
        failed);
    Notification note = outbox.sent.get(1).envelope().payloadAs(Notification.class);
    CloudEvent event = CloudEvent.of(outbox.sent.get(1).envelope());
    assertEquals("scheduler.extend_volume", event.type());
    assertEquals("ERROR", note.priority());
    Map<String, Object> state = new HashMap<>();
    state.put("status", "available");
    state.put("previous_status", null);
    assertEquals(state, event.dataFields().get("state"));
    assertEquals("extend_volume", event.dataFields().get("method"));
  }

  @Test
  void aVolumeWhosePoolIsNotReportingCannotBeExtended() {
    registry.update(report("node2@fake#pool").capacity(1000, 1000, 0).build());

    flow(outbox).run(request("v1", 1, 2));

    assertEquals(MessageType.VOLUME_EXTEND_FAILED, outbox.sent.get(0).envelope().messageType());
    assertTrue(
        outbox.sent.stream()
            .noneMatch(s -> s.envelope().messageType() == MessageType.EXTEND_VOLUME));
  }

  @Test
  void aCastThatCannotBeWrittenFailsTheFlowSoTheRequestIsRetried() {
    registry.update(report(POOL).capacity(1000, 1000, 0).build());
    RecordingOutbox broken = new RecordingOutbox().failingWith(new IllegalStateException("db"));

    assertThrows(FlowFailedException.class, () -> flow(broken).run(request("v1", 1, 2)));
  }
}
