package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.Topics;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.Json;
import io.ember.model.contract.MessageType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The admin ways out of a stuck status, {@code os-reset_status} and {@code os-force_delete} on
 * {@code POST /volumes/{id}/action}: what they change, what they send, and Cinder's answers to
 * non-admins and bad bodies.
 */
@QuarkusTest
class VolumeAdminActionsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HOST = "node1@fake";
  private final ProjectApi api = new ProjectApi();
  private final String project = api.project;
  private final Topics topics = new Topics(TestKafka.prefix());

  private String create() {
    return api.create(api.admin(), 3);
  }

  private Response action(RequestSpecification who, String id, String body) {
    return who.body(body).post(api.volumes() + "/" + id + "/action");
  }

  private void placed(String id) throws InterruptedException {
    api.placeOn(HOST, id);
  }

  @Test
  void resetStatusThenForceDeleteTakesAVolumeOutOfErrorDeleting() throws InterruptedException {
    String id = create();
    placed(id);

    action(api.admin(), id, "{\"os-reset_status\": {\"status\": \"ERROR_DELETING\"}}")
        .then()
        .statusCode(202);
    assertEquals("error_deleting", api.statusOf(id));
    List<ConsumerRecord<String, String>> announced =
        TestKafka.await(topics.notifications(), r -> id.equals(r.key()), 2, WAIT);
    assertEquals(2, announced.size(), "volumes.reset_status.start and .end");
    CloudEvent end = CloudEvent.fromJson(announced.get(1).value());
    assertEquals("volumes.reset_status.end", end.type());
    assertEquals("volumeStatusUpdate", end.source());
    JsonNode data = Json.MAPPER.valueToTree(end.data());
    assertEquals(id, data.path("id").asText());
    assertEquals("error_deleting", data.path("update").path("status").asText());

    // A plain delete is refused in error_deleting, as in Cinder; the forced one goes through.
    api.admin().delete(api.volumes() + "/" + id).then().statusCode(400);
    action(api.admin(), id, "{\"os-force_delete\": {}}").then().statusCode(202);
    assertEquals("deleting", api.statusOf(id));
    Envelope command = api.commandSentTo(HOST, id);
    assertEquals(MessageType.DELETE_VOLUME.wire(), command.type());
    assertEquals(id, command.payloadAs(DeleteVolume.class).volumeId());
  }

  @Test
  void forceDeleteOfAVolumeNeverPlacedRemovesItAndGivesItsQuotaBack() {
    String id = create();
    assertEquals(1, api.inUse("volumes"));
    assertEquals(3, api.inUse("gigabytes"));

    action(api.admin(), id, "{\"os-force_delete\": null}").then().statusCode(202);

    assertEquals("404", api.statusOf(id));
    assertEquals(0, api.inUse("volumes"));
    assertEquals(0, api.inUse("gigabytes"));
  }

  @Test
  void attachStatusCanBeResetAndAnAttachedVolumeIsNotForceDeleted() {
    String id = create();
    action(
            api.admin(),
            id,
            "{\"os-reset_status\": {\"status\": \"in-use\", \"attach_status\": \"attached\"}}")
        .then()
        .statusCode(202);
    api.show(id).then().body("volume.status", equalTo("in-use"));

    action(api.admin(), id, "{\"os-force_delete\": {}}")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            org.hamcrest.Matchers.startsWith("Invalid volume: Volume status must be available"));
    assertEquals("in-use", api.statusOf(id));
  }

  @Test
  void nonAdminsAreRefusedByPolicy() {
    String id = create();
    for (Map.Entry<String, String> refused :
        Map.of(
                "reset_status", "{\"os-reset_status\": {\"status\": \"available\"}}",
                "force_delete", "{\"os-force_delete\": {}}")
            .entrySet()) {
      action(api.as("alice"), id, refused.getValue())
          .then()
          .statusCode(403)
          .body(
              "forbidden.message",
              equalTo(
                  "Policy doesn't allow volume_extension:volume_admin_actions:"
                      + refused.getKey()
                      + " to be performed."));
    }
    assertEquals("creating", api.statusOf(id));
  }

  @Test
  void badBodiesGetCindersAnswers() {
    String id = create();
    Map<String, String> answers =
        Map.of(
            "{\"os-reset_status\": {\"status\": \"lost\"}}",
            "Must specify a valid status",
            "{\"os-reset_status\": {\"attach_status\": \"glued\"}}",
            "Must specify a valid attach status",
            "{\"os-reset_status\": {\"migration_status\": \"flying\"}}",
            "Must specify a valid migration status",
            "{\"os-reset_status\": {}}",
            "Must specify 'status', 'attach_status' or 'migration_status' for update.",
            "{\"os-frobnicate\": {}}",
            "There is no such action: os-frobnicate. Verify the request body and Content-Type"
                + " header and try again.",
            "{\"os-force_delete\": {}, \"os-reset_status\": {\"status\": \"error\"}}",
            "Malformed request body",
            "not json",
            "Malformed request body");
    answers.forEach(
        (body, message) ->
            action(api.admin(), id, body)
                .then()
                .statusCode(400)
                .body("badRequest.code", equalTo(400))
                .body("badRequest.message", equalTo(message)));
    assertEquals("creating", api.statusOf(id));

    action(api.admin(), UUID.randomUUID().toString(), "{\"os-force_delete\": {}}")
        .then()
        .statusCode(404)
        .body("itemNotFound.code", equalTo(404));
  }
}
