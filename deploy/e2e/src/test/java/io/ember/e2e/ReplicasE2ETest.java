package io.ember.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ember with replicas: two api processes, two schedulers and two volume hosts, every request of a
 * burst going to either api. Quota is never exceeded nor left out of step, a small pool is never
 * overfilled by the two schedulers, and the periodic jobs run once per cycle, not once per replica
 * (docs/replicas.md).
 */
class ReplicasE2ETest {

  private static final String NAME = "replicas";

  /** node2's only pool: thick, this many GB, the only one a thick type can go to. */
  private static final int SMALL_POOL_GB = 12;

  private static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

  static EmberStack stack;
  static List<String> apis;

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    List<String> dbUp = new ArrayList<>(List.of("db-up"));
    dbUp.addAll(EmberStack.replicaDatabases(NAME));
    Processes.Output dbs =
        Processes.run(
            new ProcessBuilder(script(dbUp.toArray(String[]::new))).redirectErrorStream(true),
            Duration.ofSeconds(60));
    assertEquals(0, dbs.exit(), dbs.stdout());
    Map<String, String> api =
        Map.of(
            "EMBER_DEADLINES_SWEEP_EVERY", SWEEP_EVERY.toSeconds() + "s",
            "EMBER_QUOTA_AUDIT_EVERY", SWEEP_EVERY.toSeconds() + "s");
    // Reports every 2 s, so the pools' numbers catch up within the test.
    Map<String, String> hosts = Map.of("EMBER_CAPABILITIES_INTERVAL", "2s");
    Map<String, List<String>> properties =
        Map.of(
            "node1@fake",
            EmberStack.HOST_PROPERTIES.get("node1@fake"),
            "node2@fake",
            List.of(
                "-Dember.fake.provisioning=thick",
                "-Dember.fake.total-capacity-gb=" + SMALL_POOL_GB));
    long t0 = System.nanoTime();
    stack = EmberStack.replicas(NAME, 2, 2, api, hosts, properties);
    apis = stack.apiUrls();
    assertEquals(2, apis.size());
    System.out.printf(
        "ReplicasE2ETest: 2 api, 2 schedulers, 2 hosts ready in %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void quotaHoldsForABurstOverBothApisAndUsageEqualsWhatExists() throws Exception {
    String project = Cli.newProject();
    setQuota(project, 6, 1000);
    String gold = volumeType(project, "tier", "gold"); // node1, the large pool

    List<Response> answers = burst(project, 24, gold);

    List<String> created = idsOf(answers, 202);
    assertEquals(6, created.size(), "accepted: " + statuses(answers));
    assertEquals(18, idsOf(answers, 413).size(), "refused as over quota: " + statuses(answers));
    assertTrue(
        answers.stream()
            .filter(r -> r.statusCode() == 413)
            .allMatch(r -> r.asString().contains("VolumeLimitExceeded")),
        answers.get(0).asString());
    for (String id : created) {
      awaitStatus(project, id, "available");
    }
    for (String url : apis) {
      assertEquals(6, inUse(url, project, "volumes"), url);
      assertEquals(6, inUse(url, project, "gigabytes"), url);
    }

    // The real client sees through either api what was made through the other.
    Cli cli = Cli.admin(stack, project);
    JsonNode listed = cli.at(apis.get(1)).json("volume", "list");
    assertEquals(6, listed.size(), listed.toString());
    cli.at(apis.get(1))
        .openstack("volume", "create", "--size", "1", "--type", gold, "one-more")
        .refused("VolumeLimitExceeded");

    deleteAll(project, created);
    for (String url : apis) {
      assertEquals(0, inUse(url, project, "volumes"), url);
      assertEquals(0, inUse(url, project, "gigabytes"), url);
    }
  }

