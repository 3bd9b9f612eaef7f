package io.ember.api.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestHostTopic;
import io.ember.api.testsupport.TestKafka;
import io.ember.api.testsupport.VolumeHostSide;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.SnapshotCreateFailed;
import io.ember.model.contract.SnapshotCreated;
import io.ember.model.contract.SnapshotDeleteFailed;
import io.ember.model.contract.SnapshotDeleted;
import io.ember.model.contract.VolumeReverted;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The hosts' snapshot results as the events topic brings them: many in one poll, in their order,
 * replayed, late, about snapshots that are gone, or unreadable; each has the effect it would have
 * alone and none stops the ones behind it.
 */
@QuarkusTest
class SnapshotEventsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ProjectApi api = new ProjectApi();
  private final VolumeHostSide host = new VolumeHostSide(api.project);
  private final Topics topics = new Topics(TestKafka.prefix());

  private String snapshots() {
    return "/v3/" + api.project + "/snapshots";
  }

  private String snapshotOf(String volume) {
    return api.as("alice")
        .body("{\"snapshot\": {\"volume_id\": \"" + volume + "\"}}")
        .post(snapshots())
        .then()
        .statusCode(202)
        .extract()
        .path("snapshot.id");
  }

  private String status(String id) {
    Response r = api.admin().get(snapshots() + "/" + id);
    return r.statusCode() == 404 ? "404" : r.path("snapshot.status");
  }

  private void await(String id, String status) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String seen;
    while (!status.equals(seen = status(id))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("snapshot " + id + " stayed " + seen + ", expected " + status);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void aPollOfSnapshotEventsHasEachEventsEffectOnce() throws Exception {
    String volume = api.create(api.as("alice"), 2);
    api.placeOn(TestHostTopic.HOST, volume);
    String created = snapshotOf(volume);
    String failed = snapshotOf(volume);
    String failedThenCreated = snapshotOf(volume);
    String deleteFails = snapshotOf(volume);
    assertEquals(4, api.inUse("snapshots"));

    // First deleteFails must be available, then deleting, for its delete_failed to apply.
    host.publish(
        volume,
        host.event(
            MessageType.SNAPSHOT_CREATED,
            volume,
            new SnapshotCreated(deleteFails, volume, "fake://d")));
    await(deleteFails, "available");
    api.as("alice").delete(snapshots() + "/" + deleteFails).then().statusCode(202);

    Envelope createdEvent =
        host.event(
            MessageType.SNAPSHOT_CREATED, volume, new SnapshotCreated(created, volume, "fake://c"));
    String gone = UUID.randomUUID().toString();
    List<Envelope> poll = new ArrayList<>();
    poll.add(createdEvent);
    poll.add(
        host.event(
            MessageType.SNAPSHOT_CREATE_FAILED,
            volume,
            new SnapshotCreateFailed(failed, volume, "no space")));
    poll.add(
        host.event(
            MessageType.SNAPSHOT_CREATE_FAILED,
            volume,
            new SnapshotCreateFailed(failedThenCreated, volume, "no space")));
    poll.add(
        host.event(
            MessageType.SNAPSHOT_CREATED,
            volume,
            new SnapshotCreated(failedThenCreated, volume, "fake://late")));
    poll.add(
        host.event(
            MessageType.SNAPSHOT_DELETE_FAILED,
            volume,
            new SnapshotDeleteFailed(deleteFails, volume, "busy")));
    // About snapshots this API never had, or no longer has: nothing to do.
    poll.add(host.event(MessageType.SNAPSHOT_DELETED, volume, new SnapshotDeleted(gone, volume)));
    poll.add(
        host.event(MessageType.SNAPSHOT_CREATED, volume, new SnapshotCreated(gone, volume, null)));
    poll.add(host.event(MessageType.VOLUME_REVERTED, volume, new VolumeReverted(volume, gone)));
    poll.add(createdEvent); // the same message again: one effect
    host.publish(volume, poll.toArray(Envelope[]::new));

    await(created, "available");
    await(failed, "error");
    await(failedThenCreated, "error");
    await(deleteFails, "error_deleting");
    assertEquals("available", api.statusOf(volume), "a revert result for no revert is ignored");
    assertEquals(4, api.inUse("snapshots"), "failed snapshots keep their quota until deleted");
    assertEquals(
        "100%",
        api.admin()
            .get(snapshots() + "/" + created)
            .path("snapshot.'os-extended-snapshot-attributes:progress'"));
    Integer rows =
        api.admin()
            .header("OpenStack-API-Version", "volume 3.45")
            .get(snapshots() + "?with_count=true")
            .path("count");
    assertEquals(4, rows);
  }

  @Test
  void anUnreadableSnapshotEventIsDeadLetteredAndTheNextOneApplies() throws Exception {
    String volume = api.create(api.as("alice"), 1);
    api.placeOn(TestHostTopic.HOST, volume);
    String snapshot = snapshotOf(volume);

    Envelope poison =
        Envelope.of(
            MessageType.SNAPSHOT_CREATED,
            volume,
            new RequestContext("req-test", "admin", api.project, List.of()),
            Map.of("snapshotId", Map.of("not", "a string")));
    String poisonJson = poison.toJson();
    TestKafka.produce(topics.volumeEvents(), volume, poisonJson);
    host.publish(
        volume,
        host.event(
            MessageType.SNAPSHOT_CREATED, volume, new SnapshotCreated(snapshot, volume, "f://s")));
    await(snapshot, "available");

    List<ConsumerRecord<String, String>> dead =
        TestKafka.await(topics.deadLetter(), r -> r.value().contains(poison.messageId()), 1, WAIT);
    assertEquals(1, dead.size());
    assertTrue(dead.get(0).headers().lastHeader("dead-letter-reason") != null);
  }
}
