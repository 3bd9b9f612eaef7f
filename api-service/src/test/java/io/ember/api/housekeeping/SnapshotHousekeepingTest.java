package io.ember.api.housekeeping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.testsupport.ProjectApi;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Snapshots under the periodic jobs: one whose host never answers times out of {@code creating} and
 * {@code deleting}, and the quota audit counts snapshots, so it keeps their usage and puts drifted
 * usage back to what exists.
 */
@QuarkusTest
@TestProfile(FastHousekeeping.class)
class SnapshotHousekeepingTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private final ProjectApi api = new ProjectApi();

  @Inject EntityManager em;

  private String snapshots() {
    return "/v3/" + api.project + "/snapshots";
  }

  private String snapshotStatus(String id) {
    return api.admin().get(snapshots() + "/" + id).then().extract().path("snapshot.status");
  }

  @Test
  void unansweredSnapshotsTimeOutAndTheAuditKeepsAndCorrectsTheirUsage()
      throws InterruptedException {
    // No host answers here: the volume times out into error, then a late created event gives it
    // its host, and an admin sets it available, so that it can be snapshotted.
    String volume = api.create(api.admin(), 2);
    api.awaitStatus(volume, "error");
    api.announceCreated("node1@fake", volume);
    await(() -> api.show(volume).path("volume.'os-vol-host-attr:host'"), "node1@fake#fake");
    api.admin()
        .body("{\"os-reset_status\": {\"status\": \"available\"}}")
        .post(api.volumes() + "/" + volume + "/action")
        .then()
        .statusCode(202);
    String snapshot =
        api.admin()
            .body("{\"snapshot\": {\"volume_id\": \"" + volume + "\"}}")
            .post(snapshots())
            .then()
            .statusCode(202)
            .extract()
            .path("snapshot.id");

    await(() -> snapshotStatus(snapshot), "error");

    // Usage drifted behind the API's back: the audit puts back what exists, snapshots included.
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "update quota_usages set in_use = in_use + 5, reserved = 1"
                            + " where project_id = :p")
                    .setParameter("p", api.project)
                    .executeUpdate());
    Map<String, Integer> expected =
        Map.of(
            "snapshots", 1,
            "snapshots___DEFAULT__", 1,
            "gigabytes", 4,
            "gigabytes___DEFAULT__", 4,
            "volumes", 1);
    await(
        () ->
            Map.of(
                "snapshots", api.inUse("snapshots"),
                "snapshots___DEFAULT__", api.inUse("snapshots___DEFAULT__"),
                "gigabytes", api.inUse("gigabytes"),
                "gigabytes___DEFAULT__", api.inUse("gigabytes___DEFAULT__"),
                "volumes", api.inUse("volumes")),
        expected);
    // And it stays so: several audit runs later nothing was "corrected" away.
    Thread.sleep(3000);
    assertEquals(1, api.inUse("snapshots"));
    assertEquals(4, api.inUse("gigabytes"));

    api.admin().delete(snapshots() + "/" + snapshot).then().statusCode(202);
    await(() -> snapshotStatus(snapshot), "error_deleting");
    assertEquals(1, api.inUse("snapshots"), "a snapshot in error_deleting keeps its quota");
  }

  private static void await(Supplier<Object> seen, Object expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      last = seen.get();
      if (expected.equals(last)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("stayed " + last + ", expected " + expected);
  }
}
