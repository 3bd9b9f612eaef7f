package io.ember.api.rest;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.VolumeCreateFailed;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Answers Tempest's volume tests found different from Cinder's (docs/tempest.md), each checked as a
 * client sees it.
 */
@QuarkusTest
class TempestFoundAnswersTest {

  private final ProjectApi api = new ProjectApi();
  private final Topics topics = new Topics(TestKafka.prefix());
  private final String tag = UUID.randomUUID().toString().substring(0, 8);

  @Test
  void aDeletedMessagesNoContentAnswerStillNamesItsMicroversion() throws Exception {
    String id = api.create(api.admin(), 1);
    TestKafka.produce(
        topics.volumeEvents(),
        id,
        Envelope.of(
                MessageType.VOLUME_CREATE_FAILED,
                id,
                new RequestContext("req-test", "admin", api.project, List.of()),
                new VolumeCreateFailed(id, null, "No valid backend was found."))
            .toJson());
    api.awaitStatus(id, "error");
    String message =
        api.admin()
            .header("OpenStack-API-Version", "volume 3.3")
            .get("/v3/" + api.project + "/messages")
            .then()
            .statusCode(200)
            .extract()
            .path("messages[0].id");

    api.admin()
        .header("OpenStack-API-Version", "volume 3.3")
        .delete("/v3/" + api.project + "/messages/" + message)
        .then()
        .statusCode(204)
        .header("OpenStack-API-Version", "volume 3.3");
  }

  @Test
  void theVolumeSummaryCountsSizesAndMetadataFrom312() {
    ProjectApi mine = new ProjectApi();
    mine.admin()
        .contentType("application/json")
        .body(Map.of("volume", Map.of("size", 2, "metadata", Map.of("tier", "gold"))))
        .post(mine.volumes())
        .then()
        .statusCode(202);
    mine.admin()
        .contentType("application/json")
        .body(Map.of("volume", Map.of("size", 3, "metadata", Map.of("tier", "silver"))))
        .post(mine.volumes())
        .then()
        .statusCode(202);

    mine.admin()
        .header("OpenStack-API-Version", "volume 3.36")
        .get(mine.volumes() + "/summary")
        .then()
        .statusCode(200)
        .body("'volume-summary'.total_count", equalTo(2))
        .body("'volume-summary'.total_size", equalTo(5))
        .body("'volume-summary'.metadata.tier", containsInAnyOrder("gold", "silver"));
    mine.admin()
        .header("OpenStack-API-Version", "volume 3.12")
        .get(mine.volumes() + "/summary")
        .then()
        .statusCode(200)
        .body("'volume-summary'.total_count", equalTo(2))
        .body("'volume-summary'", not(hasKey("metadata")));
    // Before 3.12 "summary" is a volume id.
    mine.admin()
        .get(mine.volumes() + "/summary")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Volume summary could not be found."));
  }

  @Test
  void anAdminsAllTenantsListKeepsTheProjectIdFilter() {
    ProjectApi one = new ProjectApi();
    ProjectApi other = new ProjectApi();
    String mine = one.create(one.admin(), 1);
    String theirs = other.create(other.admin(), 1);

    List<String> ids =
        one.admin()
            .get(one.volumes() + "?all_tenants=1&project_id=" + other.project)
            .then()
            .statusCode(200)
            .extract()
            .path("volumes.id");
    assertEquals(List.of(theirs), ids);
    // Without all_tenants, project_id changes nothing: the caller's own project.
    List<String> own =
        one.as("member")
            .get(one.volumes() + "?project_id=" + other.project)
            .then()
            .statusCode(200)
            .extract()
            .path("volumes.id");
    assertEquals(List.of(mine), own);
  }

  @Test
  void resettingAProjectsQuotasAnswers200WithNoBody() {
    String body =
        api.admin()
            .delete("/v3/" + api.project + "/os-quota-sets/" + api.project)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertEquals("", body);
  }

  @Test
  void servicesFilteredByABareHostNameFindItsBackendsAndANullReasonIsRefused() {
    String host = "t-" + tag;
    report(host + "@fake#fake");
    awaitServices("?host=" + host + "@fake", 1);

    services("?host=" + host)
        .then()
        .statusCode(200)
        .body("services.size()", equalTo(1))
        .body("services[0].host", equalTo(host + "@fake"));
    services("?host=" + host + "@fake#fake").then().body("services.size()", equalTo(0));
    services("?host=" + host + "@fak").then().body("services.size()", equalTo(0));

    api.admin()
        .body(
            "{\"host\": \""
                + host
                + "@fake\", \"binary\": \"cinder-volume\","
                + " \"disabled_reason\": null}")
        .put("/v3/" + api.project + "/os-services/disable-log-reason")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid input for field/attribute disabled_reason. Value: None."
                    + " None is not of type 'string'"));
    services("?host=" + host + "@fake").then().body("services[0].status", equalTo("enabled"));
  }

  @Test
  void poolCapabilitiesReportedAsTextAreShownAsBooleansAndNumbers() {
    String pool = "c-" + tag + "@fake#fake";
    report(pool);
    awaitServices("?host=c-" + tag + "@fake", 1);

    Response detail = api.admin().get("/v3/" + api.project + "/scheduler-stats/get_pools?detail=1");
    detail.then().statusCode(200).body("pools.name", hasItem(pool));
    Map<String, Object> caps = detail.path("pools.find { it.name == '" + pool + "' }.capabilities");
    assertEquals(Boolean.FALSE, caps.get("QoS_support"));
    assertEquals(Boolean.TRUE, caps.get("multiattach"));
    assertEquals(7, ((Number) caps.get("total_volumes")).intValue());
    assertEquals("gold", caps.get("tier"));
  }

  @Test
  void aResourcePathEndingInASlashIsNoResourceForAnyMethod() {
    String id = api.create(api.admin(), 1);
    api.admin()
        .get(api.volumes() + "/")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("The resource could not be found."));
    api.admin().delete(api.volumes() + "/").then().statusCode(404);
    api.admin()
        .body("{\"volume\": {\"name\": \"x\"}}")
        .put(api.volumes() + "/")
        .then()
        .statusCode(404);
    api.admin().get(api.volumes() + "/" + id).then().statusCode(200);
    api.admin().get("/v3/").then().statusCode(200);
  }

  private Response services(String query) {
    return api.admin().get("/v3/" + api.project + "/os-services" + query);
  }

  private void awaitServices(String query, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (services(query).<List<?>>path("services").size() != count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("os-services" + query + " did not list " + count + " in time");
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
            "fake",
            "zone-" + tag,
            1000,
            900,
            100,
            100,
            true,
            true,
            20.0,
            0,
            Map.of(
                "QoS_support",
                "false",
                "multiattach",
                "true",
                "total_volumes",
                "7",
                "tier",
                "gold"),
            List.of(),
            Instant.now());
    TestKafka.produce(
        topics.capabilities(),
        pool,
        Envelope.of(MessageType.CAPABILITIES, pool, null, report).toJson());
  }
}
