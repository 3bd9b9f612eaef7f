package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.AnsweringHost;
import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestHostTopic;
import io.ember.api.testsupport.VolumeHostSide;
import io.ember.api.volume.Volume;
import io.ember.model.contract.CompleteMigration;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.VolumeMigrated;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code os-migrate_volume_completion} over HTTP and the real broker: Cinder's refusals and
 * messages, Nova's swap answer, the error end, and the call to the source's host (answered by a
 * test host) after which the new volume's row and quota are gone and the volume migrates to the new
 * volume's host.
 */
@QuarkusTest
class VolumeMigrationCompletionApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SOURCE = TestHostTopic.HOST;
  private static final String DEST = "node2@fake";

  private final ProjectApi api = new ProjectApi();
  private final VolumeHostSide events = new VolumeHostSide(api.project);
  private AnsweringHost host;

  @BeforeEach
  void startHost() {
    host = new AnsweringHost(SOURCE);
  }

  @AfterEach
  void stopHost() {
    host.close();
  }

  private String volumeOn(String backend) throws InterruptedException {
    String id = api.create(api.admin(), 1);
    api.placeOn(backend, id);
    return id;
  }

  /** As Cinder's generic migration leaves them: the source migrating, the new one its target. */
  private void migrating(String id, String sourceStatus, String newId, String newStatus) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Volume.<Volume>findById(UUID.fromString(id)).migrationStatus = sourceStatus;
              Volume.<Volume>findById(UUID.fromString(newId)).migrationStatus = newStatus;
            });
  }

  private Response complete(RequestSpecification who, String id, String args) {
    return who.body("{\"os-migrate_volume_completion\": " + args + "}")
        .post(api.volumes() + "/" + id + "/action");
  }

  private void refused(String id, String args, int code, String fault, String message) {
    complete(api.admin(), id, args)
        .then()
        .statusCode(code)
        .body(fault + ".message", equalTo(message));
  }

  private Map<String, Object> shown(String id) {
    return api.show(id).then().statusCode(200).extract().path("volume");
  }

  @Test
  void cindersRefusalsChangeNothing() throws Exception {
    String id = volumeOn(SOURCE);
    String newId = volumeOn(DEST);
    String unknown = UUID.randomUUID().toString();
    complete(api.as("member"), id, "{\"new_volume\": \"" + newId + "\"}")
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo(
                "Policy doesn't allow"
                    + " volume_extension:volume_admin_actions:migrate_volume_completion to be"
                    + " performed."));
    refused(
        id,
        "{\"new_volume\": \"" + unknown + "\"}",
        404,
        "itemNotFound",
        "Volume " + unknown + " could not be found.");
    refused(
        id,
        "{\"error\": false}",
        400,
        "badRequest",
        "Invalid input for field/attribute os-migrate_volume_completion. Value: {'error': False}."
            + " 'new_volume' is a required property");
    refused(
        id,
        "{\"new_volume\": \"nope\"}",
        400,
        "badRequest",
        "Invalid input for field/attribute new_volume. Value: nope. 'nope' is not a 'uuid'");

    migrating(id, null, newId, "target:" + id);
    refused(
        id,
        "{\"new_volume\": \"" + newId + "\"}",
        400,
        "badRequest",
        "Invalid volume: Source volume not mid-migration.");
    migrating(id, "migrating", newId, null);
    refused(
        id,
        "{\"new_volume\": \"" + newId + "\"}",
        400,
        "badRequest",
        "Invalid volume: Destination volume not mid-migration.");
    migrating(id, "migrating", newId, "target:" + newId);
    refused(
        id,
        "{\"new_volume\": \"" + newId + "\"}",
        400,
        "badRequest",
        "Invalid volume: Destination has migration_status target:"
            + newId
            + ", expected target:"
            + id
            + ".");
    assertEquals(List.of(), host.calls(), "no call for a refusal");
    assertEquals("migrating", shown(id).get("migration_status"));
    assertEquals("available", api.statusOf(newId));
  }

  @Test
  void withoutAMigrationItIsNovasSwapAndAnswersTheNewVolume() throws Exception {
    String id = volumeOn(SOURCE);
    String newId = volumeOn(DEST);
    complete(api.admin(), id, "{\"new_volume\": \"" + newId + "\"}")
        .then()
        .statusCode(200)
        .body("save_volume_id", equalTo(newId));
    assertEquals(List.of(), host.calls());
    assertEquals("available", api.statusOf(id));
    assertEquals("available", api.statusOf(newId));
  }

  @Test
  void novasSwapMovesTheSourcesAttachmentToTheNewVolume() throws Exception {
    String id = volumeOn(SOURCE);
    String newId = volumeOn(DEST);
    String instance = UUID.randomUUID().toString();
    try (AnsweringHost dest = new AnsweringHost(DEST)) {
      api.admin()
          .body(
              "{\"os-attach\": {\"instance_uuid\": \""
                  + instance
                  + "\", \"mountpoint\": \"/dev/vdb\", \"mode\": \"ro\"}}")
          .post(api.volumes() + "/" + id + "/action")
          .then()
          .statusCode(202);
      assertEquals("in-use", api.statusOf(id));

      complete(api.admin(), id, "{\"new_volume\": \"" + newId + "\"}")
          .then()
          .statusCode(200)
          .body("save_volume_id", equalTo(newId));

      api.show(id)
          .then()
          .body("volume.status", equalTo("available"))
          .body("volume.attachments", hasSize(0));
      api.show(newId)
          .then()
          .body("volume.status", equalTo("in-use"))
          .body("volume.attachments[0].server_id", equalTo(instance))
          .body("volume.attachments[0].device", equalTo("/dev/vdb"))
          .body("volume.metadata.attached_mode", equalTo("rw"));
      assertEquals(
          List.of(MessageType.ATTACH_VOLUME, MessageType.DETACH_VOLUME),
          host.calls().stream().map(Envelope::messageType).toList());
      assertEquals(
          List.of(MessageType.ATTACH_VOLUME),
          dest.calls().stream().map(Envelope::messageType).toList());
    }
  }

  @Test
  void theCallHandsTheVolumeOverAndTheNewVolumesRowAndQuotaGo() throws Exception {
    String id = volumeOn(SOURCE);
    String newId = volumeOn(DEST);
    migrating(id, "migrating", newId, "target:" + id);
    int volumesInUse = api.inUse("volumes");
    int gigabytesInUse = api.inUse("gigabytes");

    complete(api.admin(), id, "{\"new_volume\": \"" + newId + "\", \"error\": false}")
        .then()
        .statusCode(200)
        .body("save_volume_id", equalTo(id));

    assertEquals(1, host.calls().size());
    Envelope call = host.calls().get(0);
    assertEquals(MessageType.MIGRATE_VOLUME_COMPLETION, call.messageType());
    assertEquals(
        new CompleteMigration(id, newId, api.project, 1, SOURCE + "#fake", DEST + "#fake"),
        call.payloadAs(CompleteMigration.class));
    assertEquals("404", api.statusOf(newId), "the new volume's row is gone");
    assertEquals(volumesInUse - 1, api.inUse("volumes"));
    assertEquals(gigabytesInUse - 1, api.inUse("gigabytes"));
    assertEquals("completing", shown(id).get("migration_status"));

    // The destination adopts the data under the volume's id and says so.
    events.publish(
        id,
        events.event(
            MessageType.VOLUME_MIGRATED,
            id,
            new VolumeMigrated(id, DEST + "#fake", "fake://" + id)));
    awaitMigration(id, "success");
    assertEquals(DEST + "#fake", shown(id).get("os-vol-host-attr:host"));
    assertEquals("available", api.statusOf(id));
  }

  @Test
  void aRefusingHostLeavesTheMigrationAsItWas() throws Exception {
    String id = volumeOn(SOURCE);
    String newId = volumeOn(DEST);
    migrating(id, "migrating", newId, "target:" + id);
    host.mode(AnsweringHost.Mode.REFUSE);
    refused(
        id,
        "{\"new_volume\": \"" + newId + "\"}",
        400,
        "badRequest",
        "Volume refused by the test host.");
    assertEquals("migrating", shown(id).get("migration_status"));
    assertEquals("available", api.statusOf(newId));
  }

  @Test
  void anErrorEndsTheMigrationAndDeletesTheNewVolume() throws Exception {
    String id = volumeOn(SOURCE);
    String newId = volumeOn(DEST);
    migrating(id, "migrating", newId, "target:" + id);
    complete(api.admin(), id, "{\"new_volume\": \"" + newId + "\", \"error\": \"true\"}")
        .then()
        .statusCode(200)
        .body("save_volume_id", equalTo(id));
    Map<String, Object> volume = shown(id);
    assertEquals("error", volume.get("migration_status"));
    assertEquals("available", volume.get("status"));
    assertEquals(SOURCE + "#fake", volume.get("os-vol-host-attr:host"));
    assertEquals("deleting", api.statusOf(newId));
    DeleteVolume delete =
        events.command(DEST, newId, MessageType.DELETE_VOLUME).payloadAs(DeleteVolume.class);
    assertEquals(DEST + "#fake", delete.pool());
    assertTrue(host.calls().isEmpty(), "no call to the source's host");
  }

  private void awaitMigration(String id, String status) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!status.equals(shown(id).get("migration_status"))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("volume " + id + " never reached migration " + status);
      }
      Thread.sleep(50);
    }
  }
}
