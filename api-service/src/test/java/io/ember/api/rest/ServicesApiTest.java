package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.Topics;
import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.ServiceHeartbeat;
import io.ember.model.contract.ServiceRecord;
import io.ember.model.contract.ServiceStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code os-services}, {@code scheduler-stats/get_pools} and {@code os-availability-zone}, fed as
 * in production: capability reports and heartbeats on the test's topics, answers over HTTP. Tests
 * share one API (and its view), so each uses hosts and a zone of its own.
 */
@QuarkusTest
class ServicesApiTest {

  private final ProjectApi api = new ProjectApi();
  private final Topics topics = new Topics(TestKafka.prefix());
  private final String tag = UUID.randomUUID().toString().substring(0, 8);
  private final String zone = "az-" + tag;

  @Test
  void listsVolumeHostsAndTheSchedulerUpWithCindersKeys() {
    String host = "n1-" + tag + "@fake";
    report(host + "#fake", Instant.now());
    heartbeat("sched-" + tag, Instant.now());
    awaitListed(host);
    awaitListed("sched-" + tag);

    Response volume = services("?host=" + host);
    volume
        .then()
        .statusCode(200)
        .body("services.size()", equalTo(1))
        .body("services[0].binary", equalTo("cinder-volume"))
        .body("services[0].zone", equalTo(zone))
        .body("services[0].status", equalTo("enabled"))
        .body("services[0].state", equalTo("up"))
        .body("services[0].disabled_reason", nullValue())
        .body("services[0].replication_status", equalTo("disabled"))
        .body("services[0].frozen", equalTo(false));
    Map<String, Object> entry = volume.path("services[0]");
    assertEquals(
        List.of(
            "binary",
            "host",
            "zone",
            "status",
            "state",
            "updated_at",
            "disabled_reason",
            "replication_status",
            "active_backend_id",
            "frozen"),
        List.copyOf(entry.keySet()),
        "Cinder's keys at 3.0, in its order");
    assertTrue(
        ((String) entry.get("updated_at"))
            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}"),
        "Cinder's time format: " + entry.get("updated_at"));

    Map<String, Object> scheduler =
        services("?binary=cinder-scheduler&host=sched-" + tag).path("services[0]");
    assertEquals(
        List.of("binary", "host", "zone", "status", "state", "updated_at", "disabled_reason"),
        List.copyOf(scheduler.keySet()),
        "the scheduler's entry has no replication keys");
    assertEquals("up", scheduler.get("state"));

