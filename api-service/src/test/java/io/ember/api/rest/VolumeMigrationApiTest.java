package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.Await;
import io.ember.api.testsupport.HostReports;
import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.api.testsupport.VolumeHostSide;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.MigrateVolumeToHost;
import io.ember.model.contract.VolumeMigrateFailed;
import io.ember.model.contract.VolumeMigrated;
import io.ember.model.contract.VolumeMigrationStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code os-migrate_volume} on {@code POST /volumes/{id}/action}: Cinder's checks and messages, the
 * request the scheduler gets, and what the hosts' migration events do to the volume an admin sees
 * ({@code os-vol-mig-status-attr:migstat}, host, status), with the quota unchanged throughout.
 */
@QuarkusTest
class VolumeMigrationApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SOURCE = "node1@fake";
  private static final String DEST = "node2@fake#fake";

  private final ProjectApi api = new ProjectApi();
  private final VolumeHostSide host = new VolumeHostSide(api.project);
  private final Topics topics = new Topics(TestKafka.prefix());

  /** Both hosts heard from just now: their volume services are up. */
  @BeforeEach
  void hostsUp() {
    for (String pool : List.of(SOURCE + "#fake", DEST)) {
      HostReports.up(pool);
    }
    Await.until(
        () ->
            api
                    .admin()
                    .get("/v3/" + api.project + "/os-services?binary=cinder-volume")
                    .<List<Map<String, Object>>>path("services")
                    .stream()
                    .filter(s -> "up".equals(s.get("state")))
                    .count()
                >= 2,
        "both volume hosts up");
  }

  private String placedVolume() throws InterruptedException {
    String id = api.create(api.admin(), 2);
    api.placeOn(SOURCE, id);
    return id;
  }

  private Response migrate(RequestSpecification who, String id, String args) {
    return who.body("{\"os-migrate_volume\": " + args + "}")
        .post(api.volumes() + "/" + id + "/action");
  }

  private Response refused(RequestSpecification who, String id, String args, String message) {
    Response r = migrate(who, id, args);
    r.then().statusCode(400).body("badRequest.message", equalTo(message));
    return r;
  }

  private Map<String, Object> shown(String id) {
    return api.show(id).then().statusCode(200).extract().path("volume");
  }

  /** The {@code migrate_volume_to_host} the scheduler got about {@code id}. */
  private Envelope migrationRequest(String id) {
    List<ConsumerRecord<String, String>> sent =
        TestKafka.await(
            topics.schedulerRequests(),
            r ->
                id.equals(r.key())
                    && MessageType.MIGRATE_VOLUME_TO_HOST
                        .wire()
                        .equals(Envelope.fromJson(r.value()).type()),
            1,
            WAIT);
    assertEquals(1, sent.size(), "migrate_volume_to_host sent for " + id);
    return Envelope.fromJson(sent.get(0).value());
  }

  private void publish(String id, MessageType type, Object payload) {
    host.publish(id, host.event(type, id, payload));
  }

  private void awaitMigration(String id, String status) {
    Await.until(
        () -> status.equals(shown(id).get("os-vol-mig-status-attr:migstat")),
        "volume " + id + " migration " + status);
  }

  @Test
  void aMigrationGoesThroughItsStatusesToTheNewHostWithTheQuotaUnchanged() throws Exception {
    String id = placedVolume();
    int gigabytes = api.inUse("gigabytes");

    migrate(api.admin(), id, "{\"host\": \"" + DEST + "\", \"lock_volume\": true}")
        .then()
        .statusCode(202);
    Map<String, Object> starting = shown(id);
    assertEquals("starting", starting.get("os-vol-mig-status-attr:migstat"));
    assertEquals("starting", starting.get("migration_status"));
    assertEquals("maintenance", starting.get("status"), "lock_volume on an available volume");

    Envelope request = migrationRequest(id);
    MigrateVolumeToHost migration = request.payloadAs(MigrateVolumeToHost.class);
    assertEquals(DEST, migration.destination());
    assertEquals(SOURCE + "#fake", migration.sourcePool());
    assertEquals(2, migration.volume().size());
    assertFalse(migration.forceHostCopy());

    // Refused while it runs: another migration, a delete.
    refused(
        api.admin(),
        id,
        "{\"host\": \"" + DEST + "\"}",
        "Invalid volume: Volume "
            + id
            + " status must be available or in-use, must not be migrating, have snapshots, be"
            + " replicated, be part of a group and destination host/cluster must be different"
            + " than the current one");

    publish(id, MessageType.VOLUME_MIGRATION_STATUS, new VolumeMigrationStatus(id, "migrating"));
    awaitMigration(id, "migrating");
    api.admin().delete(api.volumes() + "/" + id).then().statusCode(400);
    publish(id, MessageType.VOLUME_MIGRATION_STATUS, new VolumeMigrationStatus(id, "completing"));
    awaitMigration(id, "completing");
    publish(id, MessageType.VOLUME_MIGRATED, new VolumeMigrated(id, DEST, "fake://moved/" + id));
    awaitMigration(id, "success");

    Map<String, Object> moved = shown(id);
    assertEquals(DEST, moved.get("os-vol-host-attr:host"));
    assertEquals("available", moved.get("status"), "out of maintenance");
    assertEquals(id, moved.get("id"));
    assertEquals(gigabytes, api.inUse("gigabytes"), "a migration takes no quota");
    // A member sees neither attribute's value.
    Map<String, Object> asMember =
        api.as("member").get(api.volumes() + "/" + id).then().extract().path("volume");
    assertEquals(null, asMember.get("migration_status"));

    // Deletable again, and its delete goes to the new host.
    api.admin().delete(api.volumes() + "/" + id).then().statusCode(202);
    assertEquals(
        MessageType.DELETE_VOLUME.wire(),
        host.command("node2@fake", id, MessageType.DELETE_VOLUME).type());
  }

  /**
   * Found by the chaos run: a cascade delete (what Horizon and the chaos clients send) was taken
   * while the volume migrated, so the source copy went and the migration had nothing to copy.
   * Cinder refuses it as it refuses a plain delete.
   */
  @Test
  void aMigratingVolumeIsNotDeletedWithCascadeEither() throws Exception {
    String id = placedVolume();
    migrate(api.admin(), id, "{\"host\": \"" + DEST + "\"}").then().statusCode(202);
    assertEquals("available", shown(id).get("status"), "no lock_volume: it stays available");
    migrationRequest(id);
    publish(id, MessageType.VOLUME_MIGRATION_STATUS, new VolumeMigrationStatus(id, "migrating"));
    awaitMigration(id, "migrating");

    for (String delete : List.of("", "?cascade=true")) {
      api.admin()
          .delete(api.volumes() + "/" + id + delete)
          .then()
          .statusCode(400)
          .body(
              "badRequest.message",
              equalTo(
                  "Invalid volume: Volume status must be available or error or error_restoring"
                      + " or error_extending or error_managing and must not be migrating,"
                      + " attached, belong to a group, have snapshots, awaiting a transfer, or be"
                      + " disassociated from snapshots after volume transfer."));
    }
    Map<String, Object> still = shown(id);
    assertEquals("available", still.get("status"));
    assertEquals("migrating", still.get("os-vol-mig-status-attr:migstat"));
  }

  @Test
  void aFailedMigrationLeavesTheVolumeWhereItWasAndUsable() throws Exception {
    String id = placedVolume();
    migrate(api.admin(), id, "{\"host\": \"node2@fake\", \"force_host_copy\": \"True\"}")
        .then()
        .statusCode(202);
    Envelope request = migrationRequest(id);
    assertTrue(request.payloadAs(MigrateVolumeToHost.class).forceHostCopy());
    assertEquals("available", shown(id).get("status"), "not locked");

    publish(id, MessageType.VOLUME_MIGRATE_FAILED, new VolumeMigrateFailed(id, "injected"));
    awaitMigration(id, "error");
    Map<String, Object> after = shown(id);
    assertEquals(SOURCE + "#fake", after.get("os-vol-host-attr:host"));
    assertEquals("available", after.get("status"));
    // A late status event does not move it back into a migration.
    publish(id, MessageType.VOLUME_MIGRATION_STATUS, new VolumeMigrationStatus(id, "migrating"));
    publish(id, MessageType.VOLUME_MIGRATE_FAILED, new VolumeMigrateFailed(id, "again"));
    Thread.sleep(500);
    assertEquals("error", shown(id).get("os-vol-mig-status-attr:migstat"));

    // An error ends the migration: it may be migrated again.
    migrate(api.admin(), id, "{\"host\": \"" + DEST + "\"}").then().statusCode(202);
    awaitMigration(id, "starting");
  }

  @Test
  void cindersRefusals() throws Exception {
    String id = placedVolume();
    migrate(api.as("member"), id, "{\"host\": \"" + DEST + "\"}")
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo(
                "Policy doesn't allow volume_extension:volume_admin_actions:migrate_volume to be"
                    + " performed."));
    refused(
        api.admin(),
        id,
        "{\"host\": \"nowhere@fake#fake\"}",
        "Invalid host: No available service named 'nowhere@fake#fake'");
    refused(
        api.admin(),
        id,
        "{\"host\": \"" + SOURCE + "#fake\"}",
        "Invalid volume: Volume "
            + id
            + " status must be available or in-use, must not be migrating, have snapshots, be"
            + " replicated, be part of a group and destination host/cluster must be different"
            + " than the current one");
    Response noHost = migrate(api.admin(), id, "{\"force_host_copy\": true}");
    noHost.then().statusCode(400);
    String message = noHost.path("badRequest.message");
    assertTrue(
        message.startsWith("Invalid input for field/attribute os-migrate_volume.")
            && message.endsWith("'host' is a required property"),
        message);
    Response bad = migrate(api.admin(), id, "{\"host\": \"" + DEST + "\", \"lock_volume\": \"x\"}");
    bad.then().statusCode(400);
    assertTrue(
        bad.<String>path("badRequest.message")
            .startsWith("Invalid input for field/attribute lock_volume. Value: x."),
        bad.asString());
    refused(
        api.admin().header("OpenStack-API-Version", "volume 3.16"),
        id,
        "{\"host\": \"" + DEST + "\", \"cluster\": \"c1\"}",
        "One and only one of cluster and host must be set.");
    refused(
        api.admin().header("OpenStack-API-Version", "volume 3.16"),
        id,
        "{\"cluster\": \"c1\"}",
        "Invalid host: No available service named 'c1'");
    // Nothing changed by any of them.
    Map<String, Object> after = shown(id);
    assertEquals(null, after.get("os-vol-mig-status-attr:migstat"));
    assertEquals("available", after.get("status"));
    api.as("member")
        .body("{\"os-migrate_volume\": {\"host\": \"" + DEST + "\"}}")
        .post("/v3/" + api.project + "/volumes/00000000-0000-0000-0000-000000000000/action")
        .then()
        .statusCode(404);
  }
}
