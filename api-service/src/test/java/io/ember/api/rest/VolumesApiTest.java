package io.ember.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.api.volume.Volume;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeCreated;
import io.ember.model.contract.VolumeDeleted;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The volume API end to end inside the service: HTTP in, Kafka out, Kafka in, HTTP out. */
@QuarkusTest
class VolumesApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private final Topics topics = new Topics(TestKafka.prefix());
  private final ProjectApi projectApi = new ProjectApi();
  private final String project = projectApi.project;

  static String newProject() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private RequestSpecification as(String user, String projectId) {
    return given().header("X-Auth-Token", user + ":" + projectId).contentType("application/json");
  }

  private RequestSpecification admin() {
    return as("admin", project);
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

  private Envelope scheduled(String volumeId) {
    List<ConsumerRecord<String, String>> records =
        TestKafka.await(topics.schedulerRequests(), r -> volumeId.equals(r.key()), 1, WAIT);
    assertEquals(1, records.size(), "schedule_volume for " + volumeId);
    return Envelope.fromJson(records.get(0).value());
  }

  private void event(MessageType type, String volumeId, Object payload) {
    Envelope e =
        Envelope.of(
            type, volumeId, new RequestContext("req-test", "admin", project, List.of()), payload);
    TestKafka.produce(topics.volumeEvents(), volumeId, e.toJson());
  }

  private Response show(String id) {
    return admin().get("/v3/" + project + "/volumes/" + id);
  }

  private void awaitStatus(String id, String status) throws InterruptedException {
    projectApi.awaitStatus(id, status);
  }

  private int inUse(String resource) {
    return projectApi.inUse(resource);
  }

  @Test
  void createCastsToTheSchedulerAndBecomesAvailableOnTheCreatedEvent() throws Exception {
    Response created =
        admin()
            .body(
                "{\"volume\": {\"size\": 2, \"name\": \"data\", \"description\": \"d\", \"metadata\": {\"k\": \"v\"}}}")
            .post("/v3/" + project + "/volumes");
    created
        .then()
        .statusCode(202)
        .header("X-OpenStack-Request-Id", startsWith("req-"))
        .header("OpenStack-API-Version", "volume 3.0")
        .body("volume.status", equalTo("creating"))
        .body("volume.size", equalTo(2))
        .body("volume.name", equalTo("data"))
        .body("volume.metadata.k", equalTo("v"))
        .body("volume.bootable", equalTo("false"))
        .body("volume.availability_zone", equalTo("nova"))
        .body("volume.updated_at", nullValue())
        .body("volume", not(hasKey("os-vol-host-attr:host")));
    String id = created.path("volume.id");
    String requestId = created.header("X-OpenStack-Request-Id");

    Envelope command = scheduled(id);
    assertEquals(MessageType.SCHEDULE_VOLUME, command.messageType());
    assertEquals(requestId, command.requestId(), "the request id travels with the command");
    ScheduleVolume schedule = command.payloadAs(ScheduleVolume.class);
    assertEquals(2, schedule.volume().size());
    assertEquals(project, schedule.volume().projectId());
    assertEquals(0, schedule.retry().attempts());
    assertEquals(1, inUse("volumes"));
    assertEquals(2, inUse("gigabytes"));

    event(
        MessageType.VOLUME_CREATED,
        id,
        new VolumeCreated(id, "node1@fake#fake", "fake://" + id, Instant.now()));
    awaitStatus(id, "available");
    show(id)
        .then()
        .body("volume.os-vol-host-attr:host", equalTo("node1@fake#fake"))
        .body("volume.os-vol-tenant-attr:tenant_id", equalTo(project));
    // The project's own member sees the tenant attribute (Tempest's transfer test reads it), not
    // the admin's host and migration attributes.
    as("alice", project)
        .get("/v3/" + project + "/volumes/" + id)
        .then()
        .statusCode(200)
        .body("volume.os-vol-tenant-attr:tenant_id", equalTo(project))
        .body("volume", not(hasKey("os-vol-host-attr:host")))
        .body("volume", not(hasKey("os-vol-mig-status-attr:migstat")));
    Volume stored =
        QuarkusTransaction.requiringNew().call(() -> Volume.findById(UUID.fromString(id)));
    assertEquals("fake://" + id, stored.providerLocation, "kept for the delete");
    assertNotNull(stored.launchedAt);

    admin()
        .get("/v3/" + project + "/volumes")
        .then()
        .statusCode(200)
        .body("volumes[0].id", equalTo(id))
        .body("volumes[0]", not(hasKey("status")));
    admin()
        .get("/v3/volumes/detail")
        .then()
        .statusCode(200)
        .body("volumes[0].id", equalTo(id))
        .body("volumes[0].status", equalTo("available"));

    admin().delete("/v3/" + project + "/volumes/" + id).then().statusCode(202);
    show(id).then().body("volume.status", equalTo("deleting"));
    List<ConsumerRecord<String, String>> deletes =
        TestKafka.await(topics.volumeHost("node1@fake"), r -> id.equals(r.key()), 1, WAIT);
    assertEquals(1, deletes.size());
    DeleteVolume delete = Envelope.fromJson(deletes.get(0).value()).payloadAs(DeleteVolume.class);
    assertEquals("node1@fake#fake", delete.pool());
    assertEquals(1, inUse("volumes"), "quota is held until the backend reports the volume gone");

    event(MessageType.VOLUME_DELETED, id, new VolumeDeleted(id, "node1@fake#fake"));
    awaitStatus(id, "404");
    assertEquals(0, inUse("volumes"));
    assertEquals(0, inUse("gigabytes"));
  }

  @Test
  void aFailedCreateKeepsQuotaUntilDeletedAndANeverScheduledVolumeIsDeletedByTheApi()
      throws Exception {
    String id = create("{\"volume\": {\"size\": 3}}");
    scheduled(id);
    event(
        MessageType.VOLUME_CREATE_FAILED,
        id,
        new VolumeCreateFailed(id, null, "No valid backend was found."));
    awaitStatus(id, "error");
    assertEquals(3, inUse("gigabytes"), "an error volume keeps its quota, as in Cinder");
    admin()
        .header("OpenStack-API-Version", "volume 3.3")
        .get("/v3/" + project + "/messages")
        .then()
        .statusCode(200)
        .body("messages[0].event_id", equalTo("VOLUME_VOLUME_001_003"))
        .body(
            "messages[0].user_message",
            equalTo("schedule allocate volume:Could not find any available weighted backend."))
        .body("messages[0].resource_uuid", equalTo(id))
        .body("messages[0].message_level", equalTo("ERROR"));
    admin().get("/v3/" + project + "/messages").then().statusCode(404);

    admin().delete("/v3/" + project + "/volumes/" + id).then().statusCode(202);
    show(id)
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Volume " + id + " could not be found."));
    assertEquals(0, inUse("gigabytes"));
    assertEquals(0, inUse("volumes"));
  }

  @Test
  void aRedeliveredEventHasOneEffect() throws Exception {
    String id = create("{\"volume\": {\"size\": 1}}");
    scheduled(id);
    event(MessageType.VOLUME_CREATED, id, new VolumeCreated(id, "node2@fake#fake", null, null));
    awaitStatus(id, "available");
    String other = create("{\"volume\": {\"size\": 1}}");
    scheduled(other);
    event(
        MessageType.VOLUME_CREATED, other, new VolumeCreated(other, "node2@fake#fake", null, null));
    awaitStatus(other, "available");
    assertEquals(2, inUse("volumes"));

    admin().delete("/v3/" + project + "/volumes/" + id).then().statusCode(202);
    Envelope deleted =
        Envelope.of(
            MessageType.VOLUME_DELETED,
            id,
            new RequestContext("req-dup", "admin", project, List.of()),
            new VolumeDeleted(id, "node2@fake#fake"));
    TestKafka.produce(topics.volumeEvents(), id, deleted.toJson());
    TestKafka.produce(topics.volumeEvents(), id, deleted.toJson());
    awaitStatus(id, "404");
    // A marker event after the duplicate proves the duplicate was consumed before we look.
    String marker = create("{\"volume\": {\"size\": 1}}");
    scheduled(marker);
    event(
        MessageType.VOLUME_CREATED,
        marker,
        new VolumeCreated(marker, "node2@fake#fake", null, null));
    awaitStatus(marker, "available");

    assertEquals(2, inUse("volumes"), "the second delivery released nothing");
    show(other).then().statusCode(200);
    // The API's handlers are also guarded by status, so the inbox's own record is what shows
    // that the id was checked.
    assertEquals(1, inboxEntries(deleted.messageId()));

    // Redelivered in a later poll, after a restart say: the statement that carries the poll's
    // inbox record fails, and the poll is handled again with the check first.
    Envelope created =
        Envelope.of(
            MessageType.VOLUME_CREATED,
            marker,
            new RequestContext("req-dup", "admin", project, List.of()),
            new VolumeCreated(marker, "node1@fake#fake", null, null));
    TestKafka.produce(topics.volumeEvents(), marker, created.toJson());
    for (int i = 0; i < 200 && inboxEntries(created.messageId()) == 0; i++) {
      Thread.sleep(100);
    }
    assertEquals(1, inboxEntries(created.messageId()), "the first delivery was handled");
    TestKafka.produce(topics.volumeEvents(), id, deleted.toJson());
    TestKafka.produce(topics.volumeEvents(), marker, created.toJson());
    String last = create("{\"volume\": {\"size\": 1}}");
    scheduled(last);
    event(MessageType.VOLUME_CREATED, last, new VolumeCreated(last, "node2@fake#fake", null, null));
    awaitStatus(last, "available");
    assertEquals(3, inUse("volumes"), "the late deliveries changed no usage");
    assertEquals(1, inboxEntries(deleted.messageId()));
    assertEquals(1, inboxEntries(created.messageId()));
  }

  private static long inboxEntries(String messageId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                ((Number)
                        Volume.getEntityManager()
                            .createNativeQuery(
                                "select count(*) from inbox where consumer = ?1 and message_id = ?2")
                            .setParameter(1, "api.volume-events")
                            .setParameter(2, messageId)
                            .getSingleResult())
                    .longValue());
  }

  @Test
  void aMalformedEventIsDeadLetteredAndTheNextOneIsProcessed() throws Exception {
    String id = create("{\"volume\": {\"size\": 1}}");
    scheduled(id);
    String poison = "{not json at all " + UUID.randomUUID();
    TestKafka.produce(topics.volumeEvents(), id, poison);
    event(MessageType.VOLUME_CREATED, id, new VolumeCreated(id, "node1@fake#fake", null, null));
    awaitStatus(id, "available");

    List<ConsumerRecord<String, String>> dead =
        TestKafka.await(topics.deadLetter(), r -> poison.equals(r.value()), 1, WAIT);
    assertEquals(1, dead.size());
    assertTrue(
        dead.get(0).headers().lastHeader("dead-letter-reason") != null,
        "the reason travels with it");
  }

  @Test
  void projectsSeeOnlyTheirOwnVolumes() {
    String id = create("{\"volume\": {\"size\": 1}}");
    String stranger = newProject();
    as("bob", stranger)
        .get("/v3/" + stranger + "/volumes/" + id)
        .then()
        .statusCode(404)
        .body("itemNotFound.code", equalTo(404));
    as("bob", stranger).delete("/v3/" + stranger + "/volumes/" + id).then().statusCode(404);
    as("bob", stranger)
        .get("/v3/" + stranger + "/volumes/detail")
        .then()
        .statusCode(200)
        .body("volumes.size()", equalTo(0));
    as("bob", stranger)
        .get("/v3/" + stranger + "/volumes/detail?all_tenants=1")
        .then()
        .body("volumes.size()", equalTo(0));
    admin()
        .get("/v3/" + project + "/volumes/detail?all_tenants=1")
        .then()
        .body("volumes.id", org.hamcrest.Matchers.hasItem(id));
  }

  @Test
  void pagingFollowsCindersMarkerLinks() {
    String first = create("{\"volume\": {\"size\": 1, \"name\": \"p1\"}}");
    String second = create("{\"volume\": {\"size\": 1, \"name\": \"p2\"}}");
    Response page1 = admin().get("/v3/" + project + "/volumes/detail?limit=1");
    page1
        .then()
        .statusCode(200)
        .body("volumes.size()", equalTo(1))
        .body("volumes[0].id", equalTo(second));
    String next = page1.path("volumes_links[0].href");
    assertTrue(next.endsWith("/volumes/detail?limit=1&marker=" + second), next);
    admin()
        .get("/v3/" + project + "/volumes/detail?limit=1&marker=" + second)
        .then()
        .body("volumes[0].id", equalTo(first));
    admin()
        .header("OpenStack-API-Version", "volume 3.45")
        .get("/v3/" + project + "/volumes/detail?with_count=true&name=p1")
        .then()
        .body("count", equalTo(1))
        .body("volumes[0].id", equalTo(first))
        .header("OpenStack-API-Version", "volume 3.45");
  }

  @Test
  void updateChangesNameDescriptionAndMetadataAndIsAnnounced() {
    String id =
        create("{\"volume\": {\"size\": 1, \"name\": \"old\", \"metadata\": {\"a\": \"1\"}}}");
    admin()
        .body(
            "{\"volume\": {\"name\": \"renamed\", \"description\": \"d2\", \"metadata\": {\"b\": \"2\"}}}")
        .put("/v3/" + project + "/volumes/" + id)
        .then()
        .statusCode(200)
        .body("volume.name", equalTo("renamed"))
        .body("volume.description", equalTo("d2"))
        .body("volume.metadata.b", equalTo("2"))
        .body("volume.metadata", not(hasKey("a")));
    show(id)
        .then()
        .body("volume.name", equalTo("renamed"))
        .body("volume.updated_at", org.hamcrest.Matchers.notNullValue());
    admin()
        .body("{\"volume\": {\"name\": 7}}")
        .put("/v3/" + project + "/volumes/" + id)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid input for field/attribute name. Value: 7. 7 is not of type 'string', 'null'"));
    List<ConsumerRecord<String, String>> notes =
        TestKafka.await(
            topics.notifications(),
            r -> id.equals(r.key()) && r.value().contains("volume.update."),
            2,
            WAIT);
    assertEquals(2, notes.size(), "volume.update.start and .end");
    assertTrue(notes.get(1).value().contains("\"display_name\":\"renamed\""), notes.get(1).value());
  }
}
