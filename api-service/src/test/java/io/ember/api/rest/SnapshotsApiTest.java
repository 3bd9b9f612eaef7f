package io.ember.api.rest;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.api.testsupport.VolumeHostSide;
import io.ember.model.Topics;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.CreateSnapshot;
import io.ember.model.contract.DeleteSnapshot;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.SnapshotCreateFailed;
import io.ember.model.contract.SnapshotCreated;
import io.ember.model.contract.SnapshotDeleted;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The snapshots API as a user drives it: create, show, list, update, delete and metadata, with the
 * volume host's answers published as events, checked against Cinder's recorded shapes and messages
 * and against the quota a user sees.
 */
@QuarkusTest
class SnapshotsApiTest {

  static final String HOST = "node1@fake";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ProjectApi api = new ProjectApi();
  private final VolumeHostSide host = new VolumeHostSide(api.project);

  private String snapshots() {
    return "/v3/" + api.project + "/snapshots";
  }

  private String placedVolume(int sizeGb) throws InterruptedException {
    String id = api.create(api.as("alice"), sizeGb);
    api.placeOn(HOST, id);
    return id;
  }

  private Response createSnapshot(RequestSpecification who, String volumeId, String extra) {
    return who.body("{\"snapshot\": {\"volume_id\": \"" + volumeId + "\"" + extra + "}}")
        .post(snapshots());
  }

  private String snapshotOf(String volumeId) {
    return createSnapshot(api.as("alice"), volumeId, "")
        .then()
        .statusCode(202)
        .extract()
        .path("snapshot.id");
  }

  /** A snapshot the host reports created: available. */
  private String availableSnapshotOf(String volumeId) throws InterruptedException {
    String id = snapshotOf(volumeId);
    host.publish(
        volumeId,
        host.event(
            MessageType.SNAPSHOT_CREATED,
            volumeId,
            new SnapshotCreated(id, volumeId, "fake://snap-" + id)));
    awaitStatus(id, "available");
    return id;
  }

  private String statusOf(String snapshotId) {
    Response r = api.admin().get(snapshots() + "/" + snapshotId);
    return r.statusCode() == 404 ? "404" : r.path("snapshot.status");
  }

