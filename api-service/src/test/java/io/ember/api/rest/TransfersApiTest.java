package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.api.testsupport.TransferAnsweringHost;
import io.ember.api.testsupport.VolumeHostSide;
import io.ember.model.Topics;
import io.ember.model.contract.AcceptTransfer;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.SnapshotCreated;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Volume transfers as two projects drive them through both paths: create, list, show, delete and
 * accept, with Cinder's shapes per microversion, its refusals and messages, and the quota each
 * project sees before and after.
 */
@QuarkusTest
class TransfersApiTest {

  static final String HOST = "node1@fake";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String[] QUOTA = {
    "volumes",
    "gigabytes",
    "snapshots",
    "volumes___DEFAULT__",
    "gigabytes___DEFAULT__",
    "snapshots___DEFAULT__"
  };

  private final ProjectApi giver = new ProjectApi();
  private final ProjectApi receiver = new ProjectApi();
  private final VolumeHostSide host = new VolumeHostSide(giver.project);
  private final TransferAnsweringHost answering = new TransferAnsweringHost(HOST);

  @AfterEach
  void stopAnswering() {
    answering.close();
  }

  private static String path(ProjectApi api, boolean legacy) {
    return "/v3/" + api.project + (legacy ? "/os-volume-transfer" : "/volume-transfers");
  }

  private static RequestSpecification as(ProjectApi api, String user, String version) {
    RequestSpecification spec = api.as(user);
    return version == null ? spec : spec.header("OpenStack-API-Version", "volume " + version);
  }

  private String placedVolume(int sizeGb) throws InterruptedException {
    String id = giver.create(giver.as("alice"), sizeGb);
    giver.placeOn(HOST, id);
    answering.answer(id, TransferAnsweringHost.Answer.ACCEPT);
    return id;
  }

