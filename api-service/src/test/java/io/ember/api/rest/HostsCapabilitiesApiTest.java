package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.Topics;
import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code os-hosts}, {@code capabilities/{host}} and {@code extensions}, which Tempest's volume
 * tests call: a volume host made known by its capability report on the test's topic, volumes placed
 * on it by its created events, answers over HTTP.
 */
@QuarkusTest
class HostsCapabilitiesApiTest {

  private final ProjectApi api = new ProjectApi();
  private final Topics topics = new Topics(TestKafka.prefix());
  private final String tag = UUID.randomUUID().toString().substring(0, 8);
  private final String host = "h-" + tag + "@fake";

  @Test
  void hostsListsTheServicesAndShowsWhatEachProjectHoldsOnAVolumeHost() throws Exception {
    report(host + "#fake");
    awaitHostListed();

    Response list = api.admin().get("/v3/" + api.project + "/os-hosts");
    list.then().statusCode(200);
    Map<String, Object> entry = list.path("hosts.find { it.host_name == '" + host + "' }");
    assertEquals(
        List.of("host_name", "service", "zone", "service-status", "service-state", "last-update"),
        List.copyOf(entry.keySet()));
    assertEquals("cinder-volume", entry.get("service"));
    assertEquals("zone-" + tag, entry.get("zone"));
    assertEquals("available", entry.get("service-status"));
    assertEquals("enabled", entry.get("service-state"));

    String one = api.create(api.admin(), 1);
    String two = api.create(api.admin(), 2);
    api.placeOn(host, one);
    api.placeOn(host, two);

    Response show = api.admin().get("/v3/" + api.project + "/os-hosts/" + host);
    show.then()
        .statusCode(200)
        .body("host.size()", equalTo(2))
        .body(
            "host[0].resource",
            equalTo(
                Map.of(
                    "host", host,
                    "project", "(total)",
                    "volume_count", "2",
                    "total_volume_gb", "3",
                    "snapshot_count", "0",
                    "total_snapshot_gb", "0")))
        .body("host[1].resource.project", equalTo(api.project))
        .body("host[1].resource.volume_count", equalTo("2"));

    api.admin()
        .get("/v3/" + api.project + "/os-hosts/nowhere-" + tag + "@fake")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Host not found"));
    api.as("alice")
        .get("/v3/" + api.project + "/os-hosts")
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo("Policy doesn't allow volume_extension:hosts to be performed."));
  }

  @Test
  void capabilitiesAreTheBackendsReportedStatsForAPoolOrItsBackend() {
    report(host + "#fake");
    awaitHostListed();

    for (String asked : List.of(host + "#fake", host)) {
      api.admin()
          .get("/v3/" + api.project + "/capabilities/" + asked)
          .then()
          .statusCode(200)
          .body("namespace", equalTo("OS::Storage::Capabilities::" + asked))
          .body("vendor_name", equalTo("Ember"))
          .body("volume_backend_name", equalTo("fake"))
          .body("storage_protocol", equalTo("iSCSI"))
          .body("driver_version", equalTo("1.0.0"))
          .body("replication_targets.size()", equalTo(0))
          .body("properties.thin_provisioning.type", equalTo("boolean"));
    }
    api.admin()
        .get("/v3/" + api.project + "/capabilities/nowhere-" + tag + "@fake")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Can't find service: nowhere-" + tag + "@fake"));
    api.as("alice")
        .get("/v3/" + api.project + "/capabilities/" + host)
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo("Policy doesn't allow volume_extension:capabilities to be performed."));
  }

  @Test
  void extensionsAreListedForEveryCaller() {
    api.as("alice")
        .get("/v3/" + api.project + "/extensions")
        .then()
        .statusCode(200)
        .body("extensions.name", hasItem("Hosts"))
        .body("extensions.alias", hasItem("os-hosts"))
        .body("extensions.find { it.alias == 'capabilities' }.links.size()", equalTo(0));
  }

  private void awaitHostListed() {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!api.admin()
        .get("/v3/" + api.project + "/os-hosts")
        .<List<String>>path("hosts.host_name")
        .contains(host)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(host + " not listed in time");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private void report(String pool) {
    CapabilityReport report =
        new CapabilityReport(
            pool,
            "fake",
            "Ember",
            "1.0.0",
            "iSCSI",
            "zone-" + tag,
            1000,
            900,
            100,
            100,
            true,
            true,
            20.0,
            0,
            Map.of(),
            List.of(),
            Instant.now());
    TestKafka.produce(
        topics.capabilities(),
        pool,
        Envelope.of(MessageType.CAPABILITIES, pool, null, report).toJson());
  }
}
