package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.VolumeDeleted;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /volumes/{id}} of a volume placed on a host: who may delete it, when it is refused,
 * what is sent, and what the host's answer does to the volume and the quota.
 */
@QuarkusTest
class VolumeDeleteTest {

  private static final String HOST = "node1@fake";
  private final ProjectApi api = new ProjectApi();
  private final Topics topics = new Topics(TestKafka.prefix());

  /** A 3 GB volume of the project, placed on {@link #HOST} as if the host had created it. */
  private String placedVolume() throws InterruptedException {
    return placedVolume(3);
  }

  private String placedVolume(int sizeGb) throws InterruptedException {
    String id = api.create(api.as("alice"), sizeGb);
    api.placeOn(HOST, id);
    return id;
  }

  @Test
  void theDeleteCommandCarriesTheNameAndMetadataForTheHostsNotifications()
      throws InterruptedException {
    String id =
        api.as("alice")
            .body("{\"volume\": {\"size\": 1, \"name\": \"data\", \"metadata\": {\"k\": \"v\"}}}")
            .post(api.volumes())
            .then()
            .statusCode(202)
            .extract()
            .path("volume.id");
    api.placeOn(HOST, id);

    api.as("alice").delete(api.volumes() + "/" + id).then().statusCode(202);

    DeleteVolume delete = api.commandSentTo(HOST, id).payloadAs(DeleteVolume.class);
    assertEquals("data", delete.name());
    assertEquals(Map.of("k", "v"), delete.metadata());
  }

  @Test
  void theOwnersDeleteCastsToTheHostAndTheHostsAnswerRemovesTheVolumeAndItsQuota()
      throws InterruptedException {
    String id = placedVolume();
    assertEquals(3, api.inUse("gigabytes"));

    api.as("bob").delete(api.volumes() + "/" + id).then().statusCode(202);

    assertEquals("deleting", api.statusOf(id));
    Envelope command = api.commandSentTo(HOST, id);
    assertEquals(MessageType.DELETE_VOLUME.wire(), command.type());
    DeleteVolume delete = command.payloadAs(DeleteVolume.class);
    assertEquals(id, delete.volumeId());
    assertEquals(api.project, delete.projectId());
    assertEquals(HOST + "#fake", delete.pool());
    assertEquals(3, delete.size());
    assertEquals(3, api.inUse("gigabytes"), "quota is held until the volume is gone");

    // A second delete while deleting is refused, as in Cinder.
    api.as("bob").delete(api.volumes() + "/" + id).then().statusCode(400);

    Envelope deleted =
        Envelope.of(
            MessageType.VOLUME_DELETED,
            id,
            command.context(),
            new VolumeDeleted(id, HOST + "#fake"));
    TestKafka.produce(topics.volumeEvents(), id, deleted.toJson());
    api.awaitStatus(id, "404");
    assertEquals(0, api.inUse("volumes"));
    assertEquals(0, api.inUse("gigabytes"));
  }

  @Test
  void aVolumeCreatedAfterItWasForceDeletedIsDeletedOnItsHostWithoutGivingQuotaBackTwice()
      throws InterruptedException {
    String kept = placedVolume(3);
    String id = api.create(api.as("alice"), 2);
    assertEquals(5, api.inUse("gigabytes"));

    // Still creating, on no host yet: the force delete removes it here and gives its quota back.
    api.admin()
        .body("{\"os-force_delete\": {}}")
        .post(api.volumes() + "/" + id + "/action")
        .then()
        .statusCode(202);
    api.awaitStatus(id, "404");
    assertEquals(3, api.inUse("gigabytes"));

    // The create was already on its way: the host created it and says so.
    api.announceCreated(HOST, id);
    Envelope command = api.commandSentTo(HOST, id);
    assertEquals(MessageType.DELETE_VOLUME.wire(), command.type());
    DeleteVolume delete = command.payloadAs(DeleteVolume.class);
    assertEquals(id, delete.volumeId());
    assertEquals(HOST + "#fake", delete.pool());
    assertEquals(api.project, delete.projectId());

    // The host's answer finds no row: no second release, and the other volume is untouched.
    TestKafka.produce(
        topics.volumeEvents(),
        id,
        Envelope.of(
                MessageType.VOLUME_DELETED,
                id,
                command.context(),
                new VolumeDeleted(id, HOST + "#fake"))
            .toJson());
    // A replayed volume.created behind it on the same partition is a marker: once its own delete
    // command is out, the volume.deleted before it was handled too.
    api.announceCreated(HOST, id);
    assertEquals(
        2,
        TestKafka.await(topics.volumeHost(HOST), r -> id.equals(r.key()), 2, Duration.ofSeconds(20))
            .size());
    assertEquals("404", api.statusOf(id));
    assertEquals("available", api.statusOf(kept));
    assertEquals(1, api.inUse("volumes"));
    assertEquals(3, api.inUse("gigabytes"));
  }

  @Test
  void volumesDeletedTogetherGiveBackExactlyTheirTotal() throws InterruptedException {
    List<String> ids = List.of(placedVolume(1), placedVolume(2), placedVolume(3));
    assertEquals(3, api.inUse("volumes"));
    assertEquals(6, api.inUse("gigabytes"));
    for (String id : ids) {
      api.as("alice").delete(api.volumes() + "/" + id).then().statusCode(202);
    }

    // The hosts' answers in one batch, so that the API takes them in one poll and transaction.
    List<String> answers =
        ids.stream()
            .map(
                id ->
                    Envelope.of(
                            MessageType.VOLUME_DELETED,
                            id,
                            new RequestContext("req-test", "alice", api.project, List.of()),
                            new VolumeDeleted(id, HOST + "#fake"))
                        .toJson())
            .toList();
    TestKafka.produceAll(topics.volumeEvents(), api.project, answers);
    for (String id : ids) {
      api.awaitStatus(id, "404");
    }
    assertEquals(0, api.inUse("volumes"));
    assertEquals(0, api.inUse("gigabytes"));
  }

  @Test
  void anotherProjectsUserGets404AndTheVolumeStays() throws InterruptedException {
    String id = placedVolume();
    ProjectApi stranger = new ProjectApi();

    stranger
        .as("mallory")
        .delete(stranger.volumes() + "/" + id)
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Volume " + id + " could not be found."));

    assertEquals("available", api.statusOf(id));
  }

  @Test
  void anAdminOfAnotherProjectMayDeleteIt() throws InterruptedException {
    String id = placedVolume();
    ProjectApi other = new ProjectApi();

    other.admin().delete(other.volumes() + "/" + id).then().statusCode(202);

    assertEquals("deleting", api.statusOf(id));
  }

  @Test
  void anAttachedVolumeIsRefusedWhateverItsStatus() throws InterruptedException {
    String id = placedVolume();
    api.admin()
        .body("{\"os-reset_status\": {\"attach_status\": \"attached\"}}")
        .post(api.volumes() + "/" + id + "/action")
        .then()
        .statusCode(202);

    api.as("alice")
        .delete(api.volumes() + "/" + id)
        .then()
        .statusCode(400)
        .body("badRequest.message", startsWith("Invalid volume: Volume status must be available"));

    assertEquals("available", api.statusOf(id));
  }

  @Test
  void aMalformedIdIs404() {
    api.as("alice")
        .delete(api.volumes() + "/not-a-uuid")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Volume not-a-uuid could not be found."));
  }
}
