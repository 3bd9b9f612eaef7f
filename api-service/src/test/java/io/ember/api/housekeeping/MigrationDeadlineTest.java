package io.ember.api.housekeeping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.testsupport.HostReports;
import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.VolumeHostSide;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.VolumeMigrated;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A migration nobody answers (the scheduler or a host gone) does not stay in flight: at {@code
 * ember.deadlines.migrating} its migration_status is {@code error} and a locked volume leaves
 * {@code maintenance}; a {@code volume.migrated} that still comes records where the data went.
 */
@QuarkusTest
@TestProfile(FastHousekeeping.class)
class MigrationDeadlineTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String DEST = "node2@fake#fake";

  private final ProjectApi api = new ProjectApi();
  private final VolumeHostSide host = new VolumeHostSide(api.project);

  @Test
  void anUnansweredMigrationEndsInErrorAndALateResultStillCounts() throws Exception {
    HostReports.up(DEST);
    String id = api.create(api.admin(), 1);
    // Placed: with this profile's 2 s create deadline a slow machine may have timed the create out
    // first; the late result still records the host, and the admin sets it available.
    api.announceCreated("node1@fake", id);
    await(id, "volume.'os-vol-host-attr:host'", "node1@fake#fake");
    api.admin()
        .body("{\"os-reset_status\": {\"status\": \"available\"}}")
        .post(api.volumes() + "/" + id + "/action")
        .then()
        .statusCode(202);

    int status = 0;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (status != 202 && System.nanoTime() < deadline) {
      // Until the API has heard of node2's service.
      status =
          api.admin()
              .body("{\"os-migrate_volume\": {\"host\": \"" + DEST + "\", \"lock_volume\": true}}")
              .post(api.volumes() + "/" + id + "/action")
              .statusCode();
      Thread.sleep(100);
    }
    assertEquals(202, status);
    assertEquals("maintenance", api.statusOf(id));

    await(id, "volume.'os-vol-mig-status-attr:migstat'", "error");
    assertEquals("available", api.statusOf(id), "out of maintenance at the deadline");

    host.publish(
        id, host.event(MessageType.VOLUME_MIGRATED, id, new VolumeMigrated(id, DEST, "fake://x")));
    await(id, "volume.'os-vol-host-attr:host'", DEST);
    await(id, "volume.'os-vol-mig-status-attr:migstat'", "success");
  }

  private void await(String id, String path, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Object seen = null;
    while (System.nanoTime() < deadline) {
      seen = api.show(id).path(path);
      if (expected.equals(seen)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(path + " of " + id + " stayed " + seen + ", expected " + expected);
  }
}
