package io.ember.api.testsupport;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.VolumeCreated;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A fresh project seen through the API, as its admin or one of its users: the tests' client. */
public final class ProjectApi {

  private static final Duration WAIT = Duration.ofSeconds(20);

  public final String project;

  public ProjectApi() {
    this.project = UUID.randomUUID().toString().replace("-", "");
  }

  /** A request with the noauth token {@code user:project}. */
  public RequestSpecification as(String user) {
    return given().header("X-Auth-Token", user + ":" + project).contentType("application/json");
  }

  public RequestSpecification admin() {
    return as("admin");
  }

  public String volumes() {
    return "/v3/" + project + "/volumes";
  }

  /** Creates a volume of {@code sizeGb} as {@code who}; its id. */
  public String create(RequestSpecification who, int sizeGb) {
    return who.body("{\"volume\": {\"size\": " + sizeGb + "}}")
        .post(volumes())
        .then()
        .statusCode(202)
        .extract()
        .path("volume.id");
  }

  public Response show(String id) {
    return admin().get(volumes() + "/" + id);
  }

  /** The volume's status, or {@code "404"} once it is gone. */
  public String statusOf(String id) {
    Response r = show(id);
    return r.statusCode() == 404 ? "404" : r.path("volume.status");
  }

  public void awaitStatus(String id, String status) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String seen;
    while (!status.equals(seen = statusOf(id))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("volume " + id + " stayed " + seen + ", expected " + status);
      }
      Thread.sleep(50);
    }
  }

  /** Waits until the volume has a user message with {@code eventId} (Cinder's messages API). */
  public void awaitMessage(String volumeId, String eventId) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      List<String> events =
          admin()
              .header("OpenStack-API-Version", "volume 3.3")
              .get("/v3/" + project + "/messages?resource_uuid=" + volumeId)
              .path("messages.event_id");
      if (events.contains(eventId)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no user message " + eventId + " for " + volumeId + ": " + events);
      }
      Thread.sleep(50);
    }
  }

  /**
   * The volume placed on {@code host}'s pool {@code fake}, as if that volume host had created it:
   * its {@code volume.created} event on the events topic, then wait until the API shows it
   * available.
   */
  public void placeOn(String host, String id) throws InterruptedException {
    announceCreated(host, id);
    awaitStatus(id, "available");
  }

  /** The {@code volume.created} event of volume host {@code host} for volume {@code id}. */
  public void announceCreated(String host, String id) {
    Envelope created =
        Envelope.of(
            MessageType.VOLUME_CREATED,
            id,
            new RequestContext("req-test", "admin", project, List.of()),
            new VolumeCreated(id, host + "#fake", "fake://" + id, Instant.now()));
    TestKafka.produce(new Topics(TestKafka.prefix()).volumeEvents(), id, created.toJson());
  }

  /** The one command the API sent to volume host {@code host} about volume {@code id}. */
  public Envelope commandSentTo(String host, String id) {
    List<ConsumerRecord<String, String>> commands =
        TestKafka.await(
            new Topics(TestKafka.prefix()).volumeHost(host), r -> id.equals(r.key()), 1, WAIT);
    assertEquals(1, commands.size(), "a command sent to " + host + " about " + id);
    return Envelope.fromJson(commands.get(0).value());
  }

  /** What {@code GET os-quota-sets?usage=True} shows in use of {@code resource}. */
  public int inUse(String resource) {
    return admin()
        .get("/v3/" + project + "/os-quota-sets/" + project + "?usage=True")
        .then()
        .statusCode(200)
        .extract()
        .path("quota_set." + resource + ".in_use");
  }
}