  @Test
  void twoSchedulersNeverOverfillASmallPool() throws Exception {
    String project = Cli.newProject();
    setQuota(project, 100, 1000);
    String thick = volumeType(project, "provisioning:type", "thick"); // node2 only

    int asked = SMALL_POOL_GB + 8;
    List<Response> answers = burst(project, asked, thick);
    List<String> created = idsOf(answers, 202);
    assertEquals(asked, created.size(), statuses(answers));

    Map<String, Integer> settled = new HashMap<>();
    for (String id : created) {
      settled.merge(awaitSettled(project, id), 1, Integer::sum);
    }
    int available = settled.getOrDefault("available", 0);
    System.out.printf(
        "ReplicasE2ETest: %d x 1 GB on a %d GB pool: %s%n", asked, SMALL_POOL_GB, settled);
    assertTrue(available <= SMALL_POOL_GB, "overfilled: " + settled);
    // Not overly careful either: at most what in-flight rounding can hold back, and the rest
    // failed.
    assertTrue(available >= SMALL_POOL_GB - 2, "too few placed: " + settled);
    assertEquals(asked - available, settled.getOrDefault("error", 0), settled.toString());
    // What the host itself reports (through either api's pool view) holds the same.
    awaitPoolAllocated("node2@fake#fake", available);

    deleteAll(project, created);
    assertEquals(0, inUse(apis.get(0), project, "volumes"));
  }

  @Test
  void periodicJobsRunOncePerCycleNotOncePerReplica() throws Exception {
    long sweeps = runs("deadline-sweep");
    long audits = runs("quota-audit");
    Thread.sleep(6000);
    long swept = runs("deadline-sweep") - sweeps;
    long audited = runs("quota-audit") - audits;
    // Every 1 s for the service: about 6 in 6 s with one or two replicas alike; 12 if each ran its
    // own.
    assertTrue(swept >= 4 && swept <= 8, "deadline sweeps in 6 s by 2 apis: " + swept);
    assertTrue(audited >= 4 && audited <= 8, "quota audits in 6 s by 2 apis: " + audited);
  }

  // ---- helpers ----

  private static RequestSpecification admin(String url, String project) {
    return given()
        .baseUri(url)
        .header("X-Auth-Token", "admin:" + project)
        .contentType("application/json");
  }

