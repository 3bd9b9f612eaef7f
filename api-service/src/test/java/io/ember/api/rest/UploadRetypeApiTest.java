package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CopyVolumeToImage;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.ScheduleRetype;
import io.ember.model.contract.VolumeMigrateFailed;
import io.ember.model.contract.VolumeMigrated;
import io.ember.model.contract.VolumeMigrationStatus;
import io.ember.model.contract.VolumeRetypeFailed;
import io.ember.model.contract.VolumeRetyped;
import io.ember.model.contract.VolumeUploadFailed;
import io.ember.model.contract.VolumeUploaded;
import io.ember.model.image.Image;
import io.ember.model.image.ImageService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code os-volume_upload_image} and {@code os-retype} through the API: Cinder's answers and
 * refusals, the image registered and the command sent, what the hosts' results do to the volume,
 * and the per-type quota a retype moves.
 */
@QuarkusTest
class UploadRetypeApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HOST = "node1@fake";
  private final ProjectApi api = new ProjectApi();
  private final Topics topics = new Topics(TestKafka.prefix());

  @Inject ImageService images;

  private String placed(int size) throws InterruptedException {
    String id = api.create(api.admin(), size);
    api.placeOn(HOST, id);
    return id;
  }

  private Response action(String id, String body) {
    return api.admin().body(body).post(api.volumes() + "/" + id + "/action");
  }

  private Response actionAt(String version, String who, String id, String body) {
    return api.as(who)
        .header("OpenStack-API-Version", "volume " + version)
        .body(body)
        .post(api.volumes() + "/" + id + "/action");
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

  private String newType(String extraSpecs) {
    String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
    return api.admin()
        .body(
            "{\"volume_type\": {\"name\": \""
                + name
                + "\""
                + (extraSpecs == null ? "" : ", \"extra_specs\": " + extraSpecs)
                + "}}")
        .post("/v3/" + api.project + "/types")
        .then()
        .statusCode(200)
        .extract()
        .path("volume_type.id");
  }

  private String typeName(String typeId) {
    return api.admin().get("/v3/" + api.project + "/types/" + typeId).path("volume_type.name");
  }

  @Test
  void uploadRegistersAQueuedImageSendsTheCopyAndComesBackAvailable() throws Exception {
    String id = placed(1);
    Response answer = action(id, "{\"os-volume_upload_image\": {\"image_name\": \"backup-1\"}}");
    answer
        .then()
        .statusCode(202)
        .body("os-volume_upload_image.id", equalTo(id))
        .body("os-volume_upload_image.status", equalTo("uploading"))
        .body("os-volume_upload_image.size", equalTo(1))
        .body("os-volume_upload_image.image_name", equalTo("backup-1"))
        .body("os-volume_upload_image.disk_format", equalTo("raw"))
        .body("os-volume_upload_image.container_format", equalTo("bare"))
        .body("os-volume_upload_image.protected", equalTo(false))
        .body("os-volume_upload_image.volume_type.name", equalTo("__DEFAULT__"));
    String imageId = answer.path("os-volume_upload_image.image_id");
    Image image = images.show(imageId).orElseThrow();
    assertEquals("queued", image.status());
    assertEquals("backup-1", image.name());
    assertEquals(api.project, image.owner());
    assertEquals("uploading", api.statusOf(id));

    Envelope command = api.commandSentTo(HOST, id);
    assertEquals(MessageType.COPY_VOLUME_TO_IMAGE, command.messageType());
    assertEquals(
        new CopyVolumeToImage(id, api.project, HOST + "#fake", imageId, "raw", "bare"),
        command.payloadAs(CopyVolumeToImage.class));
    badRequest(
        action(id, "{\"os-volume_upload_image\": {\"image_name\": \"again\"}}"),
        "Invalid volume: Volume " + id + " status must be available");

    event(id, MessageType.VOLUME_UPLOADED, new VolumeUploaded(id, "some-other-image"));
    event(id, MessageType.VOLUME_UPLOADED, new VolumeUploaded(id, imageId));
    api.awaitStatus(id, "available");
  }

  @Test
  void uploadAt31TakesVisibilityAndProtectedAndAQcow2Format() throws Exception {
    String id = placed(1);
    Response answer =
        actionAt(
            "3.1",
            "admin",
            id,
            "{\"os-volume_upload_image\": {\"image_name\": \"q\", \"disk_format\": \"qcow2\","
                + " \"visibility\": \"private\", \"protected\": \"true\"}}");
    answer
        .then()
        .statusCode(202)
        .body("os-volume_upload_image.disk_format", equalTo("qcow2"))
        .body("os-volume_upload_image.visibility", equalTo("private"))
        .body("os-volume_upload_image.protected", equalTo(true));
    Image image = images.show(answer.path("os-volume_upload_image.image_id")).orElseThrow();
    assertEquals("qcow2", image.diskFormat());
    assertTrue(image.isProtected());
  }

  @Test
  void uploadRefusalsAsCinders() throws Exception {
    String id = placed(1);
    badRequest(
        action(id, "{\"os-volume_upload_image\": {}}"),
        "Invalid input for field/attribute os-volume_upload_image. Value: {}. 'image_name' is a"
            + " required property");
    badRequest(
        action(
            id, "{\"os-volume_upload_image\": {\"image_name\": \"x\", \"disk_format\": \"iso\"}}"),
        "Invalid input for field/attribute disk_format. Value: iso. 'iso' is not one of ['raw',"
            + " 'vmdk', 'vdi', 'qcow2', 'vhd', 'vhdx', 'ploop']");
    badRequest(
        action(
            id,
            "{\"os-volume_upload_image\": {\"image_name\": \"x\", \"visibility\": \"public\"}}"),
        "Invalid input for field/attribute os-volume_upload_image. Value:"
            + " {\"image_name\":\"x\",\"visibility\":\"public\"}. Additional properties are not"
            + " allowed ('visibility' was unexpected)");
    badRequest(
        action(id, "{\"os-volume_upload_image\": {\"image_name\": \"x\", \"force\": \"maybe\"}}"),
        "Invalid input for field/attribute force. Value: maybe. 'maybe' is not one of [True,"
            + " 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', 'y', 't',"
            + " False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no', 'n',"
            + " 'f']");
    actionAt(
            "3.1",
            "alice",
            id,
            "{\"os-volume_upload_image\": {\"image_name\": \"x\", \"visibility\": \"public\"}}")
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo(
                "Policy doesn't allow volume_extension:volume_actions:upload_public to be"
                    + " performed."));
    action(id, "{\"os-reset_status\": {\"status\": \"in-use\"}}").then().statusCode(202);
    // enable_force_upload is off (Cinder's default): force is ignored.
    badRequest(
        action(id, "{\"os-volume_upload_image\": {\"image_name\": \"x\", \"force\": true}}"),
        "Invalid volume: Volume " + id + " status must be available");
    action(UUID.randomUUID().toString(), "{\"os-volume_upload_image\": {\"image_name\": \"x\"}}")
        .then()
        .statusCode(404);
    assertEquals("in-use", api.statusOf(id), "nothing changed by a refusal");
  }

  @Test
  void aFailedUploadPutsTheVolumeBackAndTellsTheUser() throws Exception {
    String id = placed(1);
    String imageId =
        action(id, "{\"os-volume_upload_image\": {\"image_name\": \"doomed\"}}")
            .then()
            .statusCode(202)
            .extract()
            .path("os-volume_upload_image.image_id");
    event(id, MessageType.VOLUME_UPLOAD_FAILED, new VolumeUploadFailed(id, imageId, "disk gone"));
    api.awaitStatus(id, "available");
    api.awaitMessage(id, "VOLUME_VOLUME_003_004");
  }

  @Test
  void retypeAsksTheSchedulerThenTakesTheTypeAndMovesThePerTypeQuota() throws Exception {
    String gold = newType("{\"volume_backend_name\": \"fake\"}");
    String goldName = typeName(gold);
    String id = placed(2);
    action(id, "{\"os-retype\": {\"new_type\": \"" + goldName + "\"}}").then().statusCode(202);
    assertEquals("retyping", api.statusOf(id));
    var sent =
        TestKafka.await(
            topics.schedulerRequests(),
            r -> id.equals(r.key()) && r.value().contains(MessageType.SCHEDULE_RETYPE.wire()),
            1,
            WAIT);
    ScheduleRetype request = Envelope.fromJson(sent.get(0).value()).payloadAs(ScheduleRetype.class);
    assertEquals(HOST + "#fake", request.pool());
    assertEquals("never", request.migrationPolicy());
    assertEquals("available", request.previousStatus());
    assertEquals(gold, request.volume().volumeTypeId());
    assertEquals("fake", request.volume().extraSpecs().get("volume_backend_name"));
    badRequest(
        action(id, "{\"os-retype\": {\"new_type\": \"" + gold + "\"}}"),
        "Invalid volume: "
            + "Retype needs volume to be in available or in-use state, not be part"
            + " of an active migration or a consistency group, requested type has to be different"
            + " that the one from the volume, and for in-use volumes front-end qos specs cannot"
            + " change.");
    assertEquals(2, api.inUse("gigabytes___DEFAULT__"), "nothing moves before the result");
    assertEquals(0, api.inUse("gigabytes_" + goldName));

    event(id, MessageType.VOLUME_RETYPED, new VolumeRetyped(id, gold));
    api.awaitStatus(id, "available");
    api.show(id).then().body("volume.volume_type", equalTo(goldName));
    assertEquals(1, api.inUse("volumes_" + goldName));
    assertEquals(2, api.inUse("gigabytes_" + goldName));
    assertEquals(0, api.inUse("volumes___DEFAULT__"));
    assertEquals(0, api.inUse("gigabytes___DEFAULT__"));
    assertEquals(1, api.inUse("volumes"), "the totals do not change");
    assertEquals(2, api.inUse("gigabytes"));
    var notes =
        TestKafka.await(
            topics.notifications(),
            r -> id.equals(r.key()) && r.value().contains("volume.retype"),
            1,
            WAIT);
    assertTrue(notes.get(0).value().contains(gold), notes.get(0).value());

    // Same type again: refused with nothing changed.
    badRequest(
        action(id, "{\"os-retype\": {\"new_type\": \"" + goldName + "\"}}"),
        "Invalid volume: "
            + "Retype needs volume to be in available or in-use state, not be part of an active"
            + " migration or a consistency group, requested type has to be different that the one"
            + " from the volume, and for in-use volumes front-end qos specs cannot change.");
  }

  @Test
  void anOnDemandRetypeThatMigratesTakesTheTypeWhenTheVolumeHasMovedAndMovesTheQuotaOnce()
      throws Exception {
    String gold = newType("{\"tier\": \"gold\"}");
    String goldName = typeName(gold);
    String id = placed(2);
    action(
            id,
            "{\"os-retype\": {\"new_type\": \""
                + goldName
                + "\", \"migration_policy\": \"on-demand\"}}")
        .then()
        .statusCode(202);
    var sent =
        TestKafka.await(
            topics.schedulerRequests(),
            r -> id.equals(r.key()) && r.value().contains(MessageType.SCHEDULE_RETYPE.wire()),
            1,
            WAIT);
    assertEquals(
        "on-demand",
        Envelope.fromJson(sent.get(0).value()).payloadAs(ScheduleRetype.class).migrationPolicy());

    // The scheduler sent the volume elsewhere: its host reports the migration as for any other.
    event(id, MessageType.VOLUME_MIGRATION_STATUS, new VolumeMigrationStatus(id, "migrating"));
    awaitField(id, "migration_status", "migrating");
    assertEquals("retyping", api.statusOf(id));
    assertEquals(2, api.inUse("gigabytes___DEFAULT__"), "nothing moves before the end");
    VolumeMigrated moved = new VolumeMigrated(id, "node2@fake#fake", "fake://moved/" + id);
    event(id, MessageType.VOLUME_MIGRATED, moved);
    api.awaitStatus(id, "available");
    event(id, MessageType.VOLUME_MIGRATED, moved);
    Thread.sleep(500);
    api.show(id)
        .then()
        .body("volume.volume_type", equalTo(goldName))
        .body("volume.migration_status", equalTo("success"))
        .body("volume.'os-vol-host-attr:host'", equalTo("node2@fake#fake"));
    assertEquals(1, api.inUse("volumes_" + goldName), "moved once, a replay changes nothing");
    assertEquals(2, api.inUse("gigabytes_" + goldName));
    assertEquals(0, api.inUse("gigabytes___DEFAULT__"));
    assertEquals(2, api.inUse("gigabytes"), "the totals do not change");
  }

  @Test
  void anOnDemandRetypeWhoseMigrationFailsKeepsTypeHostAndQuota() throws Exception {
    String gold = newType("{\"tier\": \"gold\"}");
    String id = placed(1);
    action(
            id,
            "{\"os-retype\": {\"new_type\": \""
                + gold
                + "\", \"migration_policy\": \"on-demand\"}}")
        .then()
        .statusCode(202);
    event(id, MessageType.VOLUME_MIGRATE_FAILED, new VolumeMigrateFailed(id, "copy failed"));
    api.awaitStatus(id, "available");
    api.show(id)
        .then()
        .body("volume.volume_type", equalTo("__DEFAULT__"))
        .body("volume.migration_status", equalTo("error"))
        .body("volume.'os-vol-host-attr:host'", equalTo(HOST + "#fake"));
    assertEquals(1, api.inUse("volumes___DEFAULT__"));
    api.awaitMessage(id, "VOLUME_VOLUME_101_001");
  }

  private void awaitField(String id, String field, String value) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!value.equals(api.show(id).path("volume." + field))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("volume " + id + " never showed " + field + " " + value);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void aRetypeTheBackendCannotTakeLeavesTypeAndQuotaAndTellsTheUser() throws Exception {
    String silver = newType(null);
    String id = placed(1);
    action(id, "{\"os-reset_status\": {\"status\": \"in-use\"}}").then().statusCode(202);
    action(
            id,
            "{\"os-retype\": {\"new_type\": \""
                + silver
                + "\", \"migration_policy\": \"on-demand\"}}")
        .then()
        .statusCode(202);
    assertEquals("retyping", api.statusOf(id));
    event(
        id,
        MessageType.VOLUME_RETYPE_FAILED,
        new VolumeRetypeFailed(id, silver, "No valid backend was found.", true));
    api.awaitStatus(id, "in-use");
    api.show(id).then().body("volume.volume_type", equalTo("__DEFAULT__"));
    assertEquals(1, api.inUse("volumes___DEFAULT__"));
    assertEquals(0, api.inUse("volumes_" + typeName(silver)));
    api.awaitMessage(id, "VOLUME_VOLUME_101_003");
  }

  @Test
  void retypeRefusalsAsCinders() throws Exception {
    String id = placed(1);
    badRequest(
        action(id, "{\"os-retype\": {\"new_type\": \"no-such-type\"}}"),
        "Invalid input received: Invalid volume_type passed: no-such-type.");
    badRequest(
        action(id, "{\"os-retype\": {}}"),
        "Invalid input for field/attribute os-retype. Value: {}. 'new_type' is a required"
            + " property");
    String plain = newType(null);
    badRequest(
        action(
            id,
            "{\"os-retype\": {\"new_type\": \"" + plain + "\", \"migration_policy\": \"always\"}}"),
        "Invalid input for field/attribute migration_policy. Value: always. 'always' is not one of"
            + " ['on-demand', 'never']");
    // An in-use volume cannot become multiattach.
    String multi = newType("{\"multiattach\": \"<is> True\"}");
    action(id, "{\"os-reset_status\": {\"status\": \"in-use\"}}").then().statusCode(202);
    badRequest(
        action(id, "{\"os-retype\": {\"new_type\": \"" + multi + "\"}}"),
        "Invalid input received: Invalid volume_type passed, retypes affecting multiattach are"
            + " only allowed on available volumes, the specified volume however currently has a"
            + " status of: in-use.");
    // Nor change its front-end QoS.
    String qos =
        api.admin()
            .body(
                "{\"qos_specs\": {\"name\": \"fe-"
                    + UUID.randomUUID()
                    + "\", \"consumer\":"
                    + " \"front-end\", \"read_iops_sec\": \"100\"}}")
            .post("/v3/" + api.project + "/qos-specs")
            .then()
            .statusCode(200)
            .extract()
            .path("qos_specs.id");
    api.admin()
        .get("/v3/" + api.project + "/qos-specs/" + qos + "/associate?vol_type_id=" + plain)
        .then()
        .statusCode(202);
    badRequest(
        action(id, "{\"os-retype\": {\"new_type\": \"" + plain + "\"}}"),
        "Invalid volume: "
            + "Retype needs volume to be in available or in-use state, not be part of an active"
            + " migration or a consistency group, requested type has to be different that the one"
            + " from the volume, and for in-use volumes front-end qos specs cannot change.");
    // Over the new type's quota: 413, nothing changed.
    action(id, "{\"os-reset_status\": {\"status\": \"available\"}}").then().statusCode(202);
    String capped = newType(null);
    api.admin()
        .body("{\"quota_set\": {\"volumes_" + typeName(capped) + "\": 0}}")
        .put("/v3/" + api.project + "/os-quota-sets/" + api.project)
        .then()
        .statusCode(200);
    action(id, "{\"os-retype\": {\"new_type\": \"" + capped + "\"}}").then().statusCode(413);
    api.admin()
        .header("OpenStack-API-Version", "volume 3.3")
        .get("/v3/" + api.project + "/messages")
        .then()
        .body("messages.resource_uuid", org.hamcrest.Matchers.not(hasItem(id)));
    assertEquals("available", api.statusOf(id));
  }
}
