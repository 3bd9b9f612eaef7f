package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.VolumeHostSide;
import io.ember.model.contract.DeleteSnapshot;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.RevertVolume;
import io.ember.model.contract.SnapshotCreated;
import io.ember.model.contract.SnapshotDeleted;
import io.ember.model.contract.VolumeDeleted;
import io.ember.model.contract.VolumeRevertFailed;
import io.ember.model.contract.VolumeReverted;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What snapshots do to their volume: a volume with snapshots is not deleted unless cascade asks for
 * them to go first, and revert (3.40) puts a volume back to its latest snapshot.
 */
@QuarkusTest
class VolumeSnapshotActionsTest {

  private static final String HOST = "node1@fake";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String DELETE_REFUSED =
      "Invalid volume: Volume status must be available or error or error_restoring or"
          + " error_extending or error_managing and must not be migrating, attached, belong to a"
          + " group, have snapshots, awaiting a transfer, or be disassociated from snapshots after"
          + " volume transfer.";

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

  private String availableSnapshotOf(String volume) throws InterruptedException {
    String id =
        api.as("alice")
            .body("{\"snapshot\": {\"volume_id\": \"" + volume + "\"}}")
            .post(snapshots())
            .then()
            .statusCode(202)
            .extract()
            .path("snapshot.id");
    host.publish(
        volume,
        host.event(
            MessageType.SNAPSHOT_CREATED, volume, new SnapshotCreated(id, volume, "fake://s")));
    awaitSnapshot(id, "available");
    return id;
  }

  private String snapshotStatus(String id) {
    Response r = api.admin().get(snapshots() + "/" + id);
    return r.statusCode() == 404 ? "404" : r.path("snapshot.status");
  }

  private void awaitSnapshot(String id, String status) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String seen;
    while (!status.equals(seen = snapshotStatus(id))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("snapshot " + id + " stayed " + seen + ", expected " + status);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void aVolumeWithSnapshotsIsNotDeletedNorForceDeleted() throws InterruptedException {
    String volume = placedVolume(1);
    String snapshot = availableSnapshotOf(volume);

    api.as("alice")
        .delete(api.volumes() + "/" + volume)
        .then()
        .statusCode(400)
        .body("badRequest.code", equalTo(400))
        .body("badRequest.message", equalTo(DELETE_REFUSED));
    api.admin()
        .body("{\"os-force_delete\": {}}")
        .post(api.volumes() + "/" + volume + "/action")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo(DELETE_REFUSED));
    api.as("alice")
        .delete(api.volumes() + "/" + volume + "?cascade=maybe")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Value 'maybe' for 'cascade' is not a boolean."));

    assertEquals("available", api.statusOf(volume));
    assertEquals("available", snapshotStatus(snapshot));
  }

  @Test
  void cascadeDeletesTheSnapshotsFirstThenTheVolumeAndGivesAllQuotaBack()
      throws InterruptedException {
    String volume = placedVolume(2);
    String first = availableSnapshotOf(volume);
    String second = availableSnapshotOf(volume);
    assertEquals(2, api.inUse("snapshots"));
    assertEquals(6, api.inUse("gigabytes"));

    api.as("alice").delete(api.volumes() + "/" + volume + "?cascade=true").then().statusCode(202);
    assertEquals("deleting", api.statusOf(volume));
    assertEquals("deleting", snapshotStatus(first));
    assertEquals("deleting", snapshotStatus(second));

    // On the volume's key, after the two creates: both snapshot deletes, then the volume's.
    List<Envelope> commands = host.commands(HOST, volume, 5);
    assertEquals(
        List.of(
            MessageType.CREATE_SNAPSHOT.wire(),
            MessageType.CREATE_SNAPSHOT.wire(),
            MessageType.DELETE_SNAPSHOT.wire(),
            MessageType.DELETE_SNAPSHOT.wire(),
            MessageType.DELETE_VOLUME.wire()),
        commands.stream().map(Envelope::type).toList());
    assertEquals(
        List.of(first, second),
        commands.subList(2, 4).stream()
            .map(c -> c.payloadAs(DeleteSnapshot.class).snapshotId())
            .toList());
    assertEquals(volume, commands.get(4).payloadAs(DeleteVolume.class).volumeId());

    host.publish(
        volume,
        host.event(MessageType.SNAPSHOT_DELETED, volume, new SnapshotDeleted(first, volume)),
        host.event(MessageType.SNAPSHOT_DELETED, volume, new SnapshotDeleted(second, volume)),
        host.event(MessageType.VOLUME_DELETED, volume, new VolumeDeleted(volume, HOST + "#fake")));
    api.awaitStatus(volume, "404");
    assertEquals("404", snapshotStatus(first));
    assertEquals("404", snapshotStatus(second));
    assertEquals(0, api.inUse("snapshots"));
    assertEquals(0, api.inUse("volumes"));
    assertEquals(0, api.inUse("gigabytes"));
  }

