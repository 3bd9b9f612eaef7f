package io.ember.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.model.Topics;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Many deletes of one project at once share transactions (group commit); each still gets its own
 * answer, a refused one changes nothing, and every accepted one is in the database and on its
 * host's topic exactly once.
 */
@QuarkusTest
class ConcurrentDeletesTest {

  private static final String HOST = "node1@fake";
  private static final String REFUSED =
      "Invalid volume: Volume status must be available or error or error_restoring or"
          + " error_extending or error_managing and must not be migrating, attached, belong to a"
          + " group, have snapshots, awaiting a transfer, or be disassociated from snapshots after"
          + " volume transfer.";

  private final ProjectApi api = new ProjectApi();
  private final Topics topics = new Topics(TestKafka.prefix());

  @Test
  void concurrentDeletesEachGetTheirOwnAnswer() throws Exception {
    api.admin()
        .body("{\"quota_set\": {\"volumes\": 50}}")
        .put("/v3/" + api.project + "/os-quota-sets/" + api.project)
        .then()
        .statusCode(200);
    Set<String> placed = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      String id = api.create(api.as("alice"), 1);
      api.announceCreated(HOST, id);
      placed.add(id);
    }
    for (String id : placed) {
      api.awaitStatus(id, "available");
    }
    Set<String> creating = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      creating.add(api.create(api.as("alice"), 1));
    }
    // Never placed, then set to error by an admin: deleted by the API itself.
    Set<String> neverPlaced = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      String id = api.create(api.as("alice"), 1);
      resetStatus(id, "{\"status\": \"error\"}");
      neverPlaced.add(id);
    }
    String attached = api.create(api.as("alice"), 1);
    api.placeOn(HOST, attached);
    resetStatus(attached, "{\"attach_status\": \"attached\"}");
    Set<String> missing =
        Set.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "not-a-volume-id", "42");
    assertEquals(18, api.inUse("volumes"));

    List<String> targets = new ArrayList<>();
    targets.addAll(placed);
    targets.addAll(creating);
    targets.addAll(neverPlaced);
    targets.add(attached);
    targets.addAll(missing);
    // One of the placed volumes twice: whichever comes second finds it deleting.
    String twice = placed.iterator().next();
    targets.add(twice);
    Map<String, List<Response>> all = deleteAllAtOnce(targets);
    List<Integer> twiceAnswered =
        all.remove(twice).stream().map(Response::statusCode).sorted().toList();
    assertEquals(List.of(202, 400), twiceAnswered);
    Map<String, Response> answers = new HashMap<>();
    all.forEach((id, answered) -> answers.put(id, answered.get(0)));

    for (String id : placed) {
      if (!id.equals(twice)) {
        assertEquals(202, answers.get(id).statusCode(), answers.get(id).asString());
      }
      assertEquals("deleting", api.statusOf(id));
    }
    for (String id : neverPlaced) {
      assertEquals(202, answers.get(id).statusCode(), answers.get(id).asString());
      assertEquals("404", api.statusOf(id));
    }
    for (String id : creating) {
      assertEquals(400, answers.get(id).statusCode());
      assertEquals(REFUSED, answers.get(id).path("badRequest.message"));
      assertEquals("creating", api.statusOf(id));
    }
    assertEquals(400, answers.get(attached).statusCode());
    assertEquals("available", api.statusOf(attached));
    for (String id : missing) {
      assertEquals(404, answers.get(id).statusCode(), id);
      assertEquals(
          "Volume " + id + " could not be found.", answers.get(id).path("itemNotFound.message"));
    }
    // Quota is held until the host reports a delete; only the never-placed ones gave it back.
    assertEquals(16, api.inUse("volumes"));

    Set<String> onTheHost = new HashSet<>(placed);
    onTheHost.add(attached);
    List<ConsumerRecord<String, String>> commands =
        TestKafka.await(
            topics.volumeHost(HOST),
            r ->
                onTheHost.contains(r.key()) && r.value().contains(MessageType.DELETE_VOLUME.wire()),
            placed.size() + 1,
            Duration.ofSeconds(3));
    Set<String> commanded = new HashSet<>();
    for (ConsumerRecord<String, String> command : commands) {
      Envelope envelope = Envelope.fromJson(command.value());
      assertEquals(MessageType.DELETE_VOLUME.wire(), envelope.type());
      commanded.add(envelope.payloadAs(DeleteVolume.class).volumeId());
    }
    assertEquals(placed, commanded, "one delete command per accepted volume, none for the refused");
    assertEquals(placed.size(), commands.size());
  }

  private void resetStatus(String id, String fields) {
    api.admin()
        .body("{\"os-reset_status\": " + fields + "}")
        .post(api.volumes() + "/" + id + "/action")
        .then()
        .statusCode(202);
  }

  /** DELETE of every id, all released at the same moment; the answers by id, in order. */
  private Map<String, List<Response>> deleteAllAtOnce(List<String> ids) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<Response>> calls = new ArrayList<>();
    for (String id : ids) {
      calls.add(
          () -> {
            start.await();
            return api.as("alice").delete(api.volumes() + "/" + id);
          });
    }
    ExecutorService pool = Executors.newFixedThreadPool(ids.size());
    Map<String, List<Response>> answers = new HashMap<>();
    try {
      List<Future<Response>> pending = new ArrayList<>();
      for (Callable<Response> call : calls) {
        pending.add(pool.submit(call));
      }
      start.countDown();
      for (int i = 0; i < ids.size(); i++) {
        answers.computeIfAbsent(ids.get(i), id -> new ArrayList<>()).add(pending.get(i).get());
      }
    } finally {
      pool.shutdownNow();
    }
    return answers;
  }
}
