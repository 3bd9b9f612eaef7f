package io.ember.api.housekeeping;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.ember.api.testsupport.TestKafka;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.VolumeCreated;
import io.ember.model.contract.VolumeDownloading;
import io.ember.model.contract.VolumeExtended;
import io.ember.model.contract.VolumeManaged;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Nothing stays in a transitional status: with no scheduler and no volume host answering (none runs
 * in this service's tests), a volume times out of {@code creating} into {@code error} and out of
 * {@code deleting} into {@code error_deleting}, keeping its quota, and a result that comes late
 * still lets the delete reach the backend.
 */
@QuarkusTest
@TestProfile(FastHousekeeping.class)
class DeadlinesTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private final String project = UUID.randomUUID().toString().replace("-", "");
  private final Topics topics = new Topics(TestKafka.prefix());

  private RequestSpecification admin() {
    return given().header("X-Auth-Token", "admin:" + project).contentType("application/json");
  }

  @Test
  void unansweredCreatesAndDeletesTimeOutIntoErrorStatuses() throws InterruptedException {
    String id = create(2);

    awaitStatus(id, "error");
    admin()
        .get("/v3/" + project + "/os-quota-sets/" + project + "?usage=True")
        .then()
        .body("quota_set.volumes.in_use", equalTo(1))
        .body("quota_set.gigabytes.in_use", equalTo(2));
    admin()
        .header("OpenStack-API-Version", "volume 3.3")
        .get("/v3/" + project + "/messages")
        .then()
        .statusCode(200)
        .body("messages[0].event_id", equalTo("VOLUME_VOLUME_001_001"))
        .body("messages[0].resource_uuid", equalTo(id));

    // The backend's answer comes after the deadline: the volume stays in error, but it now has a
    // host, so deleting it must go to that host rather than just drop the row.
    Envelope late =
        Envelope.of(
            MessageType.VOLUME_CREATED,
            id,
            new RequestContext("req-late", "admin", project, List.of()),
            new VolumeCreated(id, "node1@fake#fake", "fake://" + id, Instant.now()));
    TestKafka.produce(topics.volumeEvents(), id, late.toJson());
    awaitHost(id, "node1@fake#fake");
    show(id).then().body("volume.status", equalTo("error"));

    admin().delete("/v3/" + project + "/volumes/" + id).then().statusCode(202);
    var deletes =
        TestKafka.await(topics.volumeHost("node1@fake"), r -> id.equals(r.key()), 1, WAIT);
    assertEquals(1, deletes.size(), "the delete went to the volume's host");
    assertEquals(
        id, Envelope.fromJson(deletes.get(0).value()).payloadAs(DeleteVolume.class).volumeId());

    // ... which never answers: out of deleting into error_deleting, which (as in Cinder) only an
    // admin's force-delete or reset-state leaves; the quota stays with the volume meanwhile.
    awaitStatus(id, "error_deleting");
    admin().delete("/v3/" + project + "/volumes/" + id).then().statusCode(400);
    admin()
        .get("/v3/" + project + "/os-quota-sets/" + project + "?usage=True")
        .then()
        .body("quota_set.volumes.in_use", equalTo(1));
  }

  @Test
  void aVolumeLeftDownloadingTimesOutIntoErrorAsCindersCleanupDoes() throws InterruptedException {
    String id = create(1);
    Envelope downloading =
        Envelope.of(
            MessageType.VOLUME_DOWNLOADING,
            id,
            new RequestContext("req-dl", "admin", project, List.of()),
            new VolumeDownloading(id, "node1@fake#fake", "img"));
    TestKafka.produce(topics.volumeEvents(), id, downloading.toJson());
    awaitStatus(id, "downloading");

    awaitStatus(id, "error");
    admin()
        .header("OpenStack-API-Version", "volume 3.3")
        .get("/v3/" + project + "/messages")
        .then()
        .body("messages[0].event_id", equalTo("VOLUME_VOLUME_001_001"));
  }

  @Test
  void anUnansweredExtendTimesOutIntoErrorExtendingAndALateResultStillCounts()
      throws InterruptedException {
    String id = create(1);
    RequestContext host = new RequestContext("req-host", "admin", project, List.of());
    TestKafka.produce(
        topics.volumeEvents(),
        id,
        Envelope.of(
                MessageType.VOLUME_CREATED,
                id,
                host,
                new VolumeCreated(id, "node1@fake#fake", "fake://" + id, Instant.now()))
            .toJson());
    awaitHost(id, "node1@fake#fake");
    // The create's own deadline is short here too: whichever way it went, make it available.
    admin()
        .body("{\"os-reset_status\": {\"status\": \"available\"}}")
        .post("/v3/" + project + "/volumes/" + id + "/action")
        .then()
        .statusCode(202);
    awaitStatus(id, "available");

    admin()
        .body("{\"os-extend\": {\"new_size\": 3}}")
        .post("/v3/" + project + "/volumes/" + id + "/action")
        .then()
        .statusCode(202);

    // No host answers: out of extending at the deadline, at its old size.
    awaitStatus(id, "error_extending");
    show(id).then().body("volume.size", equalTo(1));

    // The host's result, late: the volume did grow, and goes back to where it was.
    TestKafka.produce(
        topics.volumeEvents(),
        id,
        Envelope.of(MessageType.VOLUME_EXTENDED, id, host, new VolumeExtended(id, 1, 3)).toJson());
    awaitStatus(id, "available");
    show(id).then().body("volume.size", equalTo(3));
    // Charged since the extend began; the audit (every second here) may have taken the added size
    // back while no result had come, and gives it again now that the volume has it.
    long deadline = System.nanoTime() + WAIT.toNanos();
    Object inUse = null;
    while (System.nanoTime() < deadline && !Integer.valueOf(3).equals(inUse)) {
      Thread.sleep(100);
      inUse =
          admin()
              .get("/v3/" + project + "/os-quota-sets/" + project + "?usage=True")
              .path("quota_set.gigabytes.in_use");
    }
    assertEquals(3, inUse);
  }

  @Test
  void anUnansweredManageTimesOutIntoErrorManagingAndALateResultStillCounts()
      throws InterruptedException {
    io.ember.api.testsupport.HostReports.up("node1@fake#fake");
    String id = null;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (id == null && System.nanoTime() < deadline) {
      var r =
          admin()
              .body(
                  "{\"volume\": {\"host\": \"node1@fake#fake\","
                      + " \"ref\": {\"source-name\": \"volume-x\"}}}")
              .post("/v3/" + project + "/os-volume-manage");
      if (r.statusCode() == 202) {
        id = r.path("volume.id");
      } else {
        Thread.sleep(100); // the host's report is still on its way
      }
    }
    assertNotNull(id, "the manage request accepted");

    // No scheduler answers: error_managing, shown as Cinder shows it.
    awaitStatus(id, "error");
    TestKafka.produce(
        topics.volumeEvents(),
        id,
        Envelope.of(
                MessageType.VOLUME_MANAGED,
                id,
                new RequestContext("req-late", "admin", project, List.of()),
                new VolumeManaged(id, "node1@fake#fake", 4, "fake://" + id))
            .toJson());
    awaitStatus(id, "available");
    show(id).then().body("volume.size", equalTo(4));
  }

  private String create(int sizeGb) {
    return admin()
        .body("{\"volume\": {\"size\": " + sizeGb + "}}")
        .post("/v3/" + project + "/volumes")
        .then()
        .statusCode(202)
        .extract()
        .path("volume.id");
  }

  private Response show(String id) {
    return admin().get("/v3/" + project + "/volumes/" + id);
  }

  private void awaitStatus(String id, String status) throws InterruptedException {
    await(id, "volume.status", status);
  }

  private void awaitHost(String id, String host) throws InterruptedException {
    await(id, "volume.'os-vol-host-attr:host'", host);
  }

  private void await(String id, String path, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Object seen = null;
    while (System.nanoTime() < deadline) {
      seen = show(id).path(path);
      if (expected.equals(seen)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("volume " + id + " " + path + " stayed " + seen + ", not " + expected);
  }
}
