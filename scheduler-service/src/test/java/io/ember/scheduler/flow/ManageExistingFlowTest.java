package io.ember.scheduler.flow;

import static io.ember.scheduler.Fixtures.NOW;
import static io.ember.scheduler.Fixtures.report;
import static io.ember.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ManageExisting;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.VolumeManageFailed;
import io.ember.scheduler.Fixtures;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.outbound.SchedulerMessages;
import io.ember.scheduler.placement.FilterScheduler;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cinder's scheduler {@code manage_existing}: the named host's pools alone go through the filters
 * for the volume; one that passes gets {@code manage_existing} with its pool, none ends the manage
 * in {@code error_managing} with {@code scheduler.manage_existing}.
 */
class ManageExistingFlowTest {

  private final Topics topics = new Topics("test");
  private final RecordingOutbox outbox = new RecordingOutbox();
  private final PoolRegistry registry =
      new PoolRegistry(Fixtures.Config.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
  private final ManageExistingFlow flow =
      new ManageExistingFlow(
          new FilterScheduler(registry, Fixtures.Config.defaults()),
          new SchedulerMessages(outbox, topics, Fixtures.Config.defaults()));

  @BeforeEach
  void pools() {
    registry.update(report("node1@fake#pool").extra(Map.of("tier", "gold")).build());
    registry.update(report("node2@fake#fake").build());
  }

  private static Envelope request(Map<String, String> extraSpecs, String host) {
    return Envelope.of(
        MessageType.SCHEDULE_MANAGE_EXISTING,
        "v1",
        new RequestContext("req-1", "admin", "project", List.of("admin")),
        new ManageExisting(
            volume("v1", 0, null, extraSpecs), host, Map.of("source-name", "volume-old")));
  }

  @Test
  void aHostThatPassesGetsManageExistingWithThePoolFound() {
    flow.run(request(Map.of("tier", "gold"), "node1@fake"));

    assertEquals(1, outbox.sent.size());
    RecordingOutbox.Sent sent = outbox.sent.get(0);
    assertEquals(topics.volumeHost("node1@fake"), sent.topic());
    assertEquals(MessageType.MANAGE_EXISTING.wire(), sent.envelope().type());
    ManageExisting command = sent.envelope().payloadAs(ManageExisting.class);
    assertEquals("node1@fake#pool", command.host());
    assertEquals(Map.of("source-name", "volume-old"), command.ref());
    assertEquals("v1", command.volume().volumeId());
  }

  @Test
  void aHostTheTypeDoesNotFitOrNoHostAtAllEndsInAFailedManage() {
    flow.run(request(Map.of("tier", "gold"), "node2@fake#fake"));
    assertFailed();

    outbox.sent.clear();
    flow.run(request(Map.of(), "node9@fake"));
    assertFailed();
  }

  private void assertFailed() {
    assertEquals(2, outbox.sent.size(), outbox.sent.toString());
    assertEquals(topics.volumeEvents(), outbox.sent.get(0).topic());
    Envelope event = outbox.sent.get(0).envelope();
    assertEquals(MessageType.VOLUME_MANAGE_FAILED.wire(), event.type());
    VolumeManageFailed failed = event.payloadAs(VolumeManageFailed.class);
    assertEquals("v1", failed.volumeId());
    assertNull(failed.pool());
    assertTrue(
        failed.reason().startsWith("No valid backend was found. Cannot place volume v1 on "),
        failed.reason());
    CloudEvent note = CloudEvent.of(outbox.sent.get(1).envelope());
    assertEquals("scheduler.manage_existing", note.type());
    assertEquals("ERROR", note.priority());
  }
}
