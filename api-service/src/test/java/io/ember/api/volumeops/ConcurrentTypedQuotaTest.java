package io.ember.api.volumeops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.VolumeDeleted;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Creates and deletes of volumes of several types race in one project (group commits of creates,
 * deletes removing never-placed volumes at once, hosts reporting deletes): afterwards the usage of
 * every resource, the totals and each type's, equals what exists, nothing stays reserved, and no
 * per-type limit was overrun.
 */
@QuarkusTest
class ConcurrentTypedQuotaTest {

  private static final String HOST = "node1@fake";

  @Inject AgroalDataSource dataSource;

  private final ProjectApi api = new ProjectApi();
  private final Random random = new Random(19);

  @Test
  void usagePerResourceAndPerTypeEqualsWhatExistsAfterARace() throws Exception {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    List<String> types = new ArrayList<>();
    for (String t : new String[] {"cr_a_", "cr_b_", "cr_c_"}) {
      String name = t + suffix;
      api.admin()
          .body("{\"volume_type\": {\"name\": \"" + name + "\"}}")
          .post("/v3/" + api.project + "/types")
          .then()
          .statusCode(200);
      types.add(name);
    }
    types.add("__DEFAULT__");
    // Tight limits on two types, so that the race also meets 413s there.
    api.admin()
        .body(
            "{\"quota_set\": {\"volumes\": 500, \"gigabytes\": 5000, \"volumes_"
                + types.get(0)
                + "\": 12, \"gigabytes_"
                + types.get(1)
                + "\": 40}}")
        .put("/v3/" + api.project + "/os-quota-sets/" + api.project)
        .then()
        .statusCode(200);

    // Before the race: volumes placed on a host, and volumes never placed, set to error.
    List<String> placed = Collections.synchronizedList(new ArrayList<>());
    List<String> neverPlaced = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 16; i++) {
      String id = created(types.get(i % types.size()), 1 + i % 3);
      if (i % 2 == 0) {
        api.announceCreated(HOST, id);
        placed.add(id);
      } else {
        api.admin()
            .body("{\"os-reset_status\": {\"status\": \"error\"}}")
            .post(api.volumes() + "/" + id + "/action")
            .then()
            .statusCode(202);
        neverPlaced.add(id);
      }
    }
    for (String id : placed) {
      api.awaitStatus(id, "available");
    }

    List<Callable<Integer>> work = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String type = types.get(random.nextInt(types.size()));
      int size = 1 + random.nextInt(4);
      work.add(() -> create(type, size).statusCode());
    }
    for (String id : neverPlaced) {
      work.add(() -> api.as("alice").delete(api.volumes() + "/" + id).statusCode());
    }
    for (String id : placed) {
      work.add(
          () -> {
            int status = api.as("alice").delete(api.volumes() + "/" + id).statusCode();
            announceDeleted(id);
            return status;
          });
    }
    Collections.shuffle(work, random);
    List<Integer> answers = race(work);
    Map<Integer, Integer> byStatus = new HashMap<>();
    answers.forEach(s -> byStatus.merge(s, 1, Integer::sum));
    assertTrue(byStatus.keySet().stream().allMatch(s -> s == 202 || s == 413), byStatus.toString());
    assertTrue(byStatus.getOrDefault(413, 0) > 0, "the race met a per-type limit: " + byStatus);

    for (String id : placed) {
      api.awaitStatus(id, "404");
    }
    for (String id : neverPlaced) {
      assertEquals("404", api.statusOf(id));
    }

    Map<String, Integer> existing = existing(types);
    JsonPath usage =
        api.admin()
            .get("/v3/" + api.project + "/os-quota-sets/" + api.project + "?usage=True")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    for (Map.Entry<String, Integer> e : existing.entrySet()) {
      assertEquals(
          (int) e.getValue(),
          usage.getInt("quota_set." + e.getKey() + ".in_use"),
          e.getKey() + " in use, as exists");
      assertEquals(0, usage.getInt("quota_set." + e.getKey() + ".reserved"), e.getKey());
    }
    assertTrue(existing.get("volumes_" + types.get(0)) <= 12, existing.toString());
    assertTrue(existing.get("gigabytes_" + types.get(1)) <= 40, existing.toString());
  }

  private Response create(String type, int size) {
    return api.as("alice")
        .body("{\"volume\": {\"size\": " + size + ", \"volume_type\": \"" + type + "\"}}")
        .post(api.volumes());
  }

  private String created(String type, int size) {
    Response r = create(type, size);
    assertEquals(202, r.statusCode(), r.asString());
    return r.path("volume.id");
  }

  /** The host's {@code volume.deleted} event for a volume it was told to delete. */
  private void announceDeleted(String id) {
    Envelope deleted =
        Envelope.of(
            MessageType.VOLUME_DELETED,
            id,
            new RequestContext("req-test", "admin", api.project, List.of()),
            new VolumeDeleted(id, HOST + "#fake"));
    TestKafka.produce(new Topics(TestKafka.prefix()).volumeEvents(), id, deleted.toJson());
  }

  private static List<Integer> race(List<Callable<Integer>> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(24);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> pending = new ArrayList<>();
      for (Callable<Integer> task : work) {
        pending.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      List<Integer> answers = new ArrayList<>();
      for (Future<Integer> f : pending) {
        answers.add(f.get());
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  /** What the project's volumes take, counted from their rows: totals and per type name. */
  private Map<String, Integer> existing(List<String> types) throws Exception {
    Map<String, Integer> existing = new HashMap<>();
    existing.put("volumes", 0);
    existing.put("gigabytes", 0);
    for (String type : types) {
      existing.put("volumes_" + type, 0);
      existing.put("gigabytes_" + type, 0);
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select t.name, count(*), sum(v.size) from volumes v"
                    + " join volume_types t on t.id = v.volume_type_id"
                    + " where v.project_id = ? group by t.name")) {
      q.setString(1, api.project);
      try (ResultSet row = q.executeQuery()) {
        while (row.next()) {
          existing.merge("volumes", row.getInt(2), Integer::sum);
          existing.merge("gigabytes", row.getInt(3), Integer::sum);
          existing.put("volumes_" + row.getString(1), row.getInt(2));
          existing.put("gigabytes_" + row.getString(1), row.getInt(3));
        }
      }
    }
    return existing;
  }
}
