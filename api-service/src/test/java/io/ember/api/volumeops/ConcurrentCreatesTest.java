package io.ember.api.volumeops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.testsupport.TestKafka;
import io.ember.model.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many creates of one project at once share transactions (group commit); each still gets its own
 * answer and the quota holds exactly: no more volumes than the limit, usage equal to what exists,
 * one scheduler command per accepted volume.
 */
@QuarkusTest
class ConcurrentCreatesTest {

  private static final String OVER_LIMIT =
      "VolumeLimitExceeded: Maximum number of volumes allowed (7) exceeded for quota 'volumes'.";

  private final String project = UUID.randomUUID().toString().replace("-", "");
  private final Topics topics = new Topics(TestKafka.prefix());

  private RequestSpecification admin() {
    return given().header("X-Auth-Token", "admin:" + project).contentType("application/json");
  }

  @Test
  void concurrentCreatesAtTheQuotaEdgeGetExactlyTheLimit() throws Exception {
    admin()
        .body("{\"quota_set\": {\"volumes\": 7}}")
        .put("/v3/" + project + "/os-quota-sets/" + project)
        .then()
        .statusCode(200);

    // 30 valid creates and 6 invalid ones, all at once: a bad request in a batch fails alone.
    List<Callable<Response>> calls = new ArrayList<>();
    for (int i = 0; i < 36; i++) {
      String body =
          i % 6 == 5
              ? "{\"volume\": {\"size\": 0}}"
              : "{\"volume\": {\"size\": 1, \"name\": \"c" + i + "\"}}";
      calls.add(() -> admin().body(body).post("/v3/" + project + "/volumes"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(36);
    List<Response> answers = new ArrayList<>();
    try {
      for (Future<Response> answer : pool.invokeAll(calls)) {
        answers.add(answer.get());
      }
    } finally {
      pool.shutdownNow();
    }

    Set<String> accepted = new HashSet<>();
    int overQuota = 0;
    int invalid = 0;
    for (Response answer : answers) {
      switch (answer.statusCode()) {
        case 202 -> accepted.add(answer.path("volume.id"));
        case 413 -> {
          assertEquals(OVER_LIMIT, answer.path("overLimit.message"));
          overQuota++;
        }
        case 400 -> invalid++;
        default -> throw new AssertionError("unexpected answer: " + answer.asString());
      }
    }
    assertEquals(7, accepted.size(), "exactly the quota's worth of volumes is accepted");
    assertEquals(23, overQuota);
    assertEquals(6, invalid);

    admin()
        .get("/v3/" + project + "/os-quota-sets/" + project + "?usage=True")
        .then()
        .body("quota_set.volumes.in_use", equalTo(7))
        .body("quota_set.volumes.reserved", equalTo(0))
        .body("quota_set.gigabytes.in_use", equalTo(7));
    List<String> listed = admin().get("/v3/" + project + "/volumes").path("volumes.id");
    assertEquals(accepted, new HashSet<>(listed));
    var commands =
        TestKafka.await(
            topics.schedulerRequests(),
            r -> accepted.contains(r.key()),
            accepted.size(),
            Duration.ofSeconds(20));
    assertEquals(accepted.size(), commands.size(), "one scheduler command per accepted volume");
  }
}
