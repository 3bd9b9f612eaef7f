package io.ember.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ember as a user meets it: three services (two volume hosts) on the real broker and database. */
class VolumeLifecycleE2ETest {

  static EmberStack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = EmberStack.shared();
    RestAssured.baseURI = stack.apiUrl();
  }

  private final String project = UUID.randomUUID().toString().replace("-", "");

  private RequestSpecification admin() {
    return given().header("X-Auth-Token", "admin:" + project).contentType("application/json");
  }

  private String create(String body) {
    return admin()
        .body(body)
        .post("/v3/" + project + "/volumes")
        .then()
        .statusCode(202)
        .extract()
        .path("volume.id");
  }

  /** Polls until the volume shows {@code status} ("gone" for 404); returns its last view. */
  private Map<String, Object> awaitStatus(String id, String status, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String seen = null;
    while (System.nanoTime() < deadline) {
      Response r = admin().get("/v3/" + project + "/volumes/" + id);
      seen = r.statusCode() == 404 ? "gone" : r.path("volume.status");
      if (status.equals(seen)) {
        return r.statusCode() == 404 ? Map.of() : r.path("volume");
      }
      Thread.sleep(50);
    }
    throw new AssertionError("volume " + id + " stayed " + seen + ", expected " + status);
  }

  private Map<String, Object> usage() {
    return admin()
        .get("/v3/" + project + "/os-quota-sets/" + project + "?usage=True")
        .then()
        .statusCode(200)
        .extract()
        .path("quota_set");
  }

  @SuppressWarnings("unchecked")
  private int inUse(String resource) {
    return (Integer) ((Map<String, Object>) usage().get(resource)).get("in_use");
  }

  @SuppressWarnings("unchecked")
  private int reserved(String resource) {
    return (Integer) ((Map<String, Object>) usage().get(resource)).get("reserved");
  }

  @Test
  void twentyConcurrentVolumesBecomeAvailableAcrossBothHostsAndAreDeleted() throws Exception {
    admin()
        .body("{\"quota_set\": {\"volumes\": 50}}")
        .put("/v3/" + project + "/os-quota-sets/" + project)
        .then()
        .statusCode(200);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Callable<String>> creates = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      creates.add(() -> create("{\"volume\": {\"size\": 1, \"name\": \"e2e-" + n + "\"}}"));
    }
    List<String> ids = new ArrayList<>();
    for (Future<String> f : pool.invokeAll(creates)) {
      ids.add(f.get());
    }
    Set<String> hosts = new HashSet<>();
    for (String id : ids) {
      Map<String, Object> volume = awaitStatus(id, "available", Duration.ofSeconds(60));
      String host = (String) volume.get("os-vol-host-attr:host");
      hosts.add(host.substring(0, host.indexOf('#')));
    }
    assertEquals(Set.copyOf(EmberStack.HOSTS), hosts, "both volume hosts are used");
    assertEquals(20, inUse("volumes"));
    assertEquals(20, inUse("gigabytes"));

    List<Callable<Integer>> deletes = new ArrayList<>();
    for (String id : ids) {
      deletes.add(() -> admin().delete("/v3/" + project + "/volumes/" + id).statusCode());
    }
    for (Future<Integer> f : pool.invokeAll(deletes)) {
      assertEquals(202, f.get());
    }
    pool.shutdown();
    for (String id : ids) {
      awaitStatus(id, "gone", Duration.ofSeconds(60));
    }
    admin().get("/v3/" + project + "/volumes/detail").then().statusCode(200);
    assertEquals(0, inUse("volumes"));
    assertEquals(0, inUse("gigabytes"));
    assertEquals(0, reserved("volumes"));
  }

  @Test
  void anInjectedDriverFailureEndsInErrorWithQuotaMatchingWhatExists() throws Exception {
    String ok = create("{\"volume\": {\"size\": 2}}");
    String failing =
        create("{\"volume\": {\"size\": 3, \"metadata\": {\"ember.fake.fail-create\": \"*\"}}}");
    awaitStatus(ok, "available", Duration.ofSeconds(60));
    awaitStatus(failing, "error", Duration.ofSeconds(60));

    assertEquals(
        2, inUse("volumes"), "an error volume keeps its quota until deleted, as in Cinder");
    assertEquals(5, inUse("gigabytes"));
    List<Map<String, Object>> listed =
        admin().get("/v3/" + project + "/volumes/detail").then().extract().path("volumes");
    assertEquals(2, listed.size());
    assertEquals(
        5, listed.stream().mapToInt(v -> (Integer) v.get("size")).sum(), "usage == what exists");

    admin().delete("/v3/" + project + "/volumes/" + failing).then().statusCode(202);
    awaitStatus(failing, "gone", Duration.ofSeconds(60));
    admin().delete("/v3/" + project + "/volumes/" + ok).then().statusCode(202);
    awaitStatus(ok, "gone", Duration.ofSeconds(60));
    assertEquals(0, inUse("volumes"));
    assertEquals(0, inUse("gigabytes"));
  }

  @Test
  void aRequestNoBackendCanHoldGoesToError() throws Exception {
    admin()
        .body("{\"quota_set\": {\"gigabytes\": -1}}")
        .put("/v3/" + project + "/os-quota-sets/" + project)
        .then()
        .statusCode(200);
    String huge = create("{\"volume\": {\"size\": 1000000}}");
    awaitStatus(huge, "error", Duration.ofSeconds(60));
    assertEquals(1000000, inUse("gigabytes"));
    admin()
        .header("OpenStack-API-Version", "volume 3.3")
        .get("/v3/" + project + "/messages")
        .then()
        .statusCode(200)
        .body("messages[0].resource_uuid", org.hamcrest.Matchers.equalTo(huge))
        .body(
            "messages[0].user_message",
            org.hamcrest.Matchers.equalTo(
                "schedule allocate volume:Could not find any available weighted backend."));
    admin().delete("/v3/" + project + "/volumes/" + huge).then().statusCode(202);
    awaitStatus(huge, "gone", Duration.ofSeconds(30));
    assertEquals(0, inUse("gigabytes"));
    assertTrue(stack.logsOf("scheduler").contains(huge), "a scheduler logged its decision");
  }
}
