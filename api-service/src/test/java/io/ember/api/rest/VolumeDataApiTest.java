package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ember.api.snapshot.Snapshot;
import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.ScheduleExtend;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeCreated;
import io.ember.model.contract.VolumeDownloading;
import io.ember.model.contract.VolumeExtendFailed;
import io.ember.model.contract.VolumeExtended;
import io.ember.model.contract.VolumeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Volumes that hold data, through the API: creates from a snapshot, a volume and an image (what the
 * scheduler is sent, and Cinder's refusals), what the host's created event carries, extend with its
 * quota and both outcomes, bootable, readonly, the metadata sub-resource and list filters.
 */
@QuarkusTest
class VolumeDataApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HOST = "node1@fake";
  private final ProjectApi api = new ProjectApi();
  private final Topics topics = new Topics(TestKafka.prefix());

  private String placed(int size) throws InterruptedException {
    String id = api.create(api.admin(), size);
    api.placeOn(HOST, id);
    return id;
  }

  private Response create(String volume) {
    return api.admin().body("{\"volume\": {" + volume + "}}").post(api.volumes());
  }

  private Response action(String id, String body) {
    return api.admin().body(body).post(api.volumes() + "/" + id + "/action");
  }

  private ScheduleVolume castOf(String id) {
    var sent = TestKafka.await(topics.schedulerRequests(), r -> id.equals(r.key()), 1, WAIT);
    assertEquals(1, sent.size());
    return Envelope.fromJson(sent.get(0).value()).payloadAs(ScheduleVolume.class);
  }

  private UUID snapshotOf(String volumeId, int size, String status) {
    UUID id = UUID.randomUUID();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Snapshot s = new Snapshot();
              s.id = id;
              s.volumeId = UUID.fromString(volumeId);
              s.projectId = api.project;
              s.userId = "admin";
              s.volumeSize = size;
              s.status = status;
              s.createdAt = LocalDateTime.now();
              s.persist();
            });
    return id;
  }

  private void event(String id, MessageType type, Object payload) {
    Envelope envelope =
        Envelope.of(
            type, id, new RequestContext("req-test", "admin", api.project, List.of()), payload);
    TestKafka.produce(topics.volumeEvents(), id, envelope.toJson());
  }

  private static void badRequest(Response r, String message) {
    r.then().statusCode(400).body("badRequest.message", equalTo(message));
  }

  @Test
  void aVolumeFromASnapshotIsCastToTheSnapshotsHostAndShowsItsSource() throws Exception {
    String source = placed(2);
    UUID snapshot = snapshotOf(source, 2, "available");

    Response created = create("\"snapshot_id\": \"" + snapshot + "\", \"name\": \"from-snap\"");
    created.then().statusCode(202).body("volume.snapshot_id", equalTo(snapshot.toString()));
    String id = created.path("volume.id");
    assertEquals(2, (int) created.path("volume.size"), "the snapshot's size");
    assertEquals(
        VolumeSource.snapshot(snapshot.toString(), HOST + "#fake"), castOf(id).volume().source());

    UUID creating = snapshotOf(source, 2, "creating");
    badRequest(
        create("\"snapshot_id\": \"" + creating + "\""),
        "Invalid snapshot: Originating snapshot status must be one of 'available' values");
    badRequest(
        create("\"size\": 1, \"snapshot_id\": \"" + snapshot + "\""),
        "Invalid input received: Volume size '1'GB cannot be smaller than the snapshot size 2GB."
            + " They must be >= original snapshot size.");
    UUID missing = UUID.randomUUID();
    create("\"snapshot_id\": \"" + missing + "\"")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Snapshot " + missing + " could not be found."));
    badRequest(
        create("\"snapshot_id\": \"" + snapshot + "\", \"source_volid\": \"" + source + "\""),
        "Invalid input received: May specify only one of backup, imageRef, snapshot, source volume");
  }

  @Test
  void aCloneInheritsBootableAndIsCastToItsSourcesHost() throws Exception {
    String source = placed(3);
    action(source, "{\"os-set_bootable\": {\"bootable\": \"yes\"}}").then().statusCode(200);

    Response created = create("\"source_volid\": \"" + source + "\"");
    created.then().statusCode(202).body("volume.source_volid", equalTo(source));
    created.then().body("volume.bootable", equalTo("true")).body("volume.size", equalTo(3));
    String id = created.path("volume.id");
    assertEquals(VolumeSource.volume(source, HOST + "#fake"), castOf(id).volume().source());
    assertEquals(2 * 3, api.inUse("gigabytes"));

    action(source, "{\"os-reset_status\": {\"status\": \"error\"}}").then().statusCode(202);
    badRequest(
        create("\"source_volid\": \"" + source + "\""),
        "Invalid volume: Originating source volume status must be one of 'available, in-use'"
            + " values");
  }

  @Test
  void aVolumeFromAnImageIsCheckedAndTheHostsBootableFlagAndImageMetadataAreShown()
      throws Exception {
    Path images = Path.of("target/test-images");
    Files.createDirectories(images);
    String image = "img-" + UUID.randomUUID();
    Files.writeString(
        images.resolve(image + ".json"),
        "{\"id\": \""
            + image
            + "\", \"name\": \"cirros\", \"status\": \"active\","
            + " \"size\": 1073741825, \"min_disk\": 1, \"disk_format\": \"raw\"}");

    badRequest(
        create("\"size\": 1, \"imageRef\": \"" + image + "\""),
        "Invalid input received: Size of specified image 2GB is larger than volume size 1GB.");
    badRequest(
        create("\"size\": 1, \"imageRef\": \"no-such-image\""),
        "Invalid image identifier or unable to access requested image.");
    Response created = create("\"size\": 2, \"imageRef\": \"" + image + "\"");
    created.then().statusCode(202).body("volume.bootable", equalTo("false"));
    String id = created.path("volume.id");
    assertEquals(VolumeSource.image(image), castOf(id).volume().source());
    assertNull(created.path("volume.volume_image_metadata"), "none until the host gives some");

    event(
        id,
        MessageType.VOLUME_CREATED,
        new VolumeCreated(
            id,
            HOST + "#fake",
            "fake://" + id,
            Instant.now(),
            true,
            Map.of("image_name", "cirros")));
    api.awaitStatus(id, "available");
    api.show(id)
        .then()
        .body("volume.bootable", equalTo("true"))
        .body("volume.volume_image_metadata.image_name", equalTo("cirros"));
  }

  /** The extend request the API cast to the scheduler for volume {@code id}. */
  private ScheduleExtend extendRequestOf(String id) {
    var sent =
        TestKafka.await(
            topics.schedulerRequests(),
            r -> id.equals(r.key()) && r.value().contains(MessageType.SCHEDULE_EXTEND.wire()),
            1,
            WAIT);
    assertEquals(1, sent.size());
    return Envelope.fromJson(sent.get(0).value()).payloadAs(ScheduleExtend.class);
  }

  @Test
  void extendChargesTheAddedSizeAsksTheSchedulerAndEndsAvailableWithTheNewSize() throws Exception {
    String id = placed(2);
    badRequest(
        action(id, "{\"os-extend\": {\"new_size\": 1}}"),
        "Invalid input received: New size for extend must be greater than current size."
            + " (current: 2, extended: 1).");
    badRequest(
        action(id, "{\"os-extend\": {}}"),
        "Invalid input for field/attribute os-extend. Value: {}. 'new_size' is a required"
            + " property");

    action(id, "{\"os-extend\": {\"new_size\": 5}}").then().statusCode(202);
    assertEquals("extending", api.statusOf(id));
    assertEquals(5, api.inUse("gigabytes"), "+3 charged with the status change");
    assertEquals(5, api.inUse("gigabytes___DEFAULT__"));
    // Cinder's path: the scheduler checks the volume's own pool, then casts to the host.
    ScheduleExtend request = extendRequestOf(id);
    assertEquals(HOST + "#fake", request.pool());
    assertEquals(5, request.newSize());
    assertEquals(2, request.volume().size());
    assertEquals("available", request.previousStatus());
    assertEquals(api.project, request.volume().projectId());
    badRequest(
        action(id, "{\"os-extend\": {\"new_size\": 6}}"),
        "Invalid volume: Volume "
            + id
            + " status must be '{'status': 'available'}' to extend,"
            + " currently extending.");

    event(id, MessageType.VOLUME_EXTENDED, new VolumeExtended(id, 2, 5));
    api.awaitStatus(id, "available");
    api.show(id).then().body("volume.size", equalTo(5));
    assertEquals(5, api.inUse("gigabytes"));
  }

  @Test
  void anExtendTheSchedulerRefusesGoesBackToItsStatusGivesTheSizeBackAndTellsTheUser()
      throws Exception {
    String id = placed(2);
    action(id, "{\"os-reset_status\": {\"status\": \"in-use\"}}").then().statusCode(202);
    api.admin()
        .header("OpenStack-API-Version", "volume 3.42")
        .body("{\"os-extend\": {\"new_size\": 900}}")
        .post(api.volumes() + "/" + id + "/action")
        .then()
        .statusCode(202);
    assertEquals(900, api.inUse("gigabytes"));
    assertEquals("in-use", extendRequestOf(id).previousStatus());

    event(
        id,
        MessageType.VOLUME_EXTEND_FAILED,
        new VolumeExtendFailed(
            id, 2, 900, "No valid backend was found. Cannot place volume on it", true));
    // Cinder's scheduler: back to the previous status (not error_extending), quota rolled back.
    api.awaitStatus(id, "in-use");
    api.show(id).then().body("volume.size", equalTo(2));
    assertEquals(2, api.inUse("gigabytes"));
    api.awaitMessage(id, "VOLUME_VOLUME_007_003");
    api.admin()
        .header("OpenStack-API-Version", "volume 3.3")
        .get("/v3/" + api.project + "/messages?resource_uuid=" + id)
        .then()
        .body(
            "messages.user_message",
            hasItem("extend volume:Could not find any available weighted backend."));
  }

  @Test
  void aFailedExtendIsErrorExtendingAndGivesTheAddedSizeBack() throws Exception {
    String id = placed(2);
    action(id, "{\"os-extend\": {\"new_size\": \"4\"}}").then().statusCode(202);
    assertEquals(4, api.inUse("gigabytes"));

    event(id, MessageType.VOLUME_EXTEND_FAILED, new VolumeExtendFailed(id, 2, 4, "disk full"));
    api.awaitStatus(id, "error_extending");
    api.show(id).then().body("volume.size", equalTo(2));
    assertEquals(2, api.inUse("gigabytes"));
    api.awaitMessage(id, "VOLUME_VOLUME_007_010");
  }

  @Test
  void extendOfAnInUseVolumeNeeds342() throws Exception {
    String id = placed(1);
    action(id, "{\"os-reset_status\": {\"status\": \"in-use\"}}").then().statusCode(202);
    badRequest(
        action(id, "{\"os-extend\": {\"new_size\": 2}}"),
        "Invalid volume: Volume "
            + id
            + " status must be '{'status': 'available'}' to extend,"
            + " currently in-use.");
    api.admin()
        .header("OpenStack-API-Version", "volume 3.42")
        .body("{\"os-extend\": {\"new_size\": 2}}")
        .post(api.volumes() + "/" + id + "/action")
        .then()
        .statusCode(202);
    event(id, MessageType.VOLUME_EXTENDED, new VolumeExtended(id, 1, 2));
    api.awaitStatus(id, "in-use");
  }

  @Test
  void bootableAndReadonlyFlagsWithCindersAnswersToBadValues() throws Exception {
    String id = placed(1);
    action(id, "{\"os-set_bootable\": {\"bootable\": true}}").then().statusCode(200);
    api.show(id).then().body("volume.bootable", equalTo("true"));
    badRequest(
        action(id, "{\"os-set_bootable\": {\"bootable\": \"maybe\"}}"),
        "Invalid input for field/attribute bootable. Value: maybe. 'maybe' is not one of [True,"
            + " 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', 'y', 't',"
            + " False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no',"
            + " 'n', 'f']");
    badRequest(
        action(id, "{\"os-set_bootable\": {\"bootable\": 1}}"),
        "Invalid input for field/attribute bootable. Value: 1. 1 is not of type 'boolean',"
            + " 'string'");

    action(id, "{\"os-update_readonly_flag\": {\"readonly\": \"true\"}}").then().statusCode(202);
    api.show(id).then().body("volume.metadata.readonly", equalTo("True"));
    api.admin()
        .get(api.volumes() + "/" + id + "/metadata")
        .then()
        .body("metadata", equalTo(Map.of()));

    action(id, "{\"os-reset_status\": {\"status\": \"error\"}}").then().statusCode(202);
    badRequest(
        action(id, "{\"os-update_readonly_flag\": {\"readonly\": false}}"),
        "Invalid volume: Volume "
            + id
            + " status must be available to update readonly flag,"
            + " but current status is: error.");
  }

  @Test
  void theMetadataSubResourceMergesReplacesSetsAndDeletesAsCinder() throws Exception {
    String id = placed(1);
    String base = api.volumes() + "/" + id + "/metadata";
    api.admin().body("{\"metadata\": {\"k\": \"v\"}}").post(base).then().statusCode(200);
    api.admin()
        .body("{\"metadata\": {\"k2\": \"v2\"}}")
        .post(base)
        .then()
        .statusCode(200)
        .body("metadata", equalTo(Map.of("k", "v", "k2", "v2")));
    api.admin().get(base + "/k2").then().statusCode(200).body("meta", equalTo(Map.of("k2", "v2")));
    api.admin()
        .body("{\"meta\": {\"k\": \"w\"}}")
        .put(base + "/k")
        .then()
        .statusCode(200)
        .body("meta", equalTo(Map.of("k", "w")));
    badRequest(
        api.admin().body("{\"meta\": {\"x\": \"w\"}}").put(base + "/k"),
        "Request body and URI mismatch");
    badRequest(
        api.admin().body("{\"meta\": {\"k\": \"w\", \"x\": \"y\"}}").put(base + "/k"),
        "Invalid input for field/attribute meta. Value: {\"k\":\"w\",\"x\":\"y\"}."
            + " {\"k\":\"w\",\"x\":\"y\"} has too many properties");
    api.admin().delete(base + "/k2").then().statusCode(200);
    api.admin()
        .get(base + "/k2")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Volume " + id + " has no metadata with key k2."));
    api.admin().delete(base + "/k2").then().statusCode(404);
    api.admin()
        .body("{\"metadata\": {\"only\": \"this\"}}")
        .put(base)
        .then()
        .statusCode(200)
        .body("metadata", equalTo(Map.of("only", "this")));
    api.show(id).then().body("volume.metadata", equalTo(Map.of("only", "this")));
    badRequest(api.admin().body("{\"meta\": {}}").post(base), "'metadata' is a required property");
    api.admin().get(api.volumes() + "/" + UUID.randomUUID() + "/metadata").then().statusCode(404);
  }

  @Test
  void aVolumeIsDownloadingWhileItsImageIsCopiedAndThenEndsAsAnyCreate() throws Exception {
    String ok = api.create(api.admin(), 1);
    String failing = api.create(api.admin(), 1);
    for (String id : List.of(ok, failing)) {
      event(id, MessageType.VOLUME_DOWNLOADING, new VolumeDownloading(id, HOST + "#fake", "img"));
      api.awaitStatus(id, "downloading");
    }
    // Cinder's status rules: not deletable while downloading (only force-delete is).
    api.admin()
        .delete(api.volumes() + "/" + ok)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            org.hamcrest.Matchers.startsWith(
                "Invalid volume: Volume status must be available or error"));
    assertEquals("downloading", api.statusOf(ok));

    event(
        ok,
        MessageType.VOLUME_CREATED,
        new VolumeCreated(
            ok, HOST + "#fake", "fake://" + ok, Instant.now(), true, Map.of("image_id", "img")));
    event(
        failing,
        MessageType.VOLUME_CREATE_FAILED,
        new VolumeCreateFailed(failing, HOST + "#fake", "Failed to copy image to volume"));
    api.awaitStatus(ok, "available");
    api.awaitStatus(failing, "error");
    api.show(ok).then().body("volume.bootable", equalTo("true"));

    // A late downloading event changes nothing once the create has ended.
    event(ok, MessageType.VOLUME_DOWNLOADING, new VolumeDownloading(ok, HOST + "#fake", "img"));
    Thread.sleep(500);
    assertEquals("available", api.statusOf(ok));
  }

  /** A volume the host made from an image, carrying {@code imageMetadata}; its id. */
  private String fromImage(Map<String, String> imageMetadata) throws InterruptedException {
    String id = api.create(api.admin(), 1);
    event(
        id,
        MessageType.VOLUME_CREATED,
        new VolumeCreated(id, HOST + "#fake", "fake://" + id, Instant.now(), true, imageMetadata));
    api.awaitStatus(id, "available");
    return id;
  }

  @Test
  void theGlanceMetadataFilterFindsVolumesByWhatTheyTookFromTheirImageFrom34() throws Exception {
    String cirros = fromImage(Map.of("image_name", "cirros", "os_distro", "cirros"));
    String ubuntu = fromImage(Map.of("image_name", "ubuntu", "os_distro", "ubuntu"));
    String raw = placed(1);
    String detail = api.volumes() + "/detail";

    api.admin()
        .header("OpenStack-API-Version", "volume 3.4")
        .queryParam("glance_metadata", "{\"image_name\": \"cirros\"}")
        .get(detail)
        .then()
        .statusCode(200)
        .body("volumes.id", equalTo(List.of(cirros)));
    api.admin()
        .header("OpenStack-API-Version", "volume 3.60")
        .queryParam("glance_metadata", "{'image_name': 'ubuntu', 'os_distro': 'ubuntu'}")
        .get(api.volumes())
        .then()
        .body("volumes.id", equalTo(List.of(ubuntu)));
    api.admin()
        .header("OpenStack-API-Version", "volume 3.4")
        .queryParam("glance_metadata", "{\"image_name\": \"cirros\", \"os_distro\": \"ubuntu\"}")
        .get(detail)
        .then()
        .body("volumes.id", equalTo(List.of()));
    // Before 3.4 Cinder drops the filter: every volume.
    List<String> all =
        api.admin()
            .header("OpenStack-API-Version", "volume 3.3")
            .queryParam("glance_metadata", "{\"image_name\": \"cirros\"}")
            .get(detail)
            .path("volumes.id");
    assertEquals(Set.of(cirros, ubuntu, raw), Set.copyOf(all));
    badRequest(
        api.admin()
            .header("OpenStack-API-Version", "volume 3.4")
            .queryParam("glance_metadata", "cirros")
            .get(detail),
        "Invalid input received: 'glance_metadata = cirros'");
    // Not in Cinder's default resource_filters.json: a user's is refused from 3.31.
    api.as("user")
        .header("OpenStack-API-Version", "volume 3.31")
        .queryParam("glance_metadata", "{\"image_name\": \"cirros\"}")
        .get(detail)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("Invalid filters glance_metadata are found in query options."));
  }

  @Test
  void listFiltersByMetadataBootableNameLikeAndRefusesUnknownFiltersFrom331() throws Exception {
    String a = placed(1);
    String b = placed(2);
    api.admin()
        .body("{\"volume\": {\"name\": \"alpha-one\", \"metadata\": {\"tier\": \"gold\"}}}")
        .put(api.volumes() + "/" + a);
    api.admin().body("{\"volume\": {\"name\": \"beta\"}}").put(api.volumes() + "/" + b);
    action(b, "{\"os-set_bootable\": {\"bootable\": true}}").then().statusCode(200);
    String detail = api.volumes() + "/detail";

    api.as("user")
        .queryParam("metadata", "{'tier': 'gold'}")
        .get(detail)
        .then()
        .statusCode(200)
        .body("volumes.id", equalTo(List.of(a)));
    api.as("user").get(detail + "?bootable=true").then().body("volumes.id", equalTo(List.of(b)));
    api.as("user").get(detail + "?size=2").then().body("volumes.id", equalTo(List.of(b)));
    // Strict from 3.2; before, any other word is Python's truth.
    badRequest(
        api.as("user")
            .header("OpenStack-API-Version", "volume 3.2")
            .get(detail + "?bootable=maybe"),
        "Invalid input received: 'bootable = maybe'");
    api.as("user").get(detail + "?bootable=maybe").then().body("volumes.id", equalTo(List.of(b)));
    api.admin()
        .header("OpenStack-API-Version", "volume 3.34")
        .get(detail + "?name~=lpha")
        .then()
        .body("volumes.id", equalTo(List.of(a)));
    api.as("user")
        .header("OpenStack-API-Version", "volume 3.31")
        .get(detail + "?colour=red")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Invalid filters colour are found in query options."));
    // Before 3.31 an unknown filter is dropped; all_tenants is always forgiven.
    api.as("user")
        .get(detail + "?colour=red&all_tenants=1")
        .then()
        .statusCode(200)
        .body("volumes.id", hasItem(a));
    api.as("user")
        .get(api.volumes() + "?status=available&limit=1&sort=size:asc")
        .then()
        .body("volumes.id", equalTo(List.of(a)))
        .body("volumes_links[0].href", not(equalTo(null)));
  }
}