  /** {@code n} creates of 1 GB of {@code type} at once, alternating over the api processes. */
  private static List<Response> burst(String project, int n, String type) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Response>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String url = apis.get(i % apis.size());
        String body =
            "{\"volume\": {\"size\": 1, \"name\": \"r"
                + i
                + "\", \"volume_type\": \""
                + type
                + "\"}}";
        calls.add(() -> admin(url, project).body(body).post("/v3/" + project + "/volumes"));
      }
      List<Response> answers = new ArrayList<>();
      for (Future<Response> f : clients.invokeAll(calls)) {
        answers.add(f.get());
      }
      return answers;
    } finally {
      clients.shutdownNow();
    }
  }

  private static List<String> idsOf(List<Response> answers, int status) {
    return answers.stream()
        .filter(r -> r.statusCode() == status)
        .map(r -> status == 202 ? r.<String>path("volume.id") : "")
        .toList();
  }

  private static String statuses(List<Response> answers) {
    return answers.stream().map(r -> Integer.toString(r.statusCode())).toList().toString();
  }

  private static void setQuota(String project, int volumes, int gigabytes) {
    admin(apis.get(0), project)
        .body("{\"quota_set\": {\"volumes\": " + volumes + ", \"gigabytes\": " + gigabytes + "}}")
        .put("/v3/" + project + "/os-quota-sets/" + project)
        .then()
        .statusCode(200);
  }

  /** A public type with one extra spec; its name. */
  private static String volumeType(String project, String key, String value) {
    String name = "rep-" + Cli.newProject().substring(0, 8);
    String id =
        admin(apis.get(0), project)
            .body("{\"volume_type\": {\"name\": \"" + name + "\"}}")
            .post("/v3/" + project + "/types")
            .then()
            .statusCode(200)
            .extract()
            .path("volume_type.id");
    admin(apis.get(1), project)
        .body("{\"extra_specs\": {\"" + key + "\": \"" + value + "\"}}")
        .post("/v3/" + project + "/types/" + id + "/extra_specs")
        .then()
        .statusCode(200);
    return name;
  }

  private static int inUse(String url, String project, String resource) {
    Map<String, Object> usage =
        admin(url, project)
            .get("/v3/" + project + "/os-quota-sets/" + project + "?usage=True")
            .then()
            .statusCode(200)
            .extract()
            .path("quota_set." + resource);
    assertEquals(0, usage.get("reserved"), resource + " " + usage);
    return (Integer) usage.get("in_use");
  }

  private static void awaitStatus(String project, String id, String wanted) throws Exception {
    String seen = null;
    for (int i = 0; i < 200; i++) {
      Response r = admin(apis.get(i % 2), project).get("/v3/" + project + "/volumes/" + id);
      seen = r.statusCode() == 404 ? "gone" : r.path("volume.status");
      if (wanted.equals(seen)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("volume " + id + " stayed " + seen + ", expected " + wanted);
  }

  /** Waits until the volume is no longer {@code creating}; its status then. */
  private static String awaitSettled(String project, String id) throws Exception {
    String seen = null;
    for (int i = 0; i < 200; i++) {
      seen =
          admin(apis.get(i % 2), project)
              .get("/v3/" + project + "/volumes/" + id)
              .path("volume.status");
      if (!"creating".equals(seen)) {
        return seen;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("volume " + id + " still " + seen);
  }

  /** Deletes every volume, alternating over the apis, and waits until all are gone. */
  private static void deleteAll(String project, List<String> ids) throws Exception {
    for (int i = 0; i < ids.size(); i++) {
      admin(apis.get(i % 2), project)
          .delete("/v3/" + project + "/volumes/" + ids.get(i))
          .then()
          .statusCode(202);
    }
    for (String id : ids) {
      awaitStatus(project, id, "gone");
    }
  }

  /** Waits until {@code pool}'s own report, as each api shows it, counts {@code gb} allocated. */
  private static void awaitPoolAllocated(String pool, int gb) throws Exception {
    String project = Cli.newProject();
    for (String url : apis) {
      Object seen = null;
      for (int i = 0; i < 100; i++) {
        List<Map<String, Object>> pools =
            admin(url, project)
                .get("/v3/" + project + "/scheduler-stats/get_pools?detail=True")
                .then()
                .statusCode(200)
                .extract()
                .path("pools");
        seen =
            pools.stream()
                .filter(p -> pool.equals(p.get("name")))
                .map(p -> ((Map<?, ?>) p.get("capabilities")).get("allocated_capacity_gb"))
                .findFirst()
                .orElse(null);
        if (seen instanceof Number n && n.intValue() == gb) {
          break;
        }
        Thread.sleep(200);
      }
      assertTrue(seen instanceof Number n && n.intValue() == gb, url + ": " + pool + " " + seen);
    }
  }

  /** How often {@code job} has run for the whole api service (its periodic_runs row). */
  private static long runs(String job) throws Exception {
    Processes.Output out =
        Processes.run(
            new ProcessBuilder(
                "psql",
                "-X",
                "-h",
                System.getenv().getOrDefault("EMBER_DB_HOST", "127.0.0.1"),
                "-p",
                System.getenv().getOrDefault("EMBER_DB_PORT", "5432"),
                "-U",
                System.getenv().getOrDefault("EMBER_DB_USER", "postgres"),
                "-d",
                EmberStack.replicaDatabases(NAME).get(0),
                "-tAc",
                "select coalesce(max(runs), 0) from periodic_runs where job = '" + job + "'"),
            Duration.ofSeconds(20));
    assertEquals(0, out.exit(), out.stderr());
    return Long.parseLong(out.stdout().trim());
  }

  private static List<String> script(String... args) {
    Path root = Path.of(System.getProperty("ember.root", "../.."));
    List<String> command = new ArrayList<>(List.of(root.resolve("deploy/local/ember").toString()));
    command.addAll(List.of(args));
    return command;
  }
}