  private String availableSnapshotOf(String volumeId) throws InterruptedException {
    String id =
        giver
            .as("alice")
            .body("{\"snapshot\": {\"volume_id\": \"" + volumeId + "\"}}")
            .post("/v3/" + giver.project + "/snapshots")
            .then()
            .statusCode(202)
            .extract()
            .path("snapshot.id");
    host.publish(
        volumeId,
        host.event(
            MessageType.SNAPSHOT_CREATED,
            volumeId,
            new SnapshotCreated(id, volumeId, "fake://snap-" + id)));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!"available".equals(snapshot(giver, id).path("snapshot.status"))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("snapshot " + id + " never became available");
      }
      Thread.sleep(50);
    }
    return id;
  }

  private static Response snapshot(ProjectApi api, String id) {
    return api.admin().get("/v3/" + api.project + "/snapshots/" + id);
  }

  private Response create(String version, boolean legacy, String transferFields) {
    return as(giver, "alice", version)
        .body("{\"transfer\": {" + transferFields + "}}")
        .post(path(giver, legacy));
  }

  /** A transfer of {@code volume} made on the new path at 3.55; its id and auth key. */
  private String[] offer(String volume, boolean noSnapshots) {
    Response created =
        create(
            "3.55",
            false,
            "\"volume_id\": \""
                + volume
                + "\", \"name\": \"gift\", \"no_snapshots\": "
                + noSnapshots);
    created.then().statusCode(202);
    return new String[] {created.path("transfer.id"), created.path("transfer.auth_key")};
  }

  private Response accept(ProjectApi who, String transferId, String authKey) {
    return as(who, "bob", "3.55")
        .body("{\"accept\": {\"auth_key\": \"" + authKey + "\"}}")
        .post(path(who, false) + "/" + transferId + "/accept");
  }

  private static Map<String, Integer> usage(ProjectApi api) {
    Map<String, Integer> usage = new LinkedHashMap<>();
    for (String resource : QUOTA) {
      usage.put(resource, api.inUse(resource));
    }
    return usage;
  }

  private static Map<String, Integer> expected(int volumes, int gigabytes, int snapshots) {
    Map<String, Integer> usage = new LinkedHashMap<>();
    usage.put("volumes", volumes);
    usage.put("gigabytes", gigabytes);
    usage.put("snapshots", snapshots);
    usage.put("volumes___DEFAULT__", volumes);
    usage.put("gigabytes___DEFAULT__", gigabytes);
    usage.put("snapshots___DEFAULT__", snapshots);
    return usage;
  }

  private static void refused(Response r, int status, String fault, String message) {
    r.then().statusCode(status).body(fault + ".message", equalTo(message));
  }

  /** The volume usage notifications about {@code volume} of {@code kind} (transfer.create ...). */
  private static List<CloudEvent> notifications(String volume, String kind, int count) {
    return TestKafka.await(
            new Topics(TestKafka.prefix()).notifications(),
            r -> volume.equals(r.key()) && r.value().contains("volume." + kind + "."),
            count,
            WAIT)
        .stream()
        .map(r -> CloudEvent.fromJson(r.value()))
        .toList();
  }

  @Test
  void aTransferIsCreatedShownListedAndDeletedInCindersShapesOnBothPaths() throws Exception {
    String volume = placedVolume(1);

    Response created = create(null, true, "\"volume_id\": \"" + volume + "\", \"name\": \" t1 \"");
    created.then().statusCode(202);
    Map<String, Object> transfer = created.path("transfer");
    assertEquals(
        List.of("id", "created_at", "name", "volume_id", "auth_key", "links"),
        List.copyOf(transfer.keySet()));
    assertEquals("t1", transfer.get("name"), "the name is stripped, as Cinder does");
    String id = (String) transfer.get("id");
    String key = (String) transfer.get("auth_key");
    assertTrue(key.matches("[0-9a-f]{16}"), key);
    assertEquals("awaiting-transfer", giver.statusOf(volume));
    String self = "v3/" + giver.project + "/os-volume-transfer/" + id;
    assertTrue(created.path("transfer.links[0].href").toString().endsWith(self));

    for (boolean legacy : new boolean[] {true, false}) {
      Map<String, Object> shown =
          giver
              .as("alice")
              .get(path(giver, legacy) + "/" + id)
              .then()
              .statusCode(200)
              .extract()
              .path("transfer");
      assertEquals(
          List.of("id", "created_at", "name", "volume_id", "links"), List.copyOf(shown.keySet()));
      giver
          .as("alice")
          .get(path(giver, legacy))
          .then()
          .statusCode(200)
          .body("transfers.size()", equalTo(1))
          .body("transfers[0].id", equalTo(id))
          .body("transfers[0].volume_id", equalTo(volume))
          .body("transfers[0]", not(hasKey("created_at")));
      giver
          .as("alice")
          .get(path(giver, legacy) + "/detail")
          .then()
          .statusCode(200)
          .body("transfers[0].created_at", equalTo(transfer.get("created_at")))
          .body("transfers[0]", not(hasKey("auth_key")));
    }
    Map<String, Object> shown357 =
        as(giver, "alice", "3.57")
            .get(path(giver, false) + "/" + id)
            .then()
            .statusCode(200)
            .extract()
            .path("transfer");
    assertEquals(
        List.of(
            "id",
            "created_at",
            "name",
            "volume_id",
            "links",
            "no_snapshots",
            "destination_project_id",
            "source_project_id",
            "accepted"),
        List.copyOf(shown357.keySet()));
    assertEquals(false, shown357.get("no_snapshots"));
    assertEquals(giver.project, shown357.get("source_project_id"));
    assertEquals(null, shown357.get("destination_project_id"));
    assertEquals(false, shown357.get("accepted"));

    // Another project sees none of it; filters narrow the list; an unknown filter matches nothing.
    receiver.as("bob").get(path(receiver, false)).then().body("transfers.size()", equalTo(0));
    refused(
        receiver.as("bob").get(path(receiver, false) + "/" + id),
        404,
        "itemNotFound",
        "Transfer " + id + " could not be found.");
    giver
        .as("alice")
        .get(path(giver, false) + "?name=t1")
        .then()
        .body("transfers.size()", equalTo(1));
    giver
        .as("alice")
        .get(path(giver, false) + "?name=t2")
        .then()
        .body("transfers.size()", equalTo(0));
    giver
        .as("alice")
        .get(path(giver, false) + "?bogus=1")
        .then()
        .body("transfers.size()", equalTo(0));

    giver.as("alice").delete(path(giver, true) + "/" + id).then().statusCode(202);
    assertEquals("available", giver.statusOf(volume));
    refused(
        giver.as("alice").get(path(giver, false) + "/" + id),
        404,
        "itemNotFound",
        "Transfer " + id + " could not be found.");
    refused(
        giver.as("alice").delete(path(giver, false) + "/" + id),
        404,
        "itemNotFound",
        "Transfer " + id + " could not be found.");

    List<CloudEvent> events = notifications(volume, "transfer", 4);
    assertEquals(
        List.of(
            "volume.transfer.create.start",
            "volume.transfer.create.end",
            "volume.transfer.delete.start",
            "volume.transfer.delete.end"),
        events.stream().map(CloudEvent::type).toList());
    assertEquals(volume, events.get(0).dataFields().get("volume_id"));
    assertEquals(giver.project, events.get(0).dataFields().get("tenant_id"));
    assertEquals("awaiting-transfer", events.get(2).dataFields().get("status"));
  }

  @Test
  void anAcceptedVolumeAndItsSnapshotsMoveToTheReceiverWithTheirQuota() throws Exception {
    String volume = placedVolume(2);
    String snapshot = availableSnapshotOf(volume);
    assertEquals(expected(1, 4, 1), usage(giver));
    assertEquals(expected(0, 0, 0), usage(receiver));
    String[] transfer = offer(volume, false);

    Response accepted = accept(receiver, transfer[0], transfer[1]);
    accepted.then().statusCode(202);
    Map<String, Object> body = accepted.path("transfer");
    assertEquals(List.of("id", "volume_id", "name", "links"), List.copyOf(body.keySet()));
    assertEquals(transfer[0], body.get("id"));
    assertEquals(volume, body.get("volume_id"));
    assertEquals("gift", body.get("name"));

    // The receiver owns the volume and its snapshot; the giver sees neither any more.
    receiver
        .as("bob")
        .get(receiver.volumes() + "/" + volume)
        .then()
        .statusCode(200)
        .body("volume.status", equalTo("available"))
        .body("volume.user_id", equalTo("bob"));
    receiver
        .admin()
        .get(receiver.volumes() + "/" + volume)
        .then()
        .body("volume.'os-vol-tenant-attr:tenant_id'", equalTo(receiver.project));
    giver.as("alice").get(giver.volumes() + "/" + volume).then().statusCode(404);
    giver.as("alice").get(giver.volumes()).then().body("volumes.size()", equalTo(0));
    receiver.as("bob").get(receiver.volumes()).then().body("volumes[0].id", equalTo(volume));
    receiver
        .as("bob")
        .get("/v3/" + receiver.project + "/snapshots/" + snapshot)
        .then()
        .statusCode(200)
        .body("snapshot.'os-extended-snapshot-attributes:project_id'", equalTo(receiver.project));
    giver.as("alice").get("/v3/" + giver.project + "/snapshots/" + snapshot).then().statusCode(404);

    assertEquals(expected(0, 0, 0), usage(giver));
    assertEquals(expected(1, 4, 1), usage(receiver));

    // The host was called once, told who takes the volume.
    List<io.ember.model.contract.Envelope> calls = answering.calls(volume);
    assertEquals(1, calls.size());
    assertEquals(MessageType.ACCEPT_TRANSFER.wire(), calls.get(0).type());
    AcceptTransfer call = calls.get(0).payloadAs(AcceptTransfer.class);
    assertEquals(
        new AcceptTransfer(volume, giver.project, HOST + "#fake", "bob", receiver.project, false),
        call);

    // The transfer is gone; accepting it again finds nothing.
    refused(
        accept(receiver, transfer[0], transfer[1]),
        404,
        "itemNotFound",
        "Transfer " + transfer[0] + " could not be found.");

    List<CloudEvent> events = notifications(volume, "transfer.accept", 2);
    assertEquals(
        List.of("volume.transfer.accept.start", "volume.transfer.accept.end"),
        events.stream().map(CloudEvent::type).toList());
    assertEquals(giver.project, events.get(0).dataFields().get("tenant_id"));
    assertEquals("awaiting-transfer", events.get(0).dataFields().get("status"));
    assertEquals(receiver.project, events.get(1).dataFields().get("tenant_id"));
    assertEquals("bob", events.get(1).dataFields().get("user_id"));
    assertEquals("available", events.get(1).dataFields().get("status"));
  }

  /**
   * A snapshot is charged to the type its volume had when it was taken, and given back so when it
   * is deleted: a volume retyped since moves its snapshots' quota under their own type, not the
   * volume's new one (else both projects keep per-type usage that nothing backs; the chaos run
   * found it).
   */
  @Test
  void snapshotsOfARetypedVolumeMoveUnderTheirOwnType() throws Exception {
    String gold = "gold-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    String goldId =
        giver
            .admin()
            .body("{\"volume_type\": {\"name\": \"" + gold + "\"}}")
            .post("/v3/" + giver.project + "/types")
            .then()
            .statusCode(200)
            .extract()
            .path("volume_type.id");
    String volume = placedVolume(2);
    String snapshot = availableSnapshotOf(volume);
    giver
        .admin()
        .body("{\"os-retype\": {\"new_type\": \"" + gold + "\"}}")
        .post(giver.volumes() + "/" + volume + "/action")
        .then()
        .statusCode(202);
    host.publish(
        volume,
        host.event(
            MessageType.VOLUME_RETYPED,
            volume,
            new io.ember.model.contract.VolumeRetyped(volume, goldId)));
    giver.awaitStatus(volume, "available");
    String[] typed = {
      "volumes",
      "gigabytes",
      "snapshots",
      "volumes___DEFAULT__",
      "gigabytes___DEFAULT__",
      "snapshots___DEFAULT__",
      "volumes_" + gold,
      "gigabytes_" + gold,
      "snapshots_" + gold
    };
    Map<String, Integer> before = new LinkedHashMap<>();
    for (String resource : typed) {
      before.put(resource, giver.inUse(resource));
    }
    assertEquals(
        List.of(1, 4, 1, 0, 2, 1, 1, 2, 0),
        List.copyOf(before.values()),
        "the volume under gold, its snapshot under the default type: " + before);
    String[] transfer = offer(volume, false);

    accept(receiver, transfer[0], transfer[1]).then().statusCode(202);

    Map<String, Integer> giverAfter = new LinkedHashMap<>();
    Map<String, Integer> receiverAfter = new LinkedHashMap<>();
    for (String resource : typed) {
      giverAfter.put(resource, giver.inUse(resource));
      receiverAfter.put(resource, receiver.inUse(resource));
    }
    assertEquals(
        List.of(0, 0, 0, 0, 0, 0, 0, 0, 0),
        List.copyOf(giverAfter.values()),
        "giver " + giverAfter);
    assertEquals(before, receiverAfter, "the receiver takes exactly what the giver had");

    // Its delete gives back what the receiver was charged: nothing is left under either type.
    receiver
        .as("bob")
        .delete("/v3/" + receiver.project + "/snapshots/" + snapshot)
        .then()
        .statusCode(202);
    host.publish(
        volume,
        host.event(
            MessageType.SNAPSHOT_DELETED,
            volume,
            new io.ember.model.contract.SnapshotDeleted(snapshot, volume)));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (receiver.inUse("snapshots") != 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(0, receiver.inUse("snapshots___DEFAULT__"));
    assertEquals(0, receiver.inUse("snapshots_" + gold));
    assertEquals(2, receiver.inUse("gigabytes_" + gold));
    assertEquals(0, receiver.inUse("gigabytes___DEFAULT__"));
  }

  @Test
  void withNoSnapshotsTheSnapshotsAndTheirQuotaStayWithTheGiver() throws Exception {
    String volume = placedVolume(2);
    String snapshot = availableSnapshotOf(volume);
    String[] transfer = offer(volume, true);
    as(giver, "alice", "3.55")
        .get(path(giver, false) + "/" + transfer[0])
        .then()
        .body("transfer.no_snapshots", equalTo(true));

    accept(receiver, transfer[0], transfer[1]).then().statusCode(202);

    assertEquals(expected(0, 2, 1), usage(giver));
    assertEquals(expected(1, 2, 0), usage(receiver));
    snapshot(giver, snapshot)
        .then()
        .body("snapshot.'os-extended-snapshot-attributes:project_id'", equalTo(giver.project));
    assertEquals(
        receiver.project, receiver.show(volume).path("volume.'os-vol-tenant-attr:tenant_id'"));
  }

  @Test
  void aWrongKeyAndTheGiversOwnAcceptAreRefusedWithNothingChanged() throws Exception {
    String volume = placedVolume(1);
    String[] transfer = offer(volume, false);

    refused(
        accept(receiver, transfer[0], "0123456789abcdef"),
        400,
        "badRequest",
        "Invalid auth key: Attempt to transfer " + transfer[0] + " with invalid auth key.");
    refused(
        as(receiver, "bob", null)
            .body("{\"accept\": {\"auth_key\": 12345}}")
            .post(path(receiver, true) + "/" + transfer[0] + "/accept"),
        400,
        "badRequest",
        "Invalid auth key: Attempt to transfer " + transfer[0] + " with invalid auth key.");
    refused(
        accept(giver, transfer[0], transfer[1]),
        400,
        "badRequest",
        "Invalid volume: Transfer "
            + transfer[0]
            + " cannot be accepted by project "
            + giver.project
            + ", which offers it.");
    refused(
        as(receiver, "bob", null)
            .body("{\"accept\": {}}")
            .post(path(receiver, true) + "/" + transfer[0] + "/accept"),
        400,
        "badRequest",
        "Invalid input for field/attribute accept. Value: {}. 'auth_key' is a required property");
    refused(
        accept(receiver, "0b1c2d3e-0000-4000-8000-000000000000", transfer[1]),
        404,
        "itemNotFound",
        "Transfer 0b1c2d3e-0000-4000-8000-000000000000 could not be found.");

    assertStillOffered(volume, transfer[0]);
  }

  @Test
  void aReceiverOverQuotaRefusesTheAcceptWithNothingChanged() throws Exception {
    String volume = placedVolume(2);
    availableSnapshotOf(volume);
    String[] transfer = offer(volume, false);
    Map<String, Integer> giverBefore = usage(giver);

    setQuota(receiver, "{\"volumes\": 0}");
    refused(
        accept(receiver, transfer[0], transfer[1]),
        413,
        "overLimit",
        "VolumeLimitExceeded: Maximum number of volumes allowed (0) exceeded for quota 'volumes'.");
    // Cinder's accept answers a gigabytes refusal itself: the message without the class name.
    setQuota(receiver, "{\"volumes\": 10, \"gigabytes\": 3}");
    refused(
        accept(receiver, transfer[0], transfer[1]),
        413,
        "overLimit",
        "Requested volume or snapshot exceeds allowed gigabytes quota. Requested 2G, quota is 3G"
            + " and 2G has been consumed.");
    setQuota(receiver, "{\"gigabytes\": 10, \"snapshots\": 0}");
    refused(
        accept(receiver, transfer[0], transfer[1]),
        413,
        "overLimit",
        "SnapshotLimitExceeded: Maximum number of snapshots allowed (0) exceeded");

    assertEquals(giverBefore, usage(giver));
    assertEquals(expected(0, 0, 0), usage(receiver));
    assertEquals("awaiting-transfer", giver.statusOf(volume));
    assertEquals(giver.project, giver.show(volume).path("volume.'os-vol-tenant-attr:tenant_id'"));

    // With room, the same transfer goes through.
    setQuota(receiver, "{\"snapshots\": 10}");
    accept(receiver, transfer[0], transfer[1]).then().statusCode(202);
    assertEquals(expected(1, 4, 1), usage(receiver));
    assertEquals(expected(0, 0, 0), usage(giver));
  }

  /** A 1 GB volume with no snapshot, still the giver's and offered: nothing moved. */
  private void assertStillOffered(String volume, String transferId) {
    assertEquals("awaiting-transfer", giver.statusOf(volume));
    assertEquals(giver.project, giver.show(volume).path("volume.'os-vol-tenant-attr:tenant_id'"));
    assertEquals(expected(1, 1, 0), usage(giver));
    assertEquals(expected(0, 0, 0), usage(receiver));
    giver.as("alice").get(path(giver, false) + "/" + transferId).then().statusCode(200);
  }

  private static void setQuota(ProjectApi api, String quotaSet) {
    api.admin()
        .body("{\"quota_set\": " + quotaSet + "}")
        .put("/v3/" + api.project + "/os-quota-sets/" + api.project)
        .then()
        .statusCode(200);
  }

  @Test
  void noSnapshotsAndTheHistoryFieldsComeWithTheirMicroversions() throws Exception {
    String volume = placedVolume(1);
    String fields = "\"volume_id\": \"" + volume + "\", \"no_snapshots\": true";
    String unexpected = "Additional properties are not allowed ('no_snapshots' was unexpected)";
    refused(create("3.54", false, fields), 400, "badRequest", unexpected);
    refused(create("3.57", true, fields), 400, "badRequest", unexpected);
    assertEquals("available", giver.statusOf(volume));

    Response created = create("3.57", false, fields);
    created.then().statusCode(202);
    Map<String, Object> transfer = created.path("transfer");
    assertEquals(
        List.of(
            "id",
            "created_at",
            "name",
            "volume_id",
            "auth_key",
            "links",
            "no_snapshots",
            "destination_project_id",
            "source_project_id",
            "accepted"),
        List.copyOf(transfer.keySet()));
    assertEquals(true, transfer.get("no_snapshots"));
    String id = (String) transfer.get("id");
    as(giver, "alice", "3.54")
        .get(path(giver, false) + "/" + id)
        .then()
        .body("transfer", not(hasKey("no_snapshots")));
    as(giver, "alice", "3.56")
        .get(path(giver, false) + "/detail")
        .then()
        .body("transfers[0].no_snapshots", equalTo(true))
        .body("transfers[0]", not(hasKey("source_project_id")));
    as(giver, "alice", "3.57")
        .get(path(giver, true) + "/detail")
        .then()
        .body("transfers[0].source_project_id", equalTo(giver.project));
  }

  @Test
  void aVolumeAwaitingATransferRefusesWhatCinderRefuses() throws Exception {
    String volume = placedVolume(1);
    offer(volume, false);
    String deleteRefused =
        "Invalid volume: Volume status must be available or error or error_restoring or"
            + " error_extending or error_managing and must not be migrating, attached, belong to a"
            + " group, have snapshots, awaiting a transfer, or be disassociated from snapshots after"
            + " volume transfer.";
    refused(
        giver.as("alice").delete(giver.volumes() + "/" + volume), 400, "badRequest", deleteRefused);
    refused(
        giver
            .as("alice")
            .body("{\"os-extend\": {\"new_size\": 2}}")
            .post(giver.volumes() + "/" + volume + "/action"),
        400,
        "badRequest",
        "Invalid volume: Volume "
            + volume
            + " status must be '{'status': 'available'}' to extend, currently awaiting-transfer.");
    refused(
        giver
            .as("alice")
            .body("{\"snapshot\": {\"volume_id\": \"" + volume + "\"}}")
            .post("/v3/" + giver.project + "/snapshots"),
        400,
        "badRequest",
        "Invalid volume: Volume "
            + volume
            + " status must be available, but current status is: awaiting-transfer.");
    refused(
        create(null, true, "\"volume_id\": \"" + volume + "\""),
        400,
        "badRequest",
        "Invalid volume: status must be available");
    assertEquals("awaiting-transfer", giver.statusOf(volume));
    assertEquals(expected(1, 1, 0), usage(giver));
  }

  @Test
  void badCreatesAreRefusedAsCinderRefusesThem() throws Exception {
    String volume = placedVolume(1);
    refused(
        giver.as("alice").body("{}").post(path(giver, false)),
        400,
        "badRequest",
        "'transfer' is a required property");
    refused(
        create(null, false, "\"name\": \"x\""),
        400,
        "badRequest",
        "Invalid input for field/attribute transfer. Value: {\"name\":\"x\"}."
            + " 'volume_id' is a required property");
    refused(
        create(null, false, "\"volume_id\": \"not-a-uuid\""),
        400,
        "badRequest",
        "Invalid input for field/attribute volume_id. Value: not-a-uuid."
            + " 'not-a-uuid' is not a 'uuid'");
    refused(
        create(null, false, "\"volume_id\": \"" + volume + "\", \"name\": \"   \""),
        400,
        "badRequest",
        "Invalid input for field/attribute name. Value:    ."
            + " '   ' is not valid under any of the given schemas");
    refused(
        create(null, false, "\"volume_id\": \"0b1c2d3e-0000-4000-8000-000000000000\""),
        404,
        "itemNotFound",
        "Volume 0b1c2d3e-0000-4000-8000-000000000000 could not be found.");
    // Another project's volume is not found either.
    refused(
        receiver
            .as("bob")
            .body("{\"transfer\": {\"volume_id\": \"" + volume + "\"}}")
            .post(path(receiver, false)),
        404,
        "itemNotFound",
        "Volume " + volume + " could not be found.");
    String snapshot = availableSnapshotOf(volume);
    giver
        .as("alice")
        .delete("/v3/" + giver.project + "/snapshots/" + snapshot)
        .then()
        .statusCode(202);
    refused(
        create(null, false, "\"volume_id\": \"" + volume + "\""),
        400,
        "badRequest",
        "Invalid snapshot: snapshot: " + snapshot + " status must be available");
    // Without its snapshots the volume may go while one of them is deleting.
    create("3.55", false, "\"volume_id\": \"" + volume + "\", \"no_snapshots\": \"yes\"")
        .then()
        .statusCode(202);
  }

  @Test
  void aHostThatRefusesOrDoesNotAnswerLeavesTheTransferAsItWas() throws Exception {
    String volume = placedVolume(1);
    String[] transfer = offer(volume, false);
    String failed =
        "The server has either erred or is incapable of performing the requested operation.";

    answering.answer(volume, TransferAnsweringHost.Answer.REFUSE);
    refused(
        accept(receiver, transfer[0], transfer[1]),
        500,
        "computeFault",
        "the backend refused the transfer");
    // A stopped host: the API answers at the deadline (10 s in tests) with Cinder's 500.
    answering.answer(volume, TransferAnsweringHost.Answer.SILENT);
    long start = System.nanoTime();
    refused(accept(receiver, transfer[0], transfer[1]), 500, "computeFault", failed);
    assertTrue(
        Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(9)) >= 0,
        "answered at the deadline, not before");

    assertStillOffered(volume, transfer[0]);

    // The host back: the same transfer is accepted.
    answering.answer(volume, TransferAnsweringHost.Answer.ACCEPT);
    accept(receiver, transfer[0], transfer[1]).then().statusCode(202);
    assertEquals(expected(1, 1, 0), usage(receiver));
    assertEquals(expected(0, 0, 0), usage(giver));
  }

  @Test
  void aTransferDeletedWhileTheHostWorksIsNotAccepted() throws Exception {
    String volume = placedVolume(1);
    String[] transfer = offer(volume, false);
    answering.answer(volume, TransferAnsweringHost.Answer.HOLD);
    CompletableFuture<Response> pending =
        CompletableFuture.supplyAsync(() -> accept(receiver, transfer[0], transfer[1]));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (answering.calls(volume).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(1, answering.calls(volume).size(), "the host was called");
    giver.as("alice").delete(path(giver, false) + "/" + transfer[0]).then().statusCode(202);

    // The host's success comes after the delete: the second transaction finds no transfer.
    answering.release(volume);
    refused(pending.get(), 404, "itemNotFound", "Transfer " + transfer[0] + " could not be found.");
    assertEquals("available", giver.statusOf(volume));
    assertEquals(giver.project, giver.show(volume).path("volume.'os-vol-tenant-attr:tenant_id'"));
    assertEquals(expected(1, 1, 0), usage(giver));
    assertEquals(expected(0, 0, 0), usage(receiver));
  }
}
