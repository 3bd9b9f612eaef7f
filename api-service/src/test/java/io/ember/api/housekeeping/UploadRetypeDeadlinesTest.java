package io.ember.api.housekeeping;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.VolumeMigrationStatus;
import io.ember.model.image.ImageService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code uploading} and {@code retyping} do not last: with no volume host or scheduler answering
 * (none runs in this service's tests), the volume goes back to the status it had at the deadline,
 * the upload's queued image is deleted and a retype leaves the type and quota as they were.
 */
@QuarkusTest
@TestProfile(FastHousekeeping.class)
class UploadRetypeDeadlinesTest {

  private final ProjectApi api = new ProjectApi();

  @Inject ImageService images;

  @Test
  void anUnansweredUploadGoesBackAndItsImageIsDeleted() throws Exception {
    String id = api.create(api.admin(), 1);
    api.placeOn("node1@fake", id);
    String imageId =
        api.admin()
            .body("{\"os-volume_upload_image\": {\"image_name\": \"never-copied\"}}")
            .post(api.volumes() + "/" + id + "/action")
            .then()
            .statusCode(202)
            .extract()
            .path("os-volume_upload_image.image_id");
    assertTrue(images.show(imageId).isPresent());

    api.awaitStatus(id, "available");
    for (int i = 0; i < 100 && images.show(imageId).isPresent(); i++) {
      Thread.sleep(100);
    }
    assertTrue(images.show(imageId).isEmpty(), "the queued image is deleted");
  }

  @Test
  void anUnansweredRetypeGoesBackWithItsTypeAndQuota() throws Exception {
    String type = newType("late-");
    String id = api.create(api.admin(), 1);
    api.placeOn("node1@fake", id);
    api.admin()
        .body("{\"os-retype\": {\"new_type\": \"" + type + "\"}}")
        .post(api.volumes() + "/" + id + "/action")
        .then()
        .statusCode(202);

    api.awaitStatus(id, "available");
    api.show(id).then().body("volume.volume_type", equalTo("__DEFAULT__"));
    assertEquals(1, api.inUse("volumes___DEFAULT__"));
  }

  @Test
  void anUnansweredRetypeByMigrationGoesBackToItsStatusWithTheMigrationInError() throws Exception {
    String type = newType("moved-");
    String id = api.create(api.admin(), 1);
    api.placeOn("node1@fake", id);
    api.admin()
        .body("{\"os-reset_status\": {\"status\": \"in-use\"}}")
        .post(api.volumes() + "/" + id + "/action")
        .then()
        .statusCode(202);
    api.admin()
        .body(
            "{\"os-retype\": {\"new_type\": \""
                + type
                + "\", \"migration_policy\": \"on-demand\"}}")
        .post(api.volumes() + "/" + id + "/action")
        .then()
        .statusCode(202);
    // The scheduler chose another pool and the host started the migration, then nothing more.
    Envelope migrating =
        Envelope.of(
            MessageType.VOLUME_MIGRATION_STATUS,
            id,
            new RequestContext("req-test", "admin", api.project, List.of()),
            new VolumeMigrationStatus(id, "migrating"));
    TestKafka.produce(new Topics(TestKafka.prefix()).volumeEvents(), id, migrating.toJson());

    for (int i = 0; i < 100 && !"migrating".equals(migrationStatus(id)); i++) {
      Thread.sleep(10);
    }
    assertEquals("migrating", migrationStatus(id), "seen before the deadlines");

    api.awaitStatus(id, "in-use");
    api.show(id)
        .then()
        .body("volume.volume_type", equalTo("__DEFAULT__"))
        .body("volume.migration_status", equalTo("error"));
    assertEquals(1, api.inUse("volumes___DEFAULT__"));
  }

  private String migrationStatus(String id) {
    return api.show(id).path("volume.migration_status");
  }

  /** A type of this project's, named {@code prefix} and the project. */
  private String newType(String prefix) {
    return api.admin()
        .body("{\"volume_type\": {\"name\": \"" + prefix + api.project.substring(0, 8) + "\"}}")
        .post("/v3/" + api.project + "/types")
        .then()
        .statusCode(200)
        .extract()
        .path("volume_type.id");
  }
}
