package io.ember.scheduler.flow;

import static io.ember.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.ember.model.contract.Retry;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeSpec;
import io.ember.scheduler.Fixtures;
import io.ember.scheduler.outbound.SchedulerMessages;
import io.ember.scheduler.placement.NoValidBackendException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifySchedulerFailureTaskTest {

  private final Topics topics = new Topics("test");
  private final RecordingOutbox outbox = new RecordingOutbox();
  private final NotifySchedulerFailureTask task =
      new NotifySchedulerFailureTask(
          new SchedulerMessages(outbox, topics, Fixtures.Config.defaults()));

  private final VolumeSpec volume = volume("v1", 10);
  private final Envelope request =
      Envelope.of(
          MessageType.SCHEDULE_VOLUME,
          "v1",
          new RequestContext("req-1", "user", "project", List.of()),
          new ScheduleVolume(volume, Retry.first()));

  private CreateVolumeContext extracted() {
    CreateVolumeContext context = new CreateVolumeContext(request);
    context.setRequestSpec(volume, Retry.first());
    return context;
  }

  @Test
  void executeSendsNothing() {
    task.execute(new CreateVolumeContext(request));
    assertTrue(outbox.sent.isEmpty());
  }

  @Test
  void revertAfterNoValidBackendFailsTheVolumeWithTheReason() {
    task.revert(
        extracted(), new NoValidBackendException("No weighed backends available", "live=0"));

    assertEquals(2, outbox.sent.size());
    RecordingOutbox.Sent event = outbox.sent.get(0);
    assertEquals(topics.volumeEvents(), event.topic());
    assertEquals(MessageType.VOLUME_CREATE_FAILED, event.envelope().messageType());
    assertEquals("v1", event.envelope().key());
    assertEquals("req-1", event.envelope().requestId());
    VolumeCreateFailed failed = event.envelope().payloadAs(VolumeCreateFailed.class);
    assertEquals("v1", failed.volumeId());
    assertNull(failed.pool());
    assertEquals("No valid backend was found. No weighed backends available", failed.reason());

    RecordingOutbox.Sent sent = outbox.sent.get(1);
    assertEquals(topics.notifications(), sent.topic());
    assertEquals("v1", sent.envelope().key());
    assertEquals("req-1", sent.envelope().requestId());
    Notification notification = sent.envelope().payloadAs(Notification.class);
    assertEquals("scheduler.test", notification.publisherId());
    assertEquals("scheduler.create_volume", notification.eventType());
    assertEquals("ERROR", notification.priority());
    Map<String, Object> fields = notification.payloadFields();
    assertEquals("v1", fields.get("volume_id"));
    assertEquals("error", fields.get("state"));
    assertEquals("create_volume", fields.get("method"));
    assertEquals(failed.reason(), fields.get("reason"));
    assertEquals(10, ((Map<?, ?>) fields.get("request_spec")).get("size"));
  }

  @Test
  void revertAfterAnyOtherFailureSendsNothing() {
    // The transaction rolls back and the request is retried or dead-lettered: nothing to announce.
    task.revert(extracted(), new IllegalStateException("database gone"));
    task.revert(new CreateVolumeContext(request), new ContractException("no volume"));
    assertTrue(outbox.sent.isEmpty());
  }
}
