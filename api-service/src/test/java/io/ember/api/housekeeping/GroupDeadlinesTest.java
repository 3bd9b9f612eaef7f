package io.ember.api.housekeeping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.testsupport.ProjectApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * No group stays {@code creating} or {@code deleting}: with no scheduler answering (none runs in
 * this service's tests) a new group goes to {@code error} at the create deadline, keeping its
 * quota, and one left {@code deleting} goes to {@code error} at the delete deadline.
 */
@QuarkusTest
@TestProfile(FastHousekeeping.class)
class GroupDeadlinesTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ProjectApi api = new ProjectApi();

  private RequestSpecification admin() {
    return api.admin().header("OpenStack-API-Version", "volume 3.20");
  }

  private String created(String path, String body, String id) {
    return admin()
        .body(body)
        .post("/v3/" + api.project + path)
        .then()
        .statusCode(path.equals("/types") ? 200 : 202)
        .extract()
        .path(id);
  }

  private String status(String id) {
    return admin().get("/v3/" + api.project + "/groups/" + id).path("group.status");
  }

  private void await(String id, String wanted) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String seen;
    while (!wanted.equals(seen = status(id))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("group " + id + " stayed " + seen + ", expected " + wanted);
      }
      Thread.sleep(100);
    }
  }

  @Test
  void unansweredGroupCreatesAndDeletesEndInError() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String vt =
        created("/types", "{\"volume_type\": {\"name\": \"vt-" + suffix + "\"}}", "volume_type.id");
    String gt =
        created(
            "/group_types", "{\"group_type\": {\"name\": \"gt-" + suffix + "\"}}", "group_type.id");
    String id =
        created(
            "/groups",
            "{\"group\": {\"group_type\": \"" + gt + "\", \"volume_types\": [\"" + vt + "\"]}}",
            "group.id");
    assertEquals("creating", status(id));

    await(id, "error");
    assertEquals(1, api.inUse("groups"), "the quota stays with the group in error");

    admin()
        .body("{\"reset_status\": {\"status\": \"deleting\"}}")
        .post("/v3/" + api.project + "/groups/" + id + "/action")
        .then()
        .statusCode(202);
    assertEquals("deleting", status(id));
    await(id, "error");
  }

  /**
   * A group snapshot left {@code deleting} (its snapshots' deletes never answered) goes to {@code
   * error_deleting} at the delete deadline, as a snapshot does; from there it can be reset and
   * deleted again.
   */
  @Test
  void aGroupSnapshotLeftDeletingEndsInErrorDeleting() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String vt =
        created("/types", "{\"volume_type\": {\"name\": \"vt-" + suffix + "\"}}", "volume_type.id");
    String gt =
        created(
            "/group_types", "{\"group_type\": {\"name\": \"gt-" + suffix + "\"}}", "group_type.id");
    String group =
        created(
            "/groups",
            "{\"group\": {\"group_type\": \"" + gt + "\", \"volume_types\": [\"" + vt + "\"]}}",
            "group.id");
    admin()
        .body("{\"reset_status\": {\"status\": \"available\"}}")
        .post("/v3/" + api.project + "/groups/" + group + "/action")
        .then()
        .statusCode(202);
    String snapshot =
        created(
            "/group_snapshots",
            "{\"group_snapshot\": {\"group_id\": \"" + group + "\"}}",
            "group_snapshot.id");
    admin()
        .body("{\"reset_status\": {\"status\": \"deleting\"}}")
        .post("/v3/" + api.project + "/group_snapshots/" + snapshot + "/action")
        .then()
        .statusCode(202);
    assertEquals("deleting", snapshotStatus(snapshot));

    long deadline = System.nanoTime() + WAIT.toNanos();
    String seen;
    while (!"error_deleting".equals(seen = snapshotStatus(snapshot))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("group snapshot " + snapshot + " stayed " + seen);
      }
      Thread.sleep(100);
    }
  }

  private String snapshotStatus(String id) {
    return admin()
        .get("/v3/" + api.project + "/group_snapshots/" + id)
        .path("group_snapshot.status");
  }
}