    api.as("alice")
        .get("/v3/" + api.project + "/os-services")
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo("Policy doesn't allow volume_extension:services:index to be performed."));
  }

  @Test
  void aHostWhoseLastHeartbeatIsOlderThanTheDownTimeIsDownAndItsPoolsAreNotListed() {
    String stale = "stale-" + tag + "@fake";
    String live = "live-" + tag + "@fake";
    report(stale + "#fake", Instant.now().minus(Duration.ofSeconds(61)));
    report(live + "#fake", Instant.now());
    awaitListed(stale);
    awaitListed(live);

    services("?host=" + stale).then().body("services[0].state", equalTo("down"));
    services("?host=" + live).then().body("services[0].state", equalTo("up"));
    pools("")
        .then()
        .statusCode(200)
        .body("pools.name", hasItem(live + "#fake"))
        .body("pools.name", not(hasItem(stale + "#fake")));

    // A fresh heartbeat brings it back up.
    report(stale + "#fake", Instant.now());
    await(() -> "up".equals(services("?host=" + stale).path("services[0].state")), "back up");
  }

  @Test
  void disableWithAReasonIsAnsweredAtOnceReachesTheSchedulerAndEnableUndoesIt() {
    String a = "a-" + tag + "@fake";
    String b = "b-" + tag + "@fake";
    report(a + "#fake", Instant.now());
    report(b + "#fake", Instant.now());
    awaitListed(a);
    awaitListed(b);

    api.admin()
        .body(
            "{\"host\": \""
                + a
                + "\", \"binary\": \"cinder-volume\", \"disabled_reason\": \"disk swap\"}")
        .put("/v3/" + api.project + "/os-services/disable-log-reason")
        .then()
        .statusCode(200)
        .body("disabled", equalTo(true))
        .body("status", equalTo("disabled"))
        .body("disabled_reason", equalTo("disk swap"))
        .body("host", equalTo(a))
        .body("binary", equalTo("cinder-volume"));
    services("?host=" + a)
        .then()
        .body("services[0].status", equalTo("disabled"))
        .body("services[0].disabled_reason", equalTo("disk swap"));

    ServiceStatus sent = lastStatusSent(a, true);
    assertEquals("disk swap", sent.disabledReason());
    assertEquals(ServiceRecord.VOLUME_BINARY, sent.binary());

    pools("").then().body("pools.name", not(hasItem(a + "#fake")));
    pools("").then().body("pools.name", hasItem(b + "#fake"));
    zones()
        .then()
        .body(
            "availabilityZoneInfo.find { it.zoneName == '" + zone + "' }.zoneState.available",
            equalTo(true));

    api.admin()
        .body("{\"host\": \"" + b + "\", \"binary\": \"cinder-volume\"}")
        .put("/v3/" + api.project + "/os-services/disable")
        .then()
        .statusCode(200)
        .body("status", equalTo("disabled"));
    zones()
        .then()
        .body(
            "availabilityZoneInfo.find { it.zoneName == '" + zone + "' }.zoneState.available",
            equalTo(false));

    api.admin()
        .body("{\"host\": \"" + a + "\", \"binary\": \"cinder-volume\"}")
        .put("/v3/" + api.project + "/os-services/enable")
        .then()
        .statusCode(200)
        .body("disabled", equalTo(false))
        .body("status", equalTo("enabled"));
    services("?host=" + a).then().body("services[0].status", equalTo("enabled"));
    assertFalse(lastStatusSent(a, false).disabled());
    pools("").then().body("pools.name", hasItem(a + "#fake"));
  }

  @Test
  void badServiceRequestsGetCindersErrors() {
    String host = "e-" + tag + "@fake";
    report(host + "#fake", Instant.now());
    awaitListed(host);
    String base = "/v3/" + api.project + "/os-services/";

    api.admin()
        .body("{\"host\": \"nowhere@x\", \"binary\": \"cinder-volume\"}")
        .put(base + "disable")
        .then()
        .statusCode(404)
        .body(
            "itemNotFound.message",
            equalTo("Service cinder-volume could not be found on host nowhere@x."));
    api.admin()
        .body("{\"host\": \"" + host + "\", \"binary\": \"cinder-volume\"}")
        .put(base + "reboot")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Invalid input received: Unknown action"));
    api.admin()
        .body("{\"binary\": \"cinder-volume\"}")
        .put(base + "disable")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Invalid input received: Host field is missing."));
    api.admin().body("{\"host\": \"" + host + "\"}").put(base + "disable").then().statusCode(400);
    api.admin().body("not json").put(base + "disable").then().statusCode(400);
    api.admin()
        .body("{\"host\": \"" + host + "\", \"binary\": \"cinder-volume\", \"x\": 1}")
        .put(base + "disable")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("Additional properties are not allowed ('x' was unexpected)"));
    api.admin()
        .body(
            "{\"host\": \""
                + host
                + "\", \"binary\": \"cinder-volume\", \"disabled_reason\": \""
                + "r".repeat(256)
                + "\"}")
        .put(base + "disable-log-reason")
        .then()
        .statusCode(400);
    api.as("alice")
        .body("{\"host\": \"" + host + "\", \"binary\": \"cinder-volume\"}")
        .put(base + "disable")
        .then()
        .statusCode(403);
    services("?host=" + host).then().body("services[0].status", equalTo("enabled"));
  }

  @Test
  void getPoolsGivesNamesAndWithDetailTheReportedCapabilities() {
    String pool = "p-" + tag + "@fake#fake";
    report(pool, Instant.now());
    awaitListed("p-" + tag + "@fake");

    Response names = pools("");
    names
        .then()
        .statusCode(200)
        .body("pools.find { it.name == '" + pool + "' }", equalTo(Map.of("name", pool)));

    Response detail = pools("?detail=true");
    Map<String, Object> caps = detail.path("pools.find { it.name == '" + pool + "' }.capabilities");
    assertEquals("fake", caps.get("pool_name"));
    assertEquals("fake", caps.get("volume_backend_name"));
    assertEquals(1000.0f, ((Number) caps.get("total_capacity_gb")).floatValue());
    assertEquals(zone, caps.get("availability_zone"));
    assertEquals("yes", caps.get("custom_key"), "extra capabilities as reported");
    for (String key :
        List.of(
            "free_capacity_gb",
            "provisioned_capacity_gb",
            "allocated_capacity_gb",
            "reserved_percentage",
            "QoS_support",
            "filter_function",
            "goodness_function",
            "consistencygroup_support",
            "replication_enabled",
            "group_replication_enabled",
            "storage_protocol",
            "vendor_name",
            "driver_version",
            "timestamp")) {
      assertTrue(caps.containsKey(key), "Cinder's key " + key + " in " + caps.keySet());
    }

    pools("?detail=maybe")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Value 'maybe' for 'detail' is not a boolean."));
    api.as("alice")
        .get("/v3/" + api.project + "/scheduler-stats/get_pools")
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo(
                "Policy doesn't allow scheduler_extension:scheduler_stats:get_pools to be"
                    + " performed."));
  }

  @Test
  void availabilityZonesAreTheOnesTheVolumeHostsReportForEveryone() {
    report("z-" + tag + "@fake#fake", Instant.now());
    awaitListed("z-" + tag + "@fake");
    heartbeat("zsched-" + tag, Instant.now()); // a scheduler's zone is no volume zone

    api.as("alice")
        .get("/v3/" + api.project + "/os-availability-zone")
        .then()
        .statusCode(200)
        .body("availabilityZoneInfo.zoneName", hasItem(zone))
        .body(
            "availabilityZoneInfo.find { it.zoneName == '" + zone + "' }",
            equalTo(Map.of("zoneName", zone, "zoneState", Map.of("available", true))))
        .body("availabilityZoneInfo.zoneName", not(hasItem("sched-zone-" + tag)));
    // Project-less URL, as cinderclient sends it.
    api.as("alice")
        .get("/v3/os-availability-zone")
        .then()
        .statusCode(200)
        .body("availabilityZoneInfo.zoneName", hasItem(zone));
  }

  private Response services(String query) {
    return api.admin().get("/v3/" + api.project + "/os-services" + query);
  }

  private Response pools(String query) {
    return api.admin().get("/v3/" + api.project + "/scheduler-stats/get_pools" + query);
  }

  private Response zones() {
    return api.admin().get("/v3/" + api.project + "/os-availability-zone");
  }

  private void awaitListed(String host) {
    await(() -> services("?host=" + host).<List<?>>path("services").size() == 1, host + " listed");
  }

  private void report(String pool, Instant at) {
    CapabilityReport report =
        new CapabilityReport(
            pool,
            "fake",
            "Ember",
            "1.0.0",
            "iSCSI",
            zone,
            1000,
            900,
            100,
            100,
            true,
            true,
            20.0,
            0,
            Map.of("custom_key", "yes"),
            List.of(),
            at);
    TestKafka.produce(
        topics.capabilities(),
        pool,
        Envelope.of(MessageType.CAPABILITIES, pool, null, report).toJson());
  }

  private void heartbeat(String host, Instant at) {
    ServiceHeartbeat beat =
        new ServiceHeartbeat(ServiceRecord.SCHEDULER_BINARY, host, "sched-zone-" + tag, at);
    String key = ServiceRecord.key(MessageType.SERVICE_HEARTBEAT, beat.binary(), host);
    TestKafka.produce(
        topics.services(),
        key,
        Envelope.of(MessageType.SERVICE_HEARTBEAT, key, null, beat).toJson());
  }

  /** The latest status record the API sent about {@code host}, once it says {@code disabled}. */
  private ServiceStatus lastStatusSent(String host, boolean disabled) {
    String key = ServiceRecord.key(MessageType.SERVICE_STATUS, ServiceRecord.VOLUME_BINARY, host);
    List<ConsumerRecord<String, String>> found =
        TestKafka.await(
            topics.services(),
            r ->
                key.equals(r.key())
                    && Envelope.fromJson(r.value()).payloadAs(ServiceStatus.class).disabled()
                        == disabled,
            1,
            Duration.ofSeconds(20));
    assertEquals(1, found.size(), "a status record about " + host + " on the services topic");
    return Envelope.fromJson(found.get(0).value()).payloadAs(ServiceStatus.class);
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not seen in time: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
