package io.ember.scheduler.flow;

import static io.ember.scheduler.Fixtures.NOW;
import static io.ember.scheduler.Fixtures.report;
import static io.ember.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.MigrateVolume;
import io.ember.model.contract.MigrateVolumeToHost;
import io.ember.model.contract.VolumeMigrateFailed;
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
 * Cinder's {@code migrate_volume_to_host}: the destination's pools alone go through the filters;
 * one that passes gets the volume's host a {@code migrate_volume}, none fails the migration.
 */
class MigrateVolumeToHostFlowTest {

  private final Topics topics = new Topics("test");
  private final RecordingOutbox outbox = new RecordingOutbox();
  private final PoolRegistry registry =
      new PoolRegistry(Fixtures.Config.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
  private final MigrateVolumeToHostFlow flow =
      new MigrateVolumeToHostFlow(
          new FilterScheduler(registry, Fixtures.Config.defaults()),
          new SchedulerMessages(outbox, topics, Fixtures.Config.defaults()));

  @BeforeEach
  void pools() {
    registry.update(report("node1@fake#pool").extra(Map.of("tier", "gold")).build());
    registry.update(report("node2@fake#small").capacity(100, 5, 95).thin(false, 1).build());
    registry.update(report("node2@fake#big").capacity(1000, 900, 100).build());
    // The emptiest pool of all is on a host not asked for: never chosen.
    registry.update(report("node3@fake#pool").capacity(10000, 10000, 0).build());
  }

  private static Envelope request(int sizeGb, Map<String, String> extraSpecs, String destination) {
    return Envelope.of(
        MessageType.MIGRATE_VOLUME_TO_HOST,
        "v1",
        new RequestContext("req-1", "admin", "project", List.of("admin")),
        new MigrateVolumeToHost(
            volume("v1", sizeGb, null, extraSpecs), "node1@fake#pool", destination, true));
  }

  @Test
  void aDestinationThatPassesGetsTheVolumesHostToMoveItThere() {
    flow.run(request(10, Map.of(), "node2@fake"));

    assertEquals(1, outbox.sent.size());
    RecordingOutbox.Sent sent = outbox.sent.get(0);
    assertEquals(topics.volumeHost("node1@fake"), sent.topic(), "to the source host");
    assertEquals(MessageType.MIGRATE_VOLUME.wire(), sent.envelope().type());
    MigrateVolume command = sent.envelope().payloadAs(MigrateVolume.class);
    assertEquals("node2@fake#big", command.destPool(), "the pool of node2 that fits, weighed");
    assertEquals("node1@fake#pool", command.pool());
    assertTrue(command.forceHostCopy());
    assertEquals(10, command.size());
    assertEquals("req-1", sent.envelope().context().requestId());
  }

  @Test
  void aNamedPoolIsTheOnlyCandidate() {
    flow.run(request(1, Map.of(), "node2@fake#small"));
    assertEquals(
        "node2@fake#small",
        outbox.sent.get(0).envelope().payloadAs(MigrateVolume.class).destPool());
  }

  @Test
  void aDestinationThatFailsTheFiltersEndsTheMigrationInError() {
    // node2's pools lack the type's capability tier=gold.
    flow.run(request(1, Map.of("tier", "gold"), "node2@fake"));
    assertFailed("tier");

    outbox.sent.clear();
    // Too big for the pool named.
    flow.run(request(50, Map.of(), "node2@fake#small"));
    assertFailed("node2@fake#small");
  }

  private void assertFailed(String reasonMentions) {
    assertEquals(2, outbox.sent.size(), outbox.sent.toString());
    Envelope event = outbox.sent.get(0).envelope();
    assertEquals(topics.volumeEvents(), outbox.sent.get(0).topic());
    assertEquals(MessageType.VOLUME_MIGRATE_FAILED.wire(), event.type());
    VolumeMigrateFailed failed = event.payloadAs(VolumeMigrateFailed.class);
    assertEquals("v1", failed.volumeId());
    Envelope notification = outbox.sent.get(1).envelope();
    assertEquals(topics.notifications(), outbox.sent.get(1).topic());
    CloudEvent cloudEvent = CloudEvent.of(notification);
    assertEquals("scheduler.migrate_volume_to_host", cloudEvent.type());
    assertEquals("ERROR", cloudEvent.priority());
    assertTrue(
        failed.reason().contains(reasonMentions) || failed.reason().contains("node2"),
        failed.reason());
  }
}
