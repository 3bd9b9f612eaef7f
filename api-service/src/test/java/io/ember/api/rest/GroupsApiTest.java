package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CreateSnapshot;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.GroupCreateFailed;
import io.ember.model.contract.GroupCreated;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.ScheduleGroup;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.SnapshotCreated;
import io.ember.model.contract.SnapshotDeleted;
import io.ember.model.contract.VolumeDeleted;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Generic volume groups (3.13-3.20) as Tempest's group tests and cinderclient drive them: the
 * scheduler's part is played on the topics ({@code schedule_group} out, {@code group.created} in).
 */
@QuarkusTest
class GroupsApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HOST = "grouphost@fake";

  private final Topics topics = new Topics(TestKafka.prefix());
  private final ProjectApi api = new ProjectApi();

  private RequestSpecification member() {
    return api.as("alice").header("OpenStack-API-Version", "volume 3.20");
  }

  private RequestSpecification admin() {
    return api.admin().header("OpenStack-API-Version", "volume 3.20");
  }

  private String groups() {
    return "/v3/" + api.project + "/groups";
  }

  private String volumeType() {
    return api.admin()
        .body(
            "{\"volume_type\": {\"name\": \"vt-"
                + UUID.randomUUID().toString().substring(0, 8)
                + "\"}}")
        .post("/v3/" + api.project + "/types")
        .then()
        .statusCode(200)
        .extract()
        .path("volume_type.id");
  }

  private String groupType() {
    return admin()
        .body(
            "{\"group_type\": {\"name\": \"gt-"
                + UUID.randomUUID().toString().substring(0, 8)
                + "\"}}")
        .post("/v3/" + api.project + "/group_types")
        .then()
        .statusCode(202)
        .extract()
        .path("group_type.id");
  }

  private String createGroup(String groupType, String volumeType, String name) {
    return member()
        .body(
            "{\"group\": {\"name\": \""
                + name
                + "\", \"group_type\": \""
                + groupType
                + "\", \"volume_types\": [\""
                + volumeType
                + "\"]}}")
        .post(groups())
        .then()
        .statusCode(202)
        .body("group.name", equalTo(name))
        .extract()
        .path("group.id");
  }

  /** A new volume of type {@code vt} in group {@code id}; the create shows the group. */
  private String volumeIn(String id, String vt) {
    return member()
        .body(
            "{\"volume\": {\"size\": 1, \"volume_type\": \""
                + vt
                + "\", \"group_id\": \""
                + id
                + "\"}}")
        .post(api.volumes())
        .then()
        .statusCode(202)
        .body("volume.group_id", equalTo(id))
        .extract()
        .path("volume.id");
  }

  private String groupStatus(String id) {
    var r = member().get(groups() + "/" + id);
    return r.statusCode() == 404 ? "404" : r.path("group.status");
  }

  private void awaitGroup(String id, String status) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String seen;
    while (!status.equals(seen = groupStatus(id))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("group " + id + " stayed " + seen + ", expected " + status);
      }
      Thread.sleep(50);
    }
  }

  private void announce(MessageType type, String key, Object payload) {
    Envelope event =
        Envelope.of(
            type, key, new RequestContext("req-test", "admin", api.project, List.of()), payload);
    TestKafka.produce(topics.volumeEvents(), key, event.toJson());
  }

  private Envelope sentToScheduler(String key) {
    List<ConsumerRecord<String, String>> sent =
        TestKafka.await(topics.schedulerRequests(), r -> key.equals(r.key()), 1, WAIT);
    assertEquals(1, sent.size(), "a request to the scheduler about " + key);
    return Envelope.fromJson(sent.get(0).value());
  }

  @Test
  void createPlaceFillUpdateAndDeleteWithVolumes() throws Exception {
    String vt = volumeType();
    String gt = groupType();
    String id = createGroup(gt, vt, "g1");
    assertEquals("creating", groupStatus(id));
    assertEquals(1, api.inUse("groups"));

    ScheduleGroup asked = sentToScheduler(id).payloadAs(ScheduleGroup.class);
    assertEquals(gt, asked.groupTypeId());
    assertEquals(vt, asked.volumeTypes().get(0).volumeTypeId());
    announce(MessageType.GROUP_CREATED, id, new GroupCreated(id, HOST + "#fake"));
    awaitGroup(id, "available");

    member()
        .get(groups() + "/" + id)
        .then()
        .statusCode(200)
        .body("group.group_type", equalTo(gt))
        .body("group.volume_types", equalTo(List.of(vt)))
        .body("group.group_snapshot_id", nullValue())
        .body("group.availability_zone", equalTo("nova"));
    member().get(groups()).then().statusCode(200).body("groups.id", hasItem(id));
    member()
        .get(groups() + "/detail")
        .then()
        .statusCode(200)
        .body("groups.find { it.id == '" + id + "' }.group_type", equalTo(gt));

    // A volume of the group goes to the group's backend.
    String volume = volumeIn(id, vt);
    ScheduleVolume placed = sentToScheduler(volume).payloadAs(ScheduleVolume.class);
    assertEquals(HOST + "#fake", placed.volume().source().sourceHost());
    api.placeOn(HOST, volume);
    member()
        .get(api.volumes() + "/detail?group_id=" + id)
        .then()
        .body("volumes.id", equalTo(List.of(volume)));
    // A member of a group is not deleted on its own.
    member().delete(api.volumes() + "/" + volume).then().statusCode(400);

    member()
        .body("{\"group\": {\"name\": \"renamed\", \"remove_volumes\": \"" + volume + "\"}}")
        .put(groups() + "/" + id)
        .then()
        .statusCode(202);
    member().get(groups() + "/" + id).then().body("group.name", equalTo("renamed"));
    member().get(api.volumes() + "/" + volume).then().body("volume.group_id", nullValue());
    member()
        .body("{\"group\": {\"add_volumes\": \"" + volume + "\"}}")
        .put(groups() + "/" + id)
        .then()
        .statusCode(202);
    member().get(api.volumes() + "/" + volume).then().body("volume.group_id", equalTo(id));
    api.as("alice")
        .header("OpenStack-API-Version", "volume 3.25")
        .get(groups() + "/" + id + "?list_volume=True")
        .then()
        .body("group.volumes", equalTo(List.of(volume)));

    // Without delete-volumes a group with volumes stays.
    member()
        .body("{\"delete\": {\"delete-volumes\": false}}")
        .post(groups() + "/" + id + "/action")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid Group: Group "
                    + id
                    + " still contains volumes. The delete-volumes flag is required to delete"
                    + " it."));
    member()
        .body("{\"delete\": {\"delete-volumes\": true}}")
        .post(groups() + "/" + id + "/action")
        .then()
        .statusCode(202);
    assertEquals("deleting", groupStatus(id));
    DeleteVolume delete = api.commandSentTo(HOST, volume).payloadAs(DeleteVolume.class);
    assertEquals(volume, delete.volumeId());
    announce(MessageType.VOLUME_DELETED, volume, new VolumeDeleted(volume, HOST + "#fake"));
    awaitGroup(id, "404");
    assertEquals("404", api.statusOf(volume));
    assertEquals(0, api.inUse("groups"));
    member().get(groups()).then().body("groups.id", not(hasItem(id)));
  }

  @Test
  void groupSnapshotOfEveryVolumeFollowsItsSnapshots() throws Exception {
    String vt = volumeType();
    String gt = groupType();
    String id = createGroup(gt, vt, "g5");
    announce(MessageType.GROUP_CREATED, id, new GroupCreated(id, HOST + "#fake"));
    awaitGroup(id, "available");
    String volume = volumeIn(id, vt);
    api.placeOn(HOST, volume);

    String groupSnapshots = "/v3/" + api.project + "/group_snapshots";
    String gs =
        member()
            .body("{\"group_snapshot\": {\"group_id\": \"" + id + "\", \"name\": \"gs1\"}}")
            .post(groupSnapshots)
            .then()
            .statusCode(202)
            .body("group_snapshot.name", equalTo("gs1"))
            .body("group_snapshot.group_type_id", equalTo(gt))
            .extract()
            .path("group_snapshot.id");
    member()
        .get(groupSnapshots + "/" + gs)
        .then()
        .statusCode(200)
        .body("group_snapshot.status", equalTo("creating"))
        .body("group_snapshot.group_id", equalTo(id));
    CreateSnapshot take =
        Envelope.fromJson(hostCommand(volume, MessageType.CREATE_SNAPSHOT).value())
            .payloadAs(CreateSnapshot.class);
    member()
        .get("/v3/" + api.project + "/snapshots/" + take.snapshotId())
        .then()
        .body("snapshot.group_snapshot_id", equalTo(gs));
    announce(
        MessageType.SNAPSHOT_CREATED,
        volume,
        new SnapshotCreated(take.snapshotId(), volume, "fake://" + take.snapshotId()));
    awaitPath(groupSnapshots + "/" + gs, "group_snapshot.status", "available");
    member().get(groupSnapshots).then().body("group_snapshots.id", hasItem(gs));
    member()
        .get(groupSnapshots + "/detail")
        .then()
        .body("group_snapshots.find { it.id == '" + gs + "' }.group_id", equalTo(id));

    // A snapshot of a group snapshot goes with it only; a group with snapshots stays.
    member()
        .delete("/v3/" + api.project + "/snapshots/" + take.snapshotId())
        .then()
        .statusCode(400);
    member()
        .body("{\"delete\": {\"delete-volumes\": true}}")
        .post(groups() + "/" + id + "/action")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Invalid Group: Group has existing snapshots."));

    for (String status : List.of("creating", "available", "error", "available")) {
      admin()
          .body("{\"reset_status\": {\"status\": \"" + status + "\"}}")
          .post(groupSnapshots + "/" + gs + "/action")
          .then()
          .statusCode(202);
    }
    member().delete(groupSnapshots + "/" + gs).then().statusCode(202);
    hostCommand(volume, MessageType.DELETE_SNAPSHOT);
    announce(MessageType.SNAPSHOT_DELETED, volume, new SnapshotDeleted(take.snapshotId(), volume));
    awaitPath(groupSnapshots + "/" + gs, "itemNotFound.code", "404");
    member()
        .get(groupSnapshots + "/" + gs)
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("GroupSnapshot " + gs + " could not be found."));
  }

  private ConsumerRecord<String, String> hostCommand(String volume, MessageType type) {
    List<ConsumerRecord<String, String>> sent =
        TestKafka.await(
            topics.volumeHost(HOST),
            r -> volume.equals(r.key()) && r.value().contains("\"" + type.wire() + "\""),
            1,
            WAIT);
    assertEquals(1, sent.size(), type + " sent to " + HOST + " about " + volume);
    return sent.get(0);
  }

  private void awaitPath(String url, String path, String wanted) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String seen;
    while (!wanted.equals(seen = String.valueOf(member().get(url).<Object>path(path)))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(url + " " + path + " stayed " + seen + ", expected " + wanted);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void noBackendMeansErrorAndAnUnplacedGroupGoesAtOnce() throws Exception {
    String id = createGroup(groupType(), volumeType(), "g2");
    announce(
        MessageType.GROUP_CREATE_FAILED,
        id,
        new GroupCreateFailed(id, "No valid backend was found. No weighed backends available"));
    awaitGroup(id, "error");
    member().body("{\"delete\": {}}").post(groups() + "/" + id + "/action").then().statusCode(202);
    assertEquals("404", groupStatus(id));
    assertEquals(0, api.inUse("groups"));
  }

  @Test
  void resetStatusIsForAdmins() throws Exception {
    String id = createGroup(groupType(), volumeType(), "g3");
    announce(MessageType.GROUP_CREATED, id, new GroupCreated(id, HOST + "#fake"));
    awaitGroup(id, "available");
    for (String status : List.of("creating", "available", "error")) {
      admin()
          .body("{\"reset_status\": {\"status\": \"" + status + "\"}}")
          .post(groups() + "/" + id + "/action")
          .then()
          .statusCode(202);
      assertEquals(status, groupStatus(id));
    }
    member()
        .body("{\"reset_status\": {\"status\": \"available\"}}")
        .post(groups() + "/" + id + "/action")
        .then()
        .statusCode(403);
    admin()
        .body("{\"reset_status\": {\"status\": \"bogus\"}}")
        .post(groups() + "/" + id + "/action")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message", equalTo("Invalid Group Status: Group status bogus not allowed."));
  }

  @Test
  void cindersErrors() {
    String vt = volumeType();
    member()
        .body("{\"group\": {\"volume_types\": [\"" + vt + "\"]}}")
        .post(groups())
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("'group_type' is a required property"));
    String missing = UUID.randomUUID().toString();
    member()
        .body(
            "{\"group\": {\"group_type\": \""
                + missing
                + "\", \"volume_types\": [\""
                + vt
                + "\"]}}")
        .post(groups())
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Group type " + missing + " could not be found."));
    member()
        .get(groups() + "/" + missing)
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Group " + missing + " could not be found."));
    String id = createGroup(groupType(), vt, "g4");
    String otherType = volumeType();
    member()
        .body(
            "{\"volume\": {\"size\": 1, \"volume_type\": \""
                + otherType
                + "\", \"group_id\": \""
                + id
                + "\"}}")
        .post(api.volumes())
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid input received: Invalid volume_type provided: "
                    + otherType
                    + " (requested type must be supported by this group)."));
    // Groups do not exist below 3.13.
    api.as("alice").get(groups()).then().statusCode(404);
    assertTrue(api.inUse("groups") >= 1);
  }

  /** A group placed on {@link #HOST} holding one available volume of type {@code vt}. */
  private String[] groupWithVolume(String gt, String vt, String name) throws Exception {
    String id = createGroup(gt, vt, name);
    announce(MessageType.GROUP_CREATED, id, new GroupCreated(id, HOST + "#fake"));
    awaitGroup(id, "available");
    String volume = volumeIn(id, vt);
    api.placeOn(HOST, volume);
    return new String[] {id, volume};
  }

  /** An available group snapshot of group {@code id} with its one volume; the snapshot's id too. */
  private String[] groupSnapshotOf(String id, String volume) throws Exception {
    String gs =
        member()
            .body("{\"group_snapshot\": {\"group_id\": \"" + id + "\"}}")
            .post("/v3/" + api.project + "/group_snapshots")
            .then()
            .statusCode(202)
            .extract()
            .path("group_snapshot.id");
    CreateSnapshot take =
        Envelope.fromJson(hostCommand(volume, MessageType.CREATE_SNAPSHOT).value())
            .payloadAs(CreateSnapshot.class);
    announce(
        MessageType.SNAPSHOT_CREATED,
        volume,
        new SnapshotCreated(take.snapshotId(), volume, "fake://" + take.snapshotId()));
    awaitPath(
        "/v3/" + api.project + "/group_snapshots/" + gs, "group_snapshot.status", "available");
    return new String[] {gs, take.snapshotId()};
  }

  private io.restassured.response.Response createFromSource(String source) {
    return member().body("{\"create-from-src\": {" + source + "}}").post(groups() + "/action");
  }

  /** The one volume of group {@code id}. */
  private String memberOf(String id) {
    List<String> ids =
        member().get(api.volumes() + "/detail?group_id=" + id).then().extract().path("volumes.id");
    assertEquals(1, ids.size(), "volumes of group " + id + ": " + ids);
    return ids.get(0);
  }

  @Test
  void groupFromGroupSnapshotAndFromSourceGroup() throws Exception {
    String vt = volumeType();
    String gt = groupType();
    String[] source = groupWithVolume(gt, vt, "src");
    String[] gs = groupSnapshotOf(source[0], source[1]);

    String fromSnapshot =
        createFromSource("\"name\": \" copy \", \"group_snapshot_id\": \"" + gs[0] + "\"")
            .then()
            .statusCode(202)
            .body("group.name", equalTo("copy"))
            .body("group.size()", equalTo(2))
            .extract()
            .path("group.id");
    member()
        .get(groups() + "/" + fromSnapshot)
        .then()
        .body("group.status", equalTo("creating"))
        .body("group.group_type", equalTo(gt))
        .body("group.volume_types", equalTo(List.of(vt)))
        .body("group.group_snapshot_id", equalTo(gs[0]))
        .body("group.source_group_id", nullValue());
    String copy = memberOf(fromSnapshot);
    member()
        .get(api.volumes() + "/" + copy)
        .then()
        .body("volume.snapshot_id", equalTo(gs[1]))
        .body("volume.size", equalTo(1))
        .body(
            "volume.volume_type",
            equalTo(
                api.admin().get("/v3/" + api.project + "/types/" + vt).path("volume_type.name")));
    // The volume is created where the snapshot is.
    ScheduleVolume placed = sentToScheduler(copy).payloadAs(ScheduleVolume.class);
    assertEquals(HOST + "#fake", placed.volume().source().sourceHost());
    assertEquals(2, api.inUse("groups"));
    assertEquals(2, api.inUse("volumes"));
    api.placeOn(HOST, copy);
    awaitGroup(fromSnapshot, "available");
    var created = notes(fromSnapshot, "group.create.", 2);
    assertEquals("group.create.start", created.get(0).path("type").asText());
    assertEquals("group.create.end", created.get(1).path("type").asText());
    assertEquals("available", created.get(1).path("data").path("status").asText());

    String fromGroup =
        createFromSource("\"source_group_id\": \"" + source[0] + "\"")
            .then()
            .statusCode(202)
            .extract()
            .path("group.id");
    member()
        .get(groups() + "/" + fromGroup)
        .then()
        .body("group.source_group_id", equalTo(source[0]))
        .body("group.group_snapshot_id", nullValue());
    String clone = memberOf(fromGroup);
    member()
        .get(api.volumes() + "/" + clone)
        .then()
        .body("volume.source_volid", equalTo(source[1]));
    // A clone that fails puts its group in error.
    announce(
        MessageType.VOLUME_CREATE_FAILED,
        clone,
        new io.ember.model.contract.VolumeCreateFailed(clone, HOST + "#fake", "driver failed"));
    awaitGroup(fromGroup, "error");
    assertEquals(3, api.inUse("groups"));
    assertEquals(3, api.inUse("volumes"));

    // While a group made from it exists, the group snapshot stays.
    member().delete("/v3/" + api.project + "/group_snapshots/" + gs[0]).then().statusCode(400);
  }

  @Test
  void createFromSourceRefusals() throws Exception {
    String vt = volumeType();
    String gt = groupType();
    String missing = UUID.randomUUID().toString();
    createFromSource("\"name\": \"x\"")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid input for field/attribute create-from-src. Value: {'name': 'x'}."
                    + " {'name': 'x'} is not valid under any of the given schemas"));
    createFromSource(
            "\"group_snapshot_id\": \"" + missing + "\", \"source_group_id\": \"" + missing + "\"")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid input for field/attribute create-from-src. Value: {'group_snapshot_id': '"
                    + missing
                    + "', 'source_group_id': '"
                    + missing
                    + "'}. {'group_snapshot_id': '"
                    + missing
                    + "', 'source_group_id': '"
                    + missing
                    + "'} is valid under each of {'required': ['group_snapshot_id']},"
                    + " {'required': ['source_group_id']}"));
    createFromSource("\"group_snapshot_id\": \"" + missing + "\"")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("GroupSnapshot " + missing + " could not be found."));
    createFromSource("\"source_group_id\": \"" + missing + "\"")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Group " + missing + " could not be found."));

    // An empty source makes no group.
    String empty = createGroup(gt, vt, "empty");
    announce(MessageType.GROUP_CREATED, empty, new GroupCreated(empty, HOST + "#fake"));
    awaitGroup(empty, "available");
    createFromSource("\"source_group_id\": \"" + empty + "\"")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("Invalid Group: Source Group is empty. No group will be created."));

    // A source volume in error cannot be cloned: Cinder's create-volume message, nothing left.
    String[] source = groupWithVolume(gt, vt, "src2");
    admin()
        .body("{\"os-reset_status\": {\"status\": \"error\"}}")
        .post(api.volumes() + "/" + source[1] + "/action")
        .then()
        .statusCode(202);
    createFromSource("\"source_group_id\": \"" + source[0] + "\"")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid volume: Originating source volume status must be one of 'available,"
                    + " in-use' values"));
    admin()
        .body("{\"os-reset_status\": {\"status\": \"available\"}}")
        .post(api.volumes() + "/" + source[1] + "/action")
        .then()
        .statusCode(202);

    // Over the volumes quota: 413, and neither the group nor a volume nor any quota is left.
    int groupsBefore = api.inUse("groups");
    admin()
        .body("{\"quota_set\": {\"volumes\": " + api.inUse("volumes") + "}}")
        .put("/v3/" + api.project + "/os-quota-sets/" + api.project)
        .then()
        .statusCode(200);
    createFromSource("\"source_group_id\": \"" + source[0] + "\"")
        .then()
        .statusCode(413)
        .body("overLimit.message", org.hamcrest.Matchers.startsWith("VolumeLimitExceeded: "));
    assertEquals(groupsBefore, api.inUse("groups"));
    assertEquals(2, (int) member().get(groups()).then().extract().path("groups.size()"));
    // Over the groups quota: GroupLimitExceeded, as Cinder.
    admin()
        .body("{\"quota_set\": {\"volumes\": 100, \"groups\": " + groupsBefore + "}}")
        .put("/v3/" + api.project + "/os-quota-sets/" + api.project)
        .then()
        .statusCode(200);
    createFromSource("\"source_group_id\": \"" + source[0] + "\"")
        .then()
        .statusCode(413)
        .body(
            "overLimit.message",
            equalTo(
                "GroupLimitExceeded: Maximum number of groups allowed ("
                    + groupsBefore
                    + ") exceeded"));
    createGroup413(gt, vt, groupsBefore);
  }

  private static void refused(RequestSpecification who, String url, String body, String message) {
    who.body(body).post(url).then().statusCode(400).body("badRequest.message", equalTo(message));
  }

  /** A plain group create over the groups quota says so in Cinder's words. */
  private void createGroup413(String gt, String vt, int allowed) {
    member()
        .body("{\"group\": {\"group_type\": \"" + gt + "\", \"volume_types\": [\"" + vt + "\"]}}")
        .post(groups())
        .then()
        .statusCode(413)
        .body(
            "overLimit.message",
            equalTo(
                "GroupLimitExceeded: Maximum number of groups allowed (" + allowed + ") exceeded"));
  }

  @Test
  void aMemberOfAGroupIsNeitherRetypedNorMigrated() throws Exception {
    String dest = "grouphost2@fake#fake";
    io.ember.api.testsupport.HostReports.up(HOST + "#fake");
    io.ember.api.testsupport.HostReports.up(dest);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (admin()
            .get("/v3/" + api.project + "/os-services?binary=cinder-volume")
            .<List<java.util.Map<String, Object>>>path("services")
            .stream()
            .filter(
                s ->
                    "up".equals(s.get("state")) && s.get("host").toString().startsWith("grouphost"))
            .count()
        < 2) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("both group hosts up");
      }
      Thread.sleep(50);
    }
    String vt = volumeType();
    String[] group = groupWithVolume(groupType(), vt, "members");
    String otherType = volumeType();
    refused(
        member(),
        api.volumes() + "/" + group[1] + "/action",
        "{\"os-retype\": {\"new_type\": \"" + otherType + "\"}}",
        "Invalid volume: Retype needs volume to be in available or in-use state, not be"
            + " part of an active migration or a consistency group, requested type has to"
            + " be different that the one from the volume, and for in-use volumes front-end"
            + " qos specs cannot change.");
    refused(
        admin(),
        api.volumes() + "/" + group[1] + "/action",
        "{\"os-migrate_volume\": {\"host\": \"" + dest + "\"}}",
        "Invalid volume: Volume "
            + group[1]
            + " status must be available or in-use, must not be migrating, have snapshots,"
            + " be replicated, be part of a group and destination host/cluster must be"
            + " different than the current one");
    member().get(api.volumes() + "/" + group[1]).then().body("volume.status", equalTo("available"));
  }

  /** The notifications keyed {@code key} whose type starts with {@code prefix}, in order. */
  private List<com.fasterxml.jackson.databind.JsonNode> notes(String key, String prefix, int count)
      throws Exception {
    List<ConsumerRecord<String, String>> sent =
        TestKafka.await(
            topics.notifications(),
            r -> key.equals(r.key()) && r.value().contains("\"type\":\"" + prefix),
            count,
            WAIT);
    assertEquals(count, sent.size(), prefix + " notifications about " + key);
    List<com.fasterxml.jackson.databind.JsonNode> events = new java.util.ArrayList<>();
    for (ConsumerRecord<String, String> r : sent) {
      events.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.value()));
    }
    return events;
  }

  private static java.util.Set<String> fields(com.fasterxml.jackson.databind.JsonNode data) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    data.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void groupAndGroupSnapshotNotificationsAsCinders() throws Exception {
    String vt = volumeType();
    String gt = groupType();
    String[] group = groupWithVolume(gt, vt, "noted");
    String id = group[0];
    var created = notes(id, "group.create.", 2);
    assertEquals("group.create.start", created.get(0).path("type").asText());
    assertEquals("group.create.end", created.get(1).path("type").asText());
    assertEquals("group.grouphost@fake", created.get(1).path("source").asText());
    var data = created.get(1).path("data");
    assertEquals(
        java.util.Set.of(
            "tenant_id",
            "user_id",
            "availability_zone",
            "group_id",
            "group_type",
            "name",
            "created_at",
            "status"),
        fields(data));
    assertEquals(api.project, data.path("tenant_id").asText());
    assertEquals(id, data.path("group_id").asText());
    assertEquals(gt, data.path("group_type").asText());
    assertEquals("noted", data.path("name").asText());
    assertEquals("available", data.path("status").asText());
    assertEquals("creating", created.get(0).path("data").path("status").asText());

    // A rename alone is no update_group in Cinder's manager; a change of members is.
    member()
        .body("{\"group\": {\"remove_volumes\": \"" + group[1] + "\"}}")
        .put(groups() + "/" + id)
        .then()
        .statusCode(202);
    var updated = notes(id, "group.update.", 2);
    assertEquals("group.update.start", updated.get(0).path("type").asText());
    assertEquals("updating", updated.get(0).path("data").path("status").asText());
    assertEquals("group.update.end", updated.get(1).path("type").asText());
    member()
        .body("{\"group\": {\"add_volumes\": \"" + group[1] + "\"}}")
        .put(groups() + "/" + id)
        .then()
        .statusCode(202);

    String[] gs = groupSnapshotOf(id, group[1]);
    var taken = notes(gs[0], "group_snapshot.create.", 2);
    assertEquals("group_snapshot.create.start", taken.get(0).path("type").asText());
    assertEquals("group_snapshot.create.end", taken.get(1).path("type").asText());
    assertEquals("group_snapshot.grouphost@fake", taken.get(1).path("source").asText());
    assertEquals(
        java.util.Set.of(
            "tenant_id",
            "user_id",
            "group_snapshot_id",
            "name",
            "group_id",
            "group_type",
            "created_at",
            "status"),
        fields(taken.get(1).path("data")));
    assertEquals("available", taken.get(1).path("data").path("status").asText());
    member().delete("/v3/" + api.project + "/group_snapshots/" + gs[0]).then().statusCode(202);
    hostCommand(group[1], MessageType.DELETE_SNAPSHOT);
    announce(MessageType.SNAPSHOT_DELETED, group[1], new SnapshotDeleted(gs[1], group[1]));
    var snapshotGone = notes(gs[0], "group_snapshot.delete.", 2);
    assertEquals("group_snapshot.delete.start", snapshotGone.get(0).path("type").asText());
    assertEquals("group_snapshot.delete.end", snapshotGone.get(1).path("type").asText());

    member()
        .body("{\"delete\": {\"delete-volumes\": true}}")
        .post(groups() + "/" + id + "/action")
        .then()
        .statusCode(202);
    notes(id, "group.delete.", 1);
    announce(MessageType.VOLUME_DELETED, group[1], new VolumeDeleted(group[1], HOST + "#fake"));
    awaitGroup(id, "404");
    var deleted = notes(id, "group.delete.", 2);
    assertEquals("group.delete.start", deleted.get(0).path("type").asText());
    assertEquals("deleting", deleted.get(0).path("data").path("status").asText());
    assertEquals("group.delete.end", deleted.get(1).path("type").asText());
  }

  @Test
  void overTheGroupsQuotaIsGroupLimitExceeded() {
    admin()
        .body("{\"quota_set\": {\"groups\": 0}}")
        .put("/v3/" + api.project + "/os-quota-sets/" + api.project)
        .then()
        .statusCode(200);
    createGroup413(groupType(), volumeType(), 0);
    assertEquals(0, api.inUse("groups"));
  }
}