  @Test
  void aVolumeDeletedByItsHostTakesItsLeftoverSnapshotsAlong() throws InterruptedException {
    String volume = placedVolume(1);
    String snapshot = availableSnapshotOf(volume);
    api.as("alice").delete(api.volumes() + "/" + volume + "?cascade=true").then().statusCode(202);

    // The snapshot's own answer never came (or failed): the volume's removal still goes through.
    host.publish(
        volume,
        host.event(MessageType.VOLUME_DELETED, volume, new VolumeDeleted(volume, HOST + "#fake")));
    api.awaitStatus(volume, "404");
    assertEquals("404", snapshotStatus(snapshot));
    assertEquals(0, api.inUse("snapshots"));
    assertEquals(0, api.inUse("gigabytes"));
  }

  @Test
  void cascadeIsRefusedWhileASnapshotIsBusy() throws InterruptedException {
    String volume = placedVolume(1);
    String snapshot =
        api.as("alice")
            .body("{\"snapshot\": {\"volume_id\": \"" + volume + "\"}}")
            .post(snapshots())
            .then()
            .statusCode(202)
            .extract()
            .path("snapshot.id");

    api.as("alice")
        .delete(api.volumes() + "/" + volume + "?cascade=true")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo(DELETE_REFUSED));
    assertEquals("available", api.statusOf(volume));
    assertEquals("creating", snapshotStatus(snapshot));
  }

  @Test
  void revertGoesToTheLatestSnapshotAndBothComeBackAvailable() throws InterruptedException {
    String volume = placedVolume(1);
    String older = availableSnapshotOf(volume);
    String latest = availableSnapshotOf(volume);
    String action = api.volumes() + "/" + volume + "/action";

    api.as("alice")
        .header("OpenStack-API-Version", "volume 3.39")
        .body("{\"revert\": {\"snapshot_id\": \"" + latest + "\"}}")
        .post(action)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "There is no such action: revert. Verify the request body and Content-Type"
                    + " header and try again."));
    revert(volume, older)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Specified snapshot "
                    + older
                    + " is None or not the latest one of volume "
                    + volume
                    + "."));
    api.as("alice")
        .header("OpenStack-API-Version", "volume 3.40")
        .body("{\"revert\": {}}")
        .post(action)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Specified snapshot None is None or not the latest one of volume " + volume + "."));

    revert(volume, latest).then().statusCode(202);
    assertEquals("reverting", api.statusOf(volume));
    assertEquals("restoring", snapshotStatus(latest));
    RevertVolume command =
        host.command(HOST, volume, MessageType.REVERT_VOLUME).payloadAs(RevertVolume.class);
    assertEquals(latest, command.snapshotId());
    assertEquals(HOST + "#fake", command.pool());
    assertEquals(1, command.size());

    // A second revert while one runs: the volume is not available.
    revert(volume, latest)
        .then()
        .statusCode(409)
        .body(
            "conflictingRequest.message",
            equalTo(
                "Invalid volume: Can't revert volume "
                    + volume
                    + " to its latest snapshot "
                    + latest
                    + ". Volume's status must be 'available'."));

    Envelope reverted =
        host.event(MessageType.VOLUME_REVERTED, volume, new VolumeReverted(volume, latest));
    host.publish(volume, reverted, reverted);
    api.awaitStatus(volume, "available");
    awaitSnapshot(latest, "available");
    assertEquals("available", snapshotStatus(older));
  }

  @Test
  void aFailedRevertLeavesTheVolumeInErrorAndTheSnapshotAvailable() throws InterruptedException {
    String volume = placedVolume(1);
    String latest = availableSnapshotOf(volume);
    api.admin()
        .body("{\"os-reset_status\": {\"status\": \"error\"}}")
        .post(snapshots() + "/" + latest + "/action")
        .then()
        .statusCode(202);
    revert(volume, latest)
        .then()
        .statusCode(409)
        .body(
            "conflictingRequest.message",
            equalTo(
                "Invalid snapshot: Can't revert volume "
                    + volume
                    + " to its latest snapshot "
                    + latest
                    + ". Snapshot's status must be 'available'."));
    assertEquals("available", api.statusOf(volume), "a refused revert changes nothing");
    api.admin()
        .body("{\"os-reset_status\": {\"status\": \"available\"}}")
        .post(snapshots() + "/" + latest + "/action")
        .then()
        .statusCode(202);

    revert(volume, latest).then().statusCode(202);
    host.publish(
        volume,
        host.event(
            MessageType.VOLUME_REVERT_FAILED,
            volume,
            new VolumeRevertFailed(volume, latest, "backend said no")));
    api.awaitStatus(volume, "error");
    assertEquals("available", snapshotStatus(latest));
  }

  @Test
  void aVolumeWithoutSnapshotsHasNothingToRevertTo() throws InterruptedException {
    String volume = placedVolume(1);
    revert(volume, "0b1c2d3e-0000-4000-8000-000000000000")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Volume " + volume + " doesn't have any snapshots."));
  }

  private Response revert(String volume, String snapshotId) {
    return api.as("alice")
        .header("OpenStack-API-Version", "volume 3.40")
        .body("{\"revert\": {\"snapshot_id\": \"" + snapshotId + "\"}}")
        .post(api.volumes() + "/" + volume + "/action");
  }
}
