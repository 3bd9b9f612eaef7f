package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.AnsweringHost;
import io.ember.api.testsupport.Await;
import io.ember.api.testsupport.HostReports;
import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.api.testsupport.VolumeHostSide;
import io.ember.model.Topics;
import io.ember.model.contract.DeleteSnapshot;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ManageExisting;
import io.ember.model.contract.ManageExistingSnapshot;
import io.ember.model.contract.ManageableList;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.SnapshotCreated;
import io.ember.model.contract.SnapshotDeleted;
import io.ember.model.contract.VolumeDeleted;
import io.ember.model.contract.VolumeManageFailed;
import io.ember.model.contract.VolumeManaged;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Manage and unmanage (Cinder's {@code volume_manage}, {@code volume_unmanage}, {@code
 * snapshot_manage}, {@code snapshot_unmanage} and the manageable listings): the admin policy,
 * Cinder's checks and messages, the commands the scheduler and the host get, and what the hosts'
 * results do to what users see (status, size, quota).
 */
@QuarkusTest
class ManageApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HOST = "node1@fake";
  private static final String POOL = HOST + "#fake";

  private final ProjectApi api = new ProjectApi();
  private final VolumeHostSide host = new VolumeHostSide(api.project);
  private final Topics topics = new Topics(TestKafka.prefix());

  @BeforeEach
  void hostUp() {
    HostReports.up(POOL);
    Await.until(
        () ->
            api
                .admin()
                .get("/v3/" + api.project + "/os-services?binary=cinder-volume")
                .<List<Map<String, Object>>>path("services")
                .stream()
                .anyMatch(s -> HOST.equals(s.get("host"))),
        "the volume host known");
  }

  private String base() {
    return "/v3/" + api.project;
  }

  private RequestSpecification v38() {
    return api.admin().header("OpenStack-API-Version", "volume 3.8");
  }

  private Response manage(RequestSpecification who, String body) {
    return who.body(body).post(base() + "/os-volume-manage");
  }

  private static String manageBody(String host, String ref) {
    return "{\"volume\": {\"host\": \""
        + host
        + "\", \"ref\": {\"source-name\": \""
        + ref
        + "\"}, \"name\": \"adopted\", \"metadata\": {\"k\": \"v\"}}}";
  }

  private Map<String, Object> shown(String id) {
    return api.show(id).then().statusCode(200).extract().path("volume");
  }

  /** The request of {@code type} the scheduler got about {@code id}. */
  private Envelope schedulerGot(String id, MessageType type) {
    List<ConsumerRecord<String, String>> sent =
        TestKafka.await(
            topics.schedulerRequests(),
            r -> id.equals(r.key()) && type.wire().equals(Envelope.fromJson(r.value()).type()),
            1,
            WAIT);
    assertEquals(1, sent.size(), type.wire() + " sent for " + id);
    return Envelope.fromJson(sent.get(0).value());
  }

  private void publish(String id, MessageType type, Object payload) {
    host.publish(id, host.event(type, id, payload));
  }

  // ---- volumes: unmanage ----

  @Test
  void unmanageSendsTheHostUnmanageAndTheDeletedEventRemovesTheVolumeAndItsQuota()
      throws Exception {
    String id = api.create(api.admin(), 2);
    api.placeOn(HOST, id);
    int volumes = api.inUse("volumes");
    int gigabytes = api.inUse("gigabytes");

    api.admin()
        .body("{\"os-unmanage\": {}}")
        .post(api.volumes() + "/" + id + "/action")
        .then()
        .statusCode(202);
    assertEquals("unmanaging", api.statusOf(id));
    Envelope command = host.command(HOST, id, MessageType.UNMANAGE_VOLUME);
    DeleteVolume unmanage = command.payloadAs(DeleteVolume.class);
    assertEquals(POOL, unmanage.pool());
    assertEquals(2, unmanage.size());
    assertEquals(volumes, api.inUse("volumes"), "quota held until the host is done");

    publish(id, MessageType.VOLUME_DELETED, new VolumeDeleted(id, POOL));
    api.awaitStatus(id, "404");
    assertEquals(volumes - 1, api.inUse("volumes"));
    assertEquals(gigabytes - 2, api.inUse("gigabytes"));
  }

  @Test
  void unmanageIsTheAdminsAndTakesTheDeletesStatuses() throws Exception {
    String id = api.create(api.as("alice"), 1);
    api.as("alice")
        .body("{\"os-unmanage\": null}")
        .post(api.volumes() + "/" + id + "/action")
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo("Policy doesn't allow volume_extension:volume_unmanage to be performed."));
    // Still creating: refused with the delete's message, nothing sent.
    api.admin()
        .body("{\"os-unmanage\": {}}")
        .post(api.volumes() + "/" + id + "/action")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid volume: Volume status must be available or error or error_restoring or"
                    + " error_extending or error_managing and must not be migrating, attached,"
                    + " belong to a group, have snapshots, awaiting a transfer, or be"
                    + " disassociated from snapshots after volume transfer."));
    assertEquals("creating", api.statusOf(id));
    api.admin()
        .body("{\"os-unmanage\": {}}")
        .post(api.volumes() + "/" + UUID.randomUUID() + "/action")
        .then()
        .statusCode(404);
  }

  @Test
  void aFailedUnmanageEndsInErrorUnmanaging() throws Exception {
    String id = api.create(api.admin(), 1);
    api.placeOn(HOST, id);
    api.admin()
        .body("{\"os-unmanage\": {}}")
        .post(api.volumes() + "/" + id + "/action")
        .then()
        .statusCode(202);
    host.command(HOST, id, MessageType.UNMANAGE_VOLUME);
    publish(
        id,
        MessageType.VOLUME_DELETE_FAILED,
        new io.ember.model.contract.VolumeDeleteFailed(id, POOL, "backend says no"));
    api.awaitStatus(id, "error_unmanaging");
  }

  // ---- volumes: manage ----

  @Test
  void manageMakesAManagingEntryAskesTheSchedulerAndTheHostsResultMakesItAvailable()
      throws Exception {
    int volumes = api.inUse("volumes");
    int gigabytes = api.inUse("gigabytes");
    Response accepted = manage(api.admin(), manageBody(POOL, "volume-old"));
    accepted.then().statusCode(202).body("volume.status", equalTo("creating"));
    String id = accepted.path("volume.id");
    assertEquals("adopted", accepted.path("volume.name"));
    assertEquals(0, (int) accepted.path("volume.size"));
    assertEquals(volumes + 1, api.inUse("volumes"), "the volume is charged at once");
    assertEquals(gigabytes, api.inUse("gigabytes"), "its size is not known yet");

    ManageExisting request =
        schedulerGot(id, MessageType.SCHEDULE_MANAGE_EXISTING).payloadAs(ManageExisting.class);
    assertEquals(POOL, request.host());
    assertEquals(Map.of("source-name", "volume-old"), request.ref());
    assertEquals(id, request.volume().volumeId());
    assertEquals(Map.of("k", "v"), request.volume().metadata());

    publish(id, MessageType.VOLUME_MANAGED, new VolumeManaged(id, POOL, 3, "fake://x"));
    api.awaitStatus(id, "available");
    Map<String, Object> volume = shown(id);
    assertEquals(3, volume.get("size"));
    assertEquals(POOL, volume.get("os-vol-host-attr:host"));
    assertEquals("nova", volume.get("availability_zone"), "the host's zone by default");
    assertEquals(volumes + 1, api.inUse("volumes"));
    assertEquals(gigabytes + 3, api.inUse("gigabytes"));
  }

  @Test
  void theV38PathManagesTooAndIsMissingBelow38() {
    v38()
        .body(manageBody(HOST, "volume-x"))
        .post(base() + "/manageable_volumes")
        .then()
        .statusCode(202)
        .body("volume.status", equalTo("creating"));
    api.admin()
        .body(manageBody(HOST, "volume-x"))
        .post(base() + "/manageable_volumes")
        .then()
        .statusCode(404);
  }

  @Test
  void aManageTheHostRefusesEndsInErrorManagingShownAsErrorAndMayBeDeleted() throws Exception {
    int volumes = api.inUse("volumes");
    String id = manage(api.admin(), manageBody(POOL, "nothing")).path("volume.id");
    schedulerGot(id, MessageType.SCHEDULE_MANAGE_EXISTING);
    publish(
        id,
        MessageType.VOLUME_MANAGE_FAILED,
        new VolumeManageFailed(
            id,
            POOL,
            "Manage existing volume failed due to invalid backend reference {'source-name':"
                + " 'nothing'}: Specified object does not exist."));
    api.awaitStatus(id, "error");
    api.admin().delete(api.volumes() + "/" + id).then().statusCode(202);
    // Never sized, so nothing on the backend is the volume: the delete still goes to the host.
    publish(id, MessageType.VOLUME_DELETED, new VolumeDeleted(id, POOL));
    api.awaitStatus(id, "404");
    assertEquals(volumes, api.inUse("volumes"));
  }

  @Test
  void manageRequestsAreCheckedAsCindersAre() throws Exception {
    String existing = api.create(api.admin(), 1);
    manage(api.as("alice"), manageBody(POOL, "volume-a"))
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo("Policy doesn't allow volume_extension:volume_manage to be performed."));
    manage(api.admin(), "{\"volume\": {\"host\": \"" + POOL + "\"}}")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid input for field/attribute volume. Value: {\"host\":\""
                    + POOL
                    + "\"}. 'ref' is a required property"));
    manage(api.admin(), "{\"volume\": {\"ref\": {\"source-name\": \"a\"}}}")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Invalid input received: Host field is missing."));
    manage(api.admin(), "{\"volume\": {\"host\": \"" + POOL + "\", \"ref\": {}, \"size\": 1}}")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("Additional properties are not allowed ('size' was unexpected)"));
    manage(api.admin(), manageBody("nowhere@fake#fake", "volume-a"))
        .then()
        .statusCode(503)
        .body("serviceUnavailable.message", equalTo("Host 'nowhere@fake#fake' not found"));
    manage(
            api.admin(),
            "{\"volume\": {\"host\": \""
                + POOL
                + "\", \"ref\": {\"source-name\": \"a\"}, \"volume_type\": \"no-such-type\"}}")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("Invalid volume type: Cannot find requested 'no-such-type' volume type"));
    manage(api.admin(), manageBody(POOL, "volume-" + existing))
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid volume: Unable to manage existing volume. The volume is already"
                    + " managed"));
  }

  // ---- snapshots ----

  private String snapshotOf(String volumeId) throws Exception {
    String id =
        api.admin()
            .body("{\"snapshot\": {\"volume_id\": \"" + volumeId + "\"}}")
            .post(base() + "/snapshots")
            .then()
            .statusCode(202)
            .extract()
            .path("snapshot.id");
    host.command(HOST, volumeId, MessageType.CREATE_SNAPSHOT);
    publish(volumeId, MessageType.SNAPSHOT_CREATED, new SnapshotCreated(id, volumeId, "fake://s"));
    awaitSnapshot(id, "available");
    return id;
  }

  private String snapshotStatus(String id) {
    Response r = api.admin().get(base() + "/snapshots/" + id);
    return r.statusCode() == 404 ? "404" : r.path("snapshot.status");
  }

  private void awaitSnapshot(String id, String status) {
    Await.until(() -> status.equals(snapshotStatus(id)), "snapshot " + id + " " + status);
  }

  @Test
  void aSnapshotUnmanagedThenManagedBackKeepsItsQuotaRight() throws Exception {
    String volumeId = api.create(api.admin(), 2);
    api.placeOn(HOST, volumeId);
    String snapshotId = snapshotOf(volumeId);
    int snapshots = api.inUse("snapshots");

    api.as("alice")
        .body("{\"os-unmanage\": {}}")
        .post(base() + "/snapshots/" + snapshotId + "/action")
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo("Policy doesn't allow snapshot_extension:snapshot_unmanage to be performed."));
    api.admin()
        .body("{\"os-unmanage\": {}}")
        .post(base() + "/snapshots/" + snapshotId + "/action")
        .then()
        .statusCode(202);
    assertEquals("unmanaging", snapshotStatus(snapshotId));
    DeleteSnapshot unmanage =
        host.command(HOST, volumeId, MessageType.UNMANAGE_SNAPSHOT).payloadAs(DeleteSnapshot.class);
    assertEquals(snapshotId, unmanage.snapshotId());
    publish(volumeId, MessageType.SNAPSHOT_DELETED, new SnapshotDeleted(snapshotId, volumeId));
    awaitSnapshot(snapshotId, "404");
    assertEquals(snapshots - 1, api.inUse("snapshots"));

    Response managed =
        api.admin()
            .body(
                "{\"snapshot\": {\"volume_id\": \""
                    + volumeId
                    + "\", \"ref\": {\"source-name\": \"_snapshot-"
                    + snapshotId
                    + "\"}, \"name\": \"back\", \"description\": \"again\","
                    + " \"metadata\": {\"a\": \"b\"}}}")
            .post(base() + "/os-snapshot-manage");
    managed.then().statusCode(202).body("snapshot.status", equalTo("creating"));
    String newId = managed.path("snapshot.id");
    ManageExistingSnapshot command =
        host.command(HOST, volumeId, MessageType.MANAGE_EXISTING_SNAPSHOT)
            .payloadAs(ManageExistingSnapshot.class);
    assertEquals(newId, command.snapshotId());
    assertEquals(POOL, command.pool());
    assertEquals(Map.of("source-name", "_snapshot-" + snapshotId), command.ref());
    assertEquals(snapshots, api.inUse("snapshots"), "charged at the request");

    publish(volumeId, MessageType.SNAPSHOT_CREATED, new SnapshotCreated(newId, volumeId, "f://"));
    awaitSnapshot(newId, "available");
    Map<String, Object> shown =
        api.admin().get(base() + "/snapshots/" + newId).then().extract().path("snapshot");
    assertEquals("back", shown.get("name"));
    assertEquals("again", shown.get("description"));
    assertEquals(Map.of("a", "b"), shown.get("metadata"));
    assertEquals(2, shown.get("size"));
  }

  @Test
  void snapshotManageIsCheckedAsCindersIs() throws Exception {
    String missing = UUID.randomUUID().toString();
    String ref = "\"ref\": {\"source-name\": \"_snapshot-x\"}";
    api.admin()
        .body("{\"snapshot\": {\"volume_id\": \"" + missing + "\", " + ref + "}}")
        .post(base() + "/manageable_snapshots")
        .then()
        .statusCode(404);
    v38()
        .body("{\"snapshot\": {\"volume_id\": \"" + missing + "\"}}")
        .post(base() + "/manageable_snapshots")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid input for field/attribute snapshot. Value: {\"volume_id\":\""
                    + missing
                    + "\"}. 'ref' is a required property"));
    v38()
        .body("{\"snapshot\": {\"volume_id\": \"" + missing + "\", " + ref + "}}")
        .post(base() + "/manageable_snapshots")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Volume " + missing + " could not be found."));
    String volumeId = api.create(api.as("alice"), 1);
    api.placeOn(HOST, volumeId);
    api.as("alice")
        .body("{\"snapshot\": {\"volume_id\": \"" + volumeId + "\", " + ref + "}}")
        .post(base() + "/os-snapshot-manage")
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo("Policy doesn't allow snapshot_extension:snapshot_manage to be performed."));
  }

  // ---- listings ----

  @Test
  void theListingAsksTheHostAndSortsAndPagesWhatItAnswers() {
    try (AnsweringHost answering = new AnsweringHost(HOST)) {
      answering.manageable(
          new ManageableList(
              List.of(
                  item("volume-b", 2, true, null),
                  item("volume-a", 5, true, null),
                  item("volume-c", 1, false, "c"))));
      Response summary = v38().get(base() + "/manageable_volumes?host=" + HOST);
      summary.then().statusCode(200);
      List<Map<String, Object>> items = summary.path("manageable-volumes");
      assertEquals(
          List.of("volume-c", "volume-b", "volume-a"),
          items.stream().map(i -> ((Map<?, ?>) i.get("reference")).get("source-name")).toList(),
          "reference:desc by default");
      assertEquals(
          Map.of(
              "reference", Map.of("source-name", "volume-c"), "size", 1, "safe_to_manage", false),
          items.get(0));

      List<Map<String, Object>> detail =
          v38()
              .get(base() + "/manageable_volumes/detail?host=" + POOL + "&sort=size:asc&limit=2")
              .then()
              .statusCode(200)
              .extract()
              .path("manageable-volumes");
      assertEquals(2, detail.size());
      assertEquals(1, detail.get(0).get("size"));
      assertEquals("Already managed", detail.get(0).get("reason_not_safe"));
      assertEquals("c", detail.get(0).get("cinder_id"));
      assertEquals(2, detail.get(1).get("size"));

      List<Map<String, Object>> afterMarker =
          api.admin()
              .queryParam("host", HOST)
              .queryParam("sort", "reference:asc")
              .queryParam("marker", "{\"source-name\": \"volume-a\"}")
              .get(base() + "/os-volume-manage")
              .then()
              .statusCode(200)
              .extract()
              .path("manageable-volumes");
      assertEquals(2, afterMarker.size());
      assertEquals(Map.of("source-name", "volume-b"), afterMarker.get(0).get("reference"));

      List<Map<String, Object>> snapshots =
          v38()
              .get(base() + "/manageable_snapshots?host=" + HOST)
              .then()
              .statusCode(200)
              .extract()
              .path("manageable-snapshots");
      assertEquals(3, snapshots.size());
      assertTrue(snapshots.get(0).containsKey("source_reference"));
      assertTrue(answering.calls().size() >= 4);
    }
  }

  @Test
  void listingsAreCheckedAsCindersAre() {
    v38()
        .get(base() + "/manageable_volumes")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Invalid input received: Host field is missing."));
    v38()
        .get(base() + "/manageable_volumes?host=nowhere@fake")
        .then()
        .statusCode(404)
        .body(
            "itemNotFound.message",
            equalTo("Service cinder-volume could not be found on host nowhere@fake."));
    v38()
        .get(base() + "/manageable_volumes?host=" + HOST + "&sort=name")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Invalid sort keys passed: name"));
    api.as("alice")
        .header("OpenStack-API-Version", "volume 3.8")
        .get(base() + "/manageable_snapshots?host=" + HOST)
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo("Policy doesn't allow snapshot_extension:list_manageable to be performed."));
    api.admin().get(base() + "/manageable_volumes?host=" + HOST).then().statusCode(404);
  }

  private static ManageableList.Item item(String name, int size, boolean safe, String id) {
    return new ManageableList.Item(
        Map.of("source-name", name),
        size,
        safe,
        safe ? null : "Already managed",
        id,
        Map.of(),
        Map.of("source-name", "volume-v"));
  }
}
