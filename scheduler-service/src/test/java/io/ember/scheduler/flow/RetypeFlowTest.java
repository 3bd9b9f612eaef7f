package io.ember.scheduler.flow;

import static io.ember.scheduler.Fixtures.NOW;
import static io.ember.scheduler.Fixtures.report;
import static io.ember.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.MigrateVolume;
import io.ember.model.contract.Notification;
import io.ember.model.contract.RetypeVolume;
import io.ember.model.contract.ScheduleRetype;
import io.ember.model.contract.VolumeRetypeFailed;
import io.ember.scheduler.Fixtures;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.outbound.SchedulerMessages;
import io.ember.scheduler.placement.FilterScheduler;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's retype check (Cinder's {@code find_retype_backend}): the volume's own pool,
 * filtered for the new type, takes it in place; a pool that does not fit answers a failed retype
 * under {@code never}, and under {@code on-demand} sends the volume to the best pool that fits.
 */
class RetypeFlowTest {

  private static final String POOL = "node1@fake#pool";

  private final Topics topics = new Topics("test");
  private final RecordingOutbox outbox = new RecordingOutbox();
  private final PoolRegistry registry =
      new PoolRegistry(Fixtures.Config.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

  private RetypeFlow flow() {
    return new RetypeFlow(
        new FilterScheduler(registry, Fixtures.Config.defaults()),
        new SchedulerMessages(outbox, topics, Fixtures.Config.defaults()));
  }

  private static Envelope request(Map<String, String> newSpecs, int sizeGb, String policy) {
    return Envelope.of(
        MessageType.SCHEDULE_RETYPE,
        "v1",
        new RequestContext("req-1", "user", "project", List.of()),
        new ScheduleRetype(volume("v1", sizeGb, null, newSpecs), POOL, policy, "in-use", false));
  }

  @Test
  void theVolumesOwnPoolThatFitsTheNewTypeGetsTheRetypeEvenWhenFull() {
    // Full: a new volume would not fit, but this one is there already (Cinder's vol_exists_on).
    registry.update(
        report(POOL).thin(false, 1).capacity(100, 0, 100).extra(Map.of("tier", "gold")).build());
    registry.update(report("node2@fake#pool").capacity(1000, 1000, 0).build());

    flow().run(request(Map.of("tier", "gold"), 50, "never"));

    assertEquals(1, outbox.sent.size());
    assertEquals(topics.volumeHost("node1@fake"), outbox.sent.get(0).topic());
    Envelope cast = outbox.sent.get(0).envelope();
    assertEquals(MessageType.RETYPE_VOLUME, cast.messageType());
    assertEquals(
        new RetypeVolume("v1", "project", POOL, "type", Map.of("tier", "gold"), "never", false),
        cast.payloadAs(RetypeVolume.class));
  }

  @Test
  void aPoolThatDoesNotFitTheNewTypeFailsTheRetypeWithCindersNotification() {
    registry.update(report(POOL).extra(Map.of("tier", "silver")).build());

    flow().run(request(Map.of("tier", "gold"), 1, "never"));

    assertEquals(
        List.of(topics.volumeEvents(), topics.notifications()),
        outbox.sent.stream().map(RecordingOutbox.Sent::topic).toList());
    VolumeRetypeFailed failed = outbox.sent.get(0).envelope().payloadAs(VolumeRetypeFailed.class);
    assertEquals(
        new VolumeRetypeFailed(
            "v1",
            "type",
            "No valid backend was found. No valid backends for volume v1 with type type",
            true),
        failed);
    Notification note = outbox.sent.get(1).envelope().payloadAs(Notification.class);
    CloudEvent event = CloudEvent.of(outbox.sent.get(1).envelope());
    assertEquals("scheduler.retype", event.type());
    assertEquals("ERROR", note.priority());
    assertEquals(Map.of("status", "in-use"), event.dataFields().get("state"));
  }

  @Test
  void onDemandWhenOnlyAnotherPoolFitsMigratesThereAndNeverRefuses() {
    registry.update(report(POOL).extra(Map.of("tier", "silver")).build());
    registry.update(report("node2@fake#pool").extra(Map.of("tier", "gold")).build());

    flow().run(request(Map.of("tier", "gold"), 1, "on-demand"));

    assertEquals(1, outbox.sent.size());
    assertEquals(topics.volumeHost("node1@fake"), outbox.sent.get(0).topic());
    Envelope cast = outbox.sent.get(0).envelope();
    assertEquals(MessageType.MIGRATE_VOLUME, cast.messageType());
    assertEquals(
        new MigrateVolume("v1", "project", 1, POOL, "node2@fake#pool", false),
        cast.payloadAs(MigrateVolume.class));

    outbox.sent.clear();
    flow().run(request(Map.of("tier", "gold"), 1, "never"));

    assertEquals(2, outbox.sent.size());
    VolumeRetypeFailed failure = outbox.sent.get(0).envelope().payloadAs(VolumeRetypeFailed.class);
    assertEquals(
        "No valid backend was found. Current backend not valid for volume v1 with type type,"
            + " migration not allowed",
        failure.reason());
  }

  @Test
  void onDemandWithNoPoolThatFitsFailsAsNever() {
    registry.update(report(POOL).extra(Map.of("tier", "silver")).build());
    registry.update(report("node2@fake#pool").extra(Map.of("tier", "bronze")).build());

    flow().run(request(Map.of("tier", "gold"), 1, "on-demand"));

    assertEquals(
        List.of(MessageType.VOLUME_RETYPE_FAILED, MessageType.NOTIFICATION),
        outbox.sent.stream().map(s -> s.envelope().messageType()).toList());
  }
}