  private void awaitStatus(String snapshotId, String status) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String seen;
    while (!status.equals(seen = statusOf(snapshotId))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("snapshot " + snapshotId + " stayed " + seen);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void aSnapshotIsCreatedChargedAndShownInCindersShapes() throws InterruptedException {
    String volume = placedVolume(3);

    Response created =
        createSnapshot(
            api.as("alice"),
            volume,
            ", \"name\": \"shape-snap\", \"description\": \"snap\", \"force\": false,"
                + " \"metadata\": {\"sk\": \"sv\"}");
    created.then().statusCode(202);
    Map<String, Object> snapshot = created.path("snapshot");
    assertEquals(
        List.of(
            "id",
            "created_at",
            "updated_at",
            "name",
            "description",
            "volume_id",
            "status",
            "size",
            "metadata"),
        List.copyOf(snapshot.keySet()));
    assertEquals("creating", snapshot.get("status"));
    assertEquals(3, snapshot.get("size"));
    assertEquals(Map.of("sk", "sv"), snapshot.get("metadata"));
    assertEquals(null, snapshot.get("updated_at"));
    String id = (String) snapshot.get("id");

    // Charged at once: the volume's 3 GB and the snapshot's 3 GB, in total and per type.
    assertEquals(1, api.inUse("snapshots"));
    assertEquals(6, api.inUse("gigabytes"));
    assertEquals(1, api.inUse("snapshots___DEFAULT__"));
    assertEquals(6, api.inUse("gigabytes___DEFAULT__"));

    Envelope command = host.command(HOST, volume, MessageType.CREATE_SNAPSHOT);
    CreateSnapshot create = command.payloadAs(CreateSnapshot.class);
    assertEquals(id, create.snapshotId());
    assertEquals(volume, create.volumeId());
    assertEquals(api.project, create.projectId());
    assertEquals(HOST + "#fake", create.pool());
    assertEquals(3, create.volumeSize());
    assertEquals("shape-snap", create.name());

    api.admin()
        .get(snapshots() + "/" + id)
        .then()
        .statusCode(200)
        .body("snapshot.status", equalTo("creating"))
        .body("snapshot.'os-extended-snapshot-attributes:progress'", equalTo("0%"));

    host.publish(
        volume,
        host.event(
            MessageType.SNAPSHOT_CREATED, volume, new SnapshotCreated(id, volume, "fake://snap")));
    awaitStatus(id, "available");

    Map<String, Object> shown30 =
        api.as("alice")
            .get(snapshots() + "/" + id)
            .then()
            .statusCode(200)
            .extract()
            .path("snapshot");
    assertEquals(
        List.of(
            "id",
            "created_at",
            "updated_at",
            "name",
            "description",
            "volume_id",
            "status",
            "size",
            "metadata",
            "os-extended-snapshot-attributes:project_id",
            "os-extended-snapshot-attributes:progress"),
        List.copyOf(shown30.keySet()));
    assertEquals(api.project, shown30.get("os-extended-snapshot-attributes:project_id"));
    assertEquals("100%", shown30.get("os-extended-snapshot-attributes:progress"));

    Map<String, Object> shown370 =
        api.as("alice")
            .header("OpenStack-API-Version", "volume 3.70")
            .get(snapshots() + "/" + id)
            .then()
            .statusCode(200)
            .extract()
            .path("snapshot");
    assertEquals(
        List.of(
            "id",
            "created_at",
            "updated_at",
            "name",
            "description",
            "volume_id",
            "status",
            "size",
            "metadata",
            "group_snapshot_id",
            "user_id",
            "consumes_quota",
            "os-extended-snapshot-attributes:project_id",
            "os-extended-snapshot-attributes:progress"),
        List.copyOf(shown370.keySet()));
    assertEquals("alice", shown370.get("user_id"));
    assertEquals(true, shown370.get("consumes_quota"));

    api.as("alice")
        .get(snapshots())
        .then()
        .statusCode(200)
        .body("snapshots.size()", equalTo(1))
        .body("snapshots[0].id", equalTo(id))
        .body("snapshots[0]", not(hasKey("os-extended-snapshot-attributes:progress")));
    api.as("alice")
        .header("OpenStack-API-Version", "volume 3.70")
        .get(snapshots() + "/detail")
        .then()
        .statusCode(200)
        .body("snapshots[0].user_id", equalTo("alice"))
        .body("snapshots[0].'os-extended-snapshot-attributes:progress'", equalTo("100%"));
  }

  @Test
  void badCreatesAreRefusedAsCinderRefusesThemAndChargeNothing() throws InterruptedException {
    String volume = placedVolume(1);
    String unknown = "0b1c2d3e-0000-4000-8000-000000000000";

    api.as("alice")
        .body("{}")
        .post(snapshots())
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("'snapshot' is a required property"));
    api.as("alice")
        .body("{\"snapshot\": {\"name\": \"x\"}}")
        .post(snapshots())
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid input for field/attribute snapshot. Value: {\"name\":\"x\"}."
                    + " 'volume_id' is a required property"));
    createSnapshot(api.as("alice"), "not-a-uuid", "")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid input for field/attribute volume_id. Value: not-a-uuid."
                    + " 'not-a-uuid' is not a 'uuid'"));
    createSnapshot(api.as("alice"), volume, ", \"bogus\": 1")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("Additional properties are not allowed ('bogus' was unexpected)"));
    createSnapshot(api.as("alice"), volume, ", \"force\": \"maybe\"")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            org.hamcrest.Matchers.startsWith(
                "Invalid input for field/attribute force. Value: maybe. 'maybe' is not one of"));
    createSnapshot(api.as("alice"), unknown, "")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Volume " + unknown + " could not be found."));
    // Another project's volume is not there for this one.
    ProjectApi stranger = new ProjectApi();
    stranger
        .as("mallory")
        .body("{\"snapshot\": {\"volume_id\": \"" + volume + "\"}}")
        .post("/v3/" + stranger.project + "/snapshots")
        .then()
        .statusCode(404);

    // A volume not placed yet, an in-use one without force, one in error.
    String unplaced = api.create(api.as("alice"), 1);
    createSnapshot(api.as("alice"), unplaced, "")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid volume: The snapshot cannot be created because volume has not been"
                    + " scheduled to any host."));
    resetVolume(volume, "in-use");
    createSnapshot(api.as("alice"), volume, "")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid volume: Volume "
                    + volume
                    + " status must be available, but current status is: in-use."));
    api.as("alice")
        .header("OpenStack-API-Version", "volume 3.66")
        .body("{\"snapshot\": {\"volume_id\": \"" + volume + "\", \"force\": false}}")
        .post(snapshots())
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Since microversion 3.66 the 'force' flag is invalid for this request.  For"
                    + " backward compatability, however, when the 'force' flag is passed with a"
                    + " value evaluating to True, it is silently ignored."));
    resetVolume(volume, "error");
    createSnapshot(api.as("alice"), volume, ", \"force\": true")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid volume: The snapshot cannot be created when the volume is in error"
                    + " status."));

    api.as("alice").get(snapshots()).then().body("snapshots.size()", equalTo(0));
    assertEquals(0, api.inUse("snapshots"));
    assertEquals(1 + 1, api.inUse("gigabytes"), "the two volumes only");
  }

  @Test
  void anInUseVolumeIsSnapshottedWithForceOrFrom366() throws InterruptedException {
    String volume = placedVolume(1);
    resetVolume(volume, "in-use");

    createSnapshot(api.as("alice"), volume, ", \"force\": true").then().statusCode(202);
    api.as("alice")
        .header("OpenStack-API-Version", "volume 3.66")
        .body("{\"snapshot\": {\"volume_id\": \"" + volume + "\"}}")
        .post(snapshots())
        .then()
        .statusCode(202)
        .body("snapshot.status", equalTo("creating"))
        .body("snapshot.consumes_quota", equalTo(true));
    assertEquals(2, api.inUse("snapshots"));
  }

  @Test
  void overQuotaIs413WithCindersMessages() throws InterruptedException {
    String volume = placedVolume(2);
    setLimit("snapshots", 1);
    snapshotOf(volume);
    createSnapshot(api.as("alice"), volume, "")
        .then()
        .statusCode(413)
        .body(
            "overLimit.message",
            equalTo("SnapshotLimitExceeded: Maximum number of snapshots allowed (1) exceeded"))
        .body("overLimit.retryAfter", equalTo("0"));

    setLimit("snapshots", 10);
    setLimit("gigabytes", 5);
    createSnapshot(api.as("alice"), volume, "")
        .then()
        .statusCode(413)
        .body(
            "overLimit.message",
            equalTo(
                "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed"
                    + " gigabytes quota. Requested 2G, quota is 5G and 4G has been consumed."));
    assertEquals(1, api.inUse("snapshots"));
    assertEquals(4, api.inUse("gigabytes"));
  }

  @Test
  void aDeleteCastsToTheHostAndItsAnswerRemovesTheSnapshotAndGivesQuotaBackOnce()
      throws InterruptedException {
    String volume = placedVolume(2);
    String id = availableSnapshotOf(volume);
    assertEquals(4, api.inUse("gigabytes"));

    api.as("bob").delete(snapshots() + "/" + id).then().statusCode(202);
    assertEquals("deleting", statusOf(id));
    DeleteSnapshot delete =
        host.command(HOST, volume, MessageType.DELETE_SNAPSHOT).payloadAs(DeleteSnapshot.class);
    assertEquals(id, delete.snapshotId());
    assertEquals(volume, delete.volumeId());
    assertEquals(HOST + "#fake", delete.pool());
    assertEquals(2, delete.volumeSize());

    api.as("bob")
        .delete(snapshots() + "/" + id)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid snapshot: Snapshot status must be available or error and must not be"
                    + " part of a group."));
    assertEquals(1, api.inUse("snapshots"), "quota is held until the snapshot is gone");

    // The answer, delivered twice (a redelivery has a new message id): one release only.
    Envelope deleted =
        host.event(MessageType.SNAPSHOT_DELETED, volume, new SnapshotDeleted(id, volume));
    Envelope again =
        host.event(MessageType.SNAPSHOT_DELETED, volume, new SnapshotDeleted(id, volume));
    host.publish(volume, deleted, deleted, again);
    awaitStatus(id, "404");
    // A marker behind them on the same partition: once it applied, so had they.
    String marker = availableSnapshotOf(volume);
    assertEquals(1, api.inUse("snapshots"));
    assertEquals(4, api.inUse("gigabytes"));
    assertEquals("available", statusOf(marker));
    assertEquals("available", api.statusOf(volume));
  }

  @Test
  void aFailedCreateKeepsItsQuotaUntilDeletedAndLateResultsChangeNothing()
      throws InterruptedException {
    String volume = placedVolume(1);
    String id = snapshotOf(volume);
    host.publish(
        volume,
        host.event(
            MessageType.SNAPSHOT_CREATE_FAILED,
            volume,
            new SnapshotCreateFailed(id, volume, "backend full")));
    awaitStatus(id, "error");
    assertEquals(1, api.inUse("snapshots"));

    // A late created event for it is ignored: the snapshot stays in error.
    host.publish(
        volume,
        host.event(
            MessageType.SNAPSHOT_CREATED, volume, new SnapshotCreated(id, volume, "fake://x")));
    String marker = availableSnapshotOf(volume);
    assertEquals("error", statusOf(id));

    api.as("alice").delete(snapshots() + "/" + id).then().statusCode(202);
    host.publish(
        volume, host.event(MessageType.SNAPSHOT_DELETED, volume, new SnapshotDeleted(id, volume)));
    awaitStatus(id, "404");
    assertEquals(1, api.inUse("snapshots"), "only the marker is left");
    assertEquals("available", statusOf(marker));
  }

  @Test
  void anUpdateChangesNameAndDescriptionAndIsAnnounced() throws InterruptedException {
    String volume = placedVolume(1);
    String id = availableSnapshotOf(volume);

    api.as("alice")
        .header("OpenStack-API-Version", "volume 3.41")
        .body("{\"snapshot\": {\"name\": \"renamed\", \"description\": \"why\"}}")
        .put(snapshots() + "/" + id)
        .then()
        .statusCode(200)
        .body("snapshot.name", equalTo("renamed"))
        .body("snapshot.description", equalTo("why"))
        .body("snapshot.user_id", equalTo("alice"))
        .body("snapshot", not(hasKey("os-extended-snapshot-attributes:progress")));
    api.as("alice")
        .body("{\"snapshot\": {\"display_name\": \"legacy\"}}")
        .put(snapshots() + "/" + id)
        .then()
        .statusCode(200)
        .body("snapshot.name", equalTo("legacy"));
    api.as("alice").body("{\"snapshot\": {}}").put(snapshots() + "/" + id).then().statusCode(400);
    api.as("alice")
        .body("{\"snapshot\": {\"size\": 3}}")
        .put(snapshots() + "/" + id)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("Additional properties are not allowed ('size' was unexpected)"));

    List<String> events =
        TestKafka.await(
                new Topics(TestKafka.prefix()).notifications(),
                r -> volume.equals(r.key()) && r.value().contains("snapshot.update."),
                4,
                WAIT)
            .stream()
            .map(r -> CloudEvent.fromJson(r.value()).type())
            .toList();
    assertEquals(
        List.of(
            "snapshot.update.start",
            "snapshot.update.end",
            "snapshot.update.start",
            "snapshot.update.end"),
        events);
  }

  @Test
  void metadataIsReadSetReplacedAndDeletedItemByItem() throws InterruptedException {
    String volume = placedVolume(1);
    String id =
        createSnapshot(api.as("alice"), volume, ", \"metadata\": {\"a\": \"1\"}")
            .then()
            .statusCode(202)
            .extract()
            .path("snapshot.id");
    String metadata = snapshots() + "/" + id + "/metadata";

    api.as("alice")
        .get(metadata)
        .then()
        .statusCode(200)
        .body("metadata", equalTo(Map.of("a", "1")));
    api.as("alice")
        .body("{\"metadata\": {\"b\": \"2\"}}")
        .post(metadata)
        .then()
        .statusCode(200)
        .body("metadata", equalTo(Map.of("a", "1", "b", "2")));
    api.as("alice")
        .body("{\"metadata\": {\"c\": \"3\"}}")
        .put(metadata)
        .then()
        .statusCode(200)
        .body("metadata", equalTo(Map.of("c", "3")));
    api.as("alice")
        .body("{\"meta\": {\"c\": \"4\"}}")
        .put(metadata + "/c")
        .then()
        .statusCode(200)
        .body("meta", equalTo(Map.of("c", "4")));
    api.as("alice").get(metadata + "/c").then().statusCode(200).body("meta.c", equalTo("4"));
    api.as("alice")
        .body("{\"meta\": {\"d\": \"4\"}}")
        .put(metadata + "/c")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Request body and URI mismatch"));
    api.as("alice")
        .body("{\"metadata\": {\"k/slash\": \"v\"}}")
        .post(metadata)
        .then()
        .statusCode(400);
    api.as("alice").delete(metadata + "/c").then().statusCode(200);
    api.as("alice")
        .get(metadata + "/c")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Snapshot " + id + " has no metadata with key c."));
    api.as("alice").delete(metadata + "/c").then().statusCode(404);
    api.as("alice").get(metadata).then().body("metadata", equalTo(Map.of()));
    ProjectApi stranger = new ProjectApi();
    stranger
        .as("mallory")
        .get("/v3/" + stranger.project + "/snapshots/" + id + "/metadata")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Snapshot " + id + " could not be found."));
  }

  @Test
  void adminActionsResetTheStatusAndForceTheDelete() throws InterruptedException {
    String volume = placedVolume(1);
    String id = snapshotOf(volume);
    String action = snapshots() + "/" + id + "/action";

    api.as("alice")
        .body("{\"os-reset_status\": {\"status\": \"available\"}}")
        .post(action)
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo(
                "Policy doesn't allow volume_extension:snapshot_admin_actions:reset_status to be"
                    + " performed."));
    api.admin()
        .body("{\"os-reset_status\": {\"status\": \"bogus\"}}")
        .post(action)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid input for field/attribute status. Value: bogus. 'bogus' is not a"
                    + " 'snapshot_status'"));
    api.admin().body("{\"os-reset_status\": {}}").post(action).then().statusCode(400);
    api.admin()
        .body("{\"os-reset_status\": {\"status\": \"ERROR\"}}")
        .post(action)
        .then()
        .statusCode(202);
    assertEquals("error", statusOf(id));

    api.as("alice").body("{\"os-force_delete\": {}}").post(action).then().statusCode(403);
    api.admin()
        .body("{\"os-reset_status\": {\"status\": \"creating\"}}")
        .post(action)
        .then()
        .statusCode(202);
    api.admin().body("{\"os-force_delete\": {}}").post(action).then().statusCode(202);
    assertEquals("deleting", statusOf(id));
    assertEquals(
        id,
        host.command(HOST, volume, MessageType.DELETE_SNAPSHOT)
            .payloadAs(DeleteSnapshot.class)
            .snapshotId());
    api.admin()
        .body("{\"os-unmanage\": {}}")
        .post(action)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid snapshot: Snapshot status must be available or error and must not be"
                    + " part of a group."));
  }

  @Test
  void theOwnerUpdatesTheStatusOfASnapshotBeingCreatedAlongCindersTransitions()
      throws InterruptedException {
    String volume = placedVolume(1);
    String id = snapshotOf(volume);
    String action = snapshots() + "/" + id + "/action";

    api.as("alice")
        .body("{\"os-update_snapshot_status\": {\"status\": \"error\", \"progress\": \"180%\"}}")
        .post(action)
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("progress must be an integer percentage"));
    api.as("alice")
        .body("{\"os-update_snapshot_status\": {\"status\": \"deleting\"}}")
        .post(action)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Provided snapshot status deleting not allowed for snapshot with status creating."));
    assertEquals("creating", statusOf(id));

    api.as("alice")
        .body("{\"os-update_snapshot_status\": {\"status\": \"error\", \"progress\": \"80%\"}}")
        .post(action)
        .then()
        .statusCode(202);
    api.admin()
        .get(snapshots() + "/" + id)
        .then()
        .statusCode(200)
        .body("snapshot.status", equalTo("error"))
        .body("snapshot.'os-extended-snapshot-attributes:progress'", equalTo("80%"));

    api.as("alice")
        .body("{\"os-update_snapshot_status\": {\"status\": \"available\"}}")
        .post(action)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("Snapshot status error not allowed for update_snapshot_status"));
  }

  @Test
  void listsFilterSortPageAndCount() throws InterruptedException {
    String one = placedVolume(1);
    String two = placedVolume(2);
    String a =
        createSnapshot(api.as("alice"), one, ", \"name\": \"a\", \"metadata\": {\"k\": \"v\"}")
            .then()
            .statusCode(202)
            .extract()
            .path("snapshot.id");
    String b =
        createSnapshot(api.as("alice"), two, ", \"name\": \"b\"")
            .then()
            .statusCode(202)
            .extract()
            .path("snapshot.id");
    String c =
        createSnapshot(api.as("alice"), two, ", \"name\": \"c\"")
            .then()
            .statusCode(202)
            .extract()
            .path("snapshot.id");

    api.as("alice")
        .get(snapshots() + "?volume_id=" + two)
        .then()
        .body("snapshots.id", containsInAnyOrder(b, c));
    api.as("alice").get(snapshots() + "?name=a").then().body("snapshots.id", equalTo(List.of(a)));
    api.as("alice")
        .header("OpenStack-API-Version", "volume 3.22")
        .queryParam("metadata", "{'k': 'v'}")
        .get(snapshots())
        .then()
        .body("snapshots.id", equalTo(List.of(a)));
    api.as("alice")
        .get(snapshots() + "?availability_zone=nova")
        .then()
        .body("snapshots.size()", equalTo(3));
    api.as("alice")
        .get(snapshots() + "?availability_zone=elsewhere")
        .then()
        .body("snapshots.size()", equalTo(0));
    api.as("alice")
        .get(snapshots() + "?sort=name:asc")
        .then()
        .body("snapshots.name", equalTo(List.of("a", "b", "c")));
    // Tempest sorts by Cinder's column name, with the older sort_key/sort_dir parameters.
    api.as("alice")
        .get(snapshots() + "?sort_key=display_name&sort_dir=desc")
        .then()
        .body("snapshots.name", equalTo(List.of("c", "b", "a")));
    api.as("alice")
        .get(snapshots() + "/detail?sort_key=display_name&sort_dir=asc")
        .then()
        .body("snapshots.name", equalTo(List.of("a", "b", "c")));

    Response first = api.as("alice").get(snapshots() + "/detail?sort=name:asc&limit=2");
    first.then().body("snapshots.name", equalTo(List.of("a", "b")));
    String next = first.path("snapshots_links[0].href");
    assertEquals(true, next.endsWith("/snapshots/detail?limit=2&marker=" + b), next);
    api.as("alice")
        .get(snapshots() + "/detail?sort=name:asc&limit=2&marker=" + b)
        .then()
        .body("snapshots.name", equalTo(List.of("c")))
        .body("$", not(hasKey("snapshots_links")));
    api.as("alice")
        .get(snapshots() + "?sort=name:asc&offset=1")
        .then()
        .body("snapshots.name", equalTo(List.of("b", "c")));
    api.as("alice")
        .header("OpenStack-API-Version", "volume 3.45")
        .get(snapshots() + "?with_count=true&limit=1")
        .then()
        .body("count", equalTo(3))
        .body("snapshots.size()", equalTo(1));

    api.as("alice").get(snapshots() + "?sort=bogus").then().statusCode(400);
    api.as("alice").get(snapshots() + "?limit=x").then().statusCode(400);
    api.as("alice")
        .get(snapshots() + "?marker=" + one)
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Marker " + one + " could not be found."));

    // Another project's user sees none of them; its admin sees them with all_tenants.
    ProjectApi other = new ProjectApi();
    other
        .as("mallory")
        .get("/v3/" + other.project + "/snapshots")
        .then()
        .body("snapshots.size()", equalTo(0));
    other
        .admin()
        .get("/v3/" + other.project + "/snapshots?all_tenants=1&volume_id=" + one)
        .then()
        .body("snapshots.id", hasItems(a));
    other.as("mallory").get("/v3/" + other.project + "/snapshots/" + a).then().statusCode(404);
    api.as("alice")
        .get(snapshots() + "/not-a-uuid")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Snapshot not-a-uuid could not be found."))
        .body("itemNotFound", not(hasKey("details")));
    api.as("alice").get(snapshots() + "/" + a).then().body("snapshot.description", nullValue());
  }

  private void resetVolume(String volume, String status) {
    api.admin()
        .body("{\"os-reset_status\": {\"status\": \"" + status + "\"}}")
        .post(api.volumes() + "/" + volume + "/action")
        .then()
        .statusCode(202);
  }

  private void setLimit(String resource, int limit) {
    api.admin()
        .body("{\"quota_set\": {\"" + resource + "\": " + limit + "}}")
        .put("/v3/" + api.project + "/os-quota-sets/" + api.project)
        .then()
        .statusCode(200);
  }
}
