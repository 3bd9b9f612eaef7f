package io.ember.api.volumeops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.Topics;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Many deletes of one project at once share transactions (group commit); each still gets its own
 * answer, a refused one changes nothing, and every accepted one is in the database and on its
 * host's topic exactly once. A first delete is held on its volume's row lock while the others queue
 * behind it, so that they run as one batch.
 */
@QuarkusTest
class ConcurrentDeletesTest {

  private static final String HOST = "node1@fake";
  private static final String REFUSED =
      "Invalid volume: Volume status must be available or error or error_restoring or"
          + " error_extending or error_managing and must not be migrating, attached, belong to a"
          + " group, have snapshots, awaiting a transfer, or be disassociated from snapshots after"
          + " volume transfer.";

  @Inject AgroalDataSource dataSource;

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
    for (int i = 0; i < 13; i++) {
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
    assertEquals(19, api.inUse("volumes"));

    String held = placed.iterator().next();
    List<String> targets = new ArrayList<>();
    targets.addAll(placed);
    targets.remove(held);
    targets.addAll(creating);
    targets.addAll(neverPlaced);
    targets.add(attached);
    targets.addAll(missing);
    // One of the placed volumes twice: whichever comes second finds it deleting.
    String twice = targets.get(0);
    targets.add(twice);
    Map<String, List<Response>> all = deleteBehind(held, targets);
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
    assertEquals(17, api.inUse("volumes"));

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

  /**
   * DELETE of {@code held} while its row is locked here, so that its batch waits; then DELETE of
   * every id in {@code ids} at the same moment, queueing behind it; then the lock is let go. The
   * answers by id, in order ({@code held}'s included).
   */
  private Map<String, List<Response>> deleteBehind(String held, List<String> ids) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(ids.size() + 1);
    Map<String, List<Response>> answers = new HashMap<>();
    try (Connection lock = dataSource.getConnection()) {
      lock.setAutoCommit(false);
      try (PreparedStatement select =
          lock.prepareStatement("select id from volumes where id = ? for update")) {
        select.setObject(1, UUID.fromString(held));
        select.executeQuery().close();
      }
      Future<Response> first = pool.submit(() -> delete(held));
      awaitLockWait();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Response>> pending = new ArrayList<>();
      for (String id : ids) {
        pending.add(
            pool.submit(
                () -> {
                  start.await();
                  return delete(id);
                }));
      }
      start.countDown();
      Thread.sleep(1000); // time for all of them to queue behind the held batch
      lock.rollback();
      answers.put(held, new ArrayList<>(List.of(first.get())));
      for (int i = 0; i < ids.size(); i++) {
        answers.computeIfAbsent(ids.get(i), id -> new ArrayList<>()).add(pending.get(i).get());
      }
    } finally {
      pool.shutdownNow();
    }
    return answers;
  }

  private Response delete(String id) {
    return api.as("alice").delete(api.volumes() + "/" + id);
  }

  /** Until a statement of the API waits for the row lock this test holds. */
  private void awaitLockWait() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try (Connection c = dataSource.getConnection();
        PreparedStatement waiting =
            c.prepareStatement(
                "select count(*) from pg_stat_activity"
                    + " where wait_event_type = 'Lock' and datname = current_database()")) {
      while (System.nanoTime() < deadline) {
        try (ResultSet count = waiting.executeQuery()) {
          count.next();
          if (count.getInt(1) > 0) {
            return;
          }
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("the first delete never waited for the held row");
  }
}
