package io.ember.api.rest;

import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.AnsweringHost;
import io.ember.api.testsupport.NovaStandIn;
import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestHostTopic;
import io.ember.model.contract.ConnectVolume;
import io.ember.model.contract.DisconnectVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attachments API (3.27+) over HTTP, with a volume host on the real broker answering the calls
 * (request-reply): Cinder's status rules and answers, and what a slow, silent, refusing or
 * double-answering host leaves behind.
 */
@QuarkusTest
class AttachmentsApiTest {

  private static final String HOST = TestHostTopic.HOST;
  private static final String INSTANCE = "66666666-7777-8888-9999-000000000000";
  private static final String CONNECTOR =
      "{\"initiator\": \"iqn.1993-08.org.debian:01:test\", \"ip\": \"127.0.0.1\","
          + " \"host\": \"compute-1\", \"platform\": \"x86_64\", \"os_type\": \"linux2\","
          + " \"multipath\": false}";

  private final ProjectApi api = new ProjectApi();
  private AnsweringHost host;

  @BeforeEach
  void startHost() {
    host = new AnsweringHost(HOST);
  }

  @AfterEach
  void stopHost() {
    host.close();
  }

  private RequestSpecification at(String version) {
    return api.admin().header("OpenStack-API-Version", "volume " + version);
  }

  /** As Nova calls: with a service token, which noauth mode reads as {@code X-Service-Roles}. */
  private RequestSpecification asNova(String version) {
    return at(version).header("X-Service-Roles", "service");
  }

  private String attachments() {
    return "/v3/" + api.project + "/attachments";
  }

  private String placedVolume() throws InterruptedException {
    String id = api.create(api.admin(), 1);
    api.placeOn(HOST, id);
    return id;
  }

  private Response reserve(String volumeId) {
    return at("3.27")
        .body(
            "{\"attachment\": {\"volume_uuid\": \""
                + volumeId
                + "\", \"instance_uuid\": \""
                + INSTANCE
                + "\"}}")
        .post(attachments());
  }

  private Response connect(String attachmentId) {
    return at("3.27")
        .body("{\"attachment\": {\"connector\": " + CONNECTOR + "}}")
        .put(attachments() + "/" + attachmentId);
  }

  private Response complete(String attachmentId) {
    return at("3.44")
        .body("{\"os-complete\": null}")
        .post(attachments() + "/" + attachmentId + "/action");
  }

  /** cinderclient's attachment-create sends {@code "connector": {}} when none is given. */
  @Test
  void anEmptyConnectorOnlyReserves() throws InterruptedException {
    String volume = placedVolume();
    at("3.44")
        .body(
            "{\"attachment\": {\"volume_uuid\": \""
                + volume
                + "\", \"connector\": {}, \"instance_uuid\": \""
                + INSTANCE
                + "\"}}")
        .post(attachments())
        .then()
        .statusCode(200)
        .body("attachment.status", equalTo("reserved"))
        .body("attachment.connection_info", anEmptyMap());
    assertEquals("reserved", api.statusOf(volume));
    assertTrue(host.calls().isEmpty(), host.calls().toString());
  }

  @Test
  void reserveConnectCompleteAndDeleteAsNovaDoes() throws InterruptedException {
    String volume = placedVolume();

    Response reserved = reserve(volume);
    reserved
        .then()
        .statusCode(200)
        .body("attachment.status", equalTo("reserved"))
        .body("attachment.instance", equalTo(INSTANCE))
        .body("attachment.volume_id", equalTo(volume))
        .body("attachment.attach_mode", equalTo("ro"))
        .body("attachment.attached_at", equalTo(""))
        .body("attachment.connection_info", anEmptyMap());
    String attachment = reserved.path("attachment.id");
    assertEquals("reserved", api.statusOf(volume));
    assertEquals("False", api.show(volume).path("volume.metadata.readonly"));

    connect(attachment)
        .then()
        .statusCode(200)
        .body("attachment.status", equalTo("reserved"))
        .body("attachment.connection_info.driver_volume_type", equalTo("iscsi"))
        .body("attachment.connection_info.attachment_id", equalTo(attachment))
        .body("attachment.connection_info.access_mode", equalTo("rw"));
    assertEquals("attaching", api.statusOf(volume));
    Envelope call = host.calls().get(0);
    assertEquals(MessageType.ATTACHMENT_UPDATE, call.messageType());
    ConnectVolume sent = call.payloadAs(ConnectVolume.class);
    assertEquals(attachment, sent.attachmentId());
    assertEquals(HOST + "#fake", sent.pool());
    assertEquals("compute-1", sent.connector().get("host"));

    complete(attachment).then().statusCode(204);
    at("3.70")
        .get(attachments() + "/" + attachment)
        .then()
        .statusCode(200)
        .body("attachment.status", equalTo("attached"))
        .body("attachment.connection_info.driver_volume_type", equalTo("iscsi"));
    Response shown = at("3.70").get(api.volumes() + "/" + volume);
    shown
        .then()
        .body("volume.status", equalTo("in-use"))
        .body("volume.attachments", hasSize(1))
        .body("volume.attachments[0].attachment_id", equalTo(attachment))
        .body("volume.attachments[0].server_id", equalTo(INSTANCE))
        .body("volume.attachments[0].host_name", equalTo("compute-1"))
        .body("volume.attachments[0].device", equalTo("na"));
    at("3.70")
        .get(attachments())
        .then()
        .statusCode(200)
        .body("attachments", hasSize(1))
        .body("attachments[0].status", equalTo("attached"));
    at("3.70")
        .get(attachments() + "/detail?volume_id=" + volume)
        .then()
        .statusCode(200)
        .body("attachments[0].attach_mode", equalTo("ro"));

    // An attached volume cannot be deleted.
    api.admin().delete(api.volumes() + "/" + volume).then().statusCode(400);

    asNova("3.27")
        .delete(attachments() + "/" + attachment)
        .then()
        .statusCode(200)
        .body("attachments", hasSize(0));
    assertEquals("available", api.statusOf(volume));
    Envelope deleted = host.calls().get(1);
    assertEquals(MessageType.ATTACHMENT_DELETE, deleted.messageType());
    assertEquals(attachment, deleted.payloadAs(DisconnectVolume.class).attachmentId());
    at("3.27").get(attachments() + "/" + attachment).then().statusCode(404);
  }

  @Test
  void createWithAConnectorAt354ConnectsInOneCall() throws InterruptedException {
    String volume = placedVolume();

    Response made =
        at("3.54")
            .body(
                "{\"attachment\": {\"volume_uuid\": \""
                    + volume
                    + "\", \"instance_uuid\": \""
                    + INSTANCE
                    + "\", \"connector\": "
                    + CONNECTOR
                    + ", \"mode\": \"rw\"}}")
            .post(attachments());
    made.then()
        .statusCode(200)
        .body("attachment.status", equalTo("reserved"))
        .body("attachment.attach_mode", equalTo("rw"))
        .body("attachment.connection_info.driver_volume_type", equalTo("iscsi"));
    assertEquals("attaching", api.statusOf(volume));
    assertEquals("rw", host.calls().get(0).payloadAs(ConnectVolume.class).mode());

    at("3.54")
        .body("{\"attachment\": {\"volume_uuid\": \"" + volume + "\", \"mode\": \"rx\"}}")
        .post(attachments())
        .then()
        .statusCode(400);
  }

  @Test
  void aSecondAttachmentOfAVolumeWithoutMultiattachIsRefused() throws InterruptedException {
    String volume = placedVolume();
    reserve(volume).then().statusCode(200);

    reserve(volume)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid volume: Volume "
                    + volume
                    + " status must be available or downloading to"
                    + " reserve, but the current status is reserved."));
  }

  @Test
  void aMultiattachTypeAllowsASecondAttachmentOfAnInUseVolume() throws InterruptedException {
    String type = "multi-" + api.project.substring(0, 8);
    api.admin()
        .body(
            "{\"volume_type\": {\"name\": \""
                + type
                + "\", \"extra_specs\": {\"multiattach\": \"<is> True\"}}}")
        .post("/v3/" + api.project + "/types")
        .then()
        .statusCode(200);
    String volume =
        api.admin()
            .body("{\"volume\": {\"size\": 1, \"volume_type\": \"" + type + "\"}}")
            .post(api.volumes())
            .then()
            .statusCode(202)
            .extract()
            .path("volume.id");
    api.placeOn(HOST, volume);
    at("3.70").get(api.volumes() + "/" + volume).then().body("volume.multiattach", equalTo(true));

    String first = reserve(volume).path("attachment.id");
    connect(first).then().statusCode(200);
    complete(first).then().statusCode(204);
    assertEquals("in-use", api.statusOf(volume));

    String second = reserve(volume).then().statusCode(200).extract().path("attachment.id");
    assertEquals("reserved", api.statusOf(volume));
    at("3.27").delete(attachments() + "/" + second).then().statusCode(200);
    assertEquals("in-use", api.statusOf(volume), "the first attachment still holds it");
  }

  @Test
  void aSlowHostThatAnswersInTimeConnects() throws InterruptedException {
    String volume = placedVolume();
    String attachment = reserve(volume).path("attachment.id");
    host.mode(AnsweringHost.Mode.SLOW);

    long start = System.nanoTime();
    connect(attachment)
        .then()
        .statusCode(200)
        .body("attachment.connection_info.driver_volume_type", equalTo("iscsi"));
    assertTrue((System.nanoTime() - start) / 1_000_000 >= 1_400, "waited for the slow host");
    assertEquals("attaching", api.statusOf(volume));
  }

  /**
   * A caller that gives up (Nova's timeout, a client killed) closes its connection, and Quarkus
   * cancels what the request waited for: the flow must still record the host's answer, or the
   * attachment stays busy and the volume attaching (the chaos run found both).
   */
  @Test
  void aCallerThatHangsUpDoesNotStopTheFlow() throws Exception {
    String volume = placedVolume();
    String attachment = reserve(volume).path("attachment.id");
    host.mode(AnsweringHost.Mode.SLOW);

    HttpClient impatient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest update =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:" + RestAssured.port + attachments() + "/" + attachment))
            .timeout(Duration.ofMillis(300))
            .header("X-Auth-Token", "admin:" + api.project)
            .header("OpenStack-API-Version", "volume 3.27")
            .header("Content-Type", "application/json")
            .PUT(
                HttpRequest.BodyPublishers.ofString(
                    "{\"attachment\": {\"connector\": " + CONNECTOR + "}}"))
            .build();
    assertThrows(
        HttpTimeoutException.class,
        () -> impatient.send(update, HttpResponse.BodyHandlers.ofString()));
    Thread.sleep(2_500); // past the slow host's answer

    complete(attachment).then().statusCode(204);
    assertEquals("in-use", api.statusOf(volume));
    at("3.27")
        .get(attachments() + "/" + attachment)
        .then()
        .body("attachment.connection_info.driver_volume_type", equalTo("iscsi"));
  }

  /**
   * A connected, completed attachment of a new volume to INSTANCE; returns {volume, attachment}.
   */
  private String[] inUse() throws InterruptedException {
    String volume = placedVolume();
    String attachment = reserve(volume).path("attachment.id");
    connect(attachment).then().statusCode(200);
    complete(attachment).then().statusCode(204);
    assertEquals("in-use", api.statusOf(volume));
    return new String[] {volume, attachment};
  }

  /** Cinder's check for bug 2004555: a user may not end what an instance still uses. */
  @Test
  void aUsersDeleteOfAnAttachmentNovaStillUsesIsRefusedButNovasIsNot() throws Exception {
    String[] used = inUse();
    try (NovaStandIn nova = NovaStandIn.start()) {
      nova.uses(INSTANCE, used[0], used[1]);
      at("3.27")
          .delete(attachments() + "/" + used[1])
          .then()
          .statusCode(409)
          .body(
              "conflictingRequest.message",
              equalTo("Detach volume from instance " + INSTANCE + " using the Compute API"));
      assertEquals(
          List.of(
              "/v2.1/servers/"
                  + INSTANCE
                  + "/os-volume_attachments/"
                  + used[0]
                  + " token=admin:"
                  + api.project),
          nova.asked(),
          "Nova is asked with the caller's token");
      assertEquals("in-use", api.statusOf(used[0]));
      assertEquals(1, host.calls().size(), "the host was only asked to connect");

      // The legacy actions are checked alike.
      api.admin()
          .body("{\"os-detach\": {\"attachment_id\": \"" + used[1] + "\"}}")
          .post(api.volumes() + "/" + used[0] + "/action")
          .then()
          .statusCode(409);
      api.admin()
          .body("{\"os-terminate_connection\": {\"connector\": " + CONNECTOR + "}}")
          .post(api.volumes() + "/" + used[0] + "/action")
          .then()
          .statusCode(409);
      assertEquals("in-use", api.statusOf(used[0]));

      asNova("3.27").delete(attachments() + "/" + used[1]).then().statusCode(200);
      assertEquals(3, nova.asked().size(), "a service's delete asks Nova nothing");
      assertEquals("available", api.statusOf(used[0]));
    }
  }

  @Test
  void aUsersDeleteGoesAheadWhenNovaKnowsNoSuchAttachment() throws Exception {
    String[] gone = inUse();
    String[] elsewhere = inUse();
    try (NovaStandIn nova = NovaStandIn.start()) {
      // Nova holds another attachment of the second volume: this one is a leftover.
      nova.uses(INSTANCE, elsewhere[0], UUID.randomUUID().toString());
      at("3.27").delete(attachments() + "/" + gone[1]).then().statusCode(200);
      at("3.27").delete(attachments() + "/" + elsewhere[1]).then().statusCode(200);
      assertEquals(2, nova.asked().size());
    }
    assertEquals("available", api.statusOf(gone[0]));
    assertEquals("available", api.statusOf(elsewhere[0]));
  }

  @Test
  void withNovaUnreachableAUsersDeleteIsCindersErrorAndChangesNothing() throws Exception {
    String[] used = inUse();
    at("3.27")
        .delete(attachments() + "/" + used[1])
        .then()
        .statusCode(500)
        .body(
            "computeFault.message",
            equalTo(
                "The server has either erred or is incapable of performing the requested"
                    + " operation."));
    assertEquals("in-use", api.statusOf(used[0]));
    at("3.27")
        .get(attachments() + "/" + used[1])
        .then()
        .body("attachment.status", equalTo("attached"));

    // Nothing to ask about a reserved attachment (no connection yet): it just goes.
    String reservedVolume = placedVolume();
    String reserved = reserve(reservedVolume).path("attachment.id");
    at("3.27").delete(attachments() + "/" + reserved).then().statusCode(200);
    assertEquals("available", api.statusOf(reservedVolume));
  }

  /**
   * Cinder's reset to attach_status detached ends the volume's attachments: an in-use volume shows
   * none afterwards, in its body or the attachments list, and is available; a reset that keeps it
   * attached changes none of them.
   */
  @Test
  void anAdminsResetToDetachedEndsTheVolumesAttachments() throws InterruptedException {
    String[] used = inUse();
    String volume = used[0];
    api.show(volume).then().body("volume.attachments.attachment_id", contains(used[1]));

    resetAttachStatus(volume, "attached");
    api.show(volume).then().body("volume.attachments.attachment_id", contains(used[1]));

    resetAttachStatus(volume, "detached");
    api.show(volume)
        .then()
        .body("volume.status", equalTo("available"))
        .body("volume.attachments", empty());
    at("3.44").get(attachments() + "/" + used[1]).then().statusCode(404);
    at("3.44").get(attachments()).then().body("attachments.id", not(hasItem(used[1])));
    // It can be attached again, as any available volume.
    String again = reserve(volume).path("attachment.id");
    connect(again).then().statusCode(200);
    complete(again).then().statusCode(204);
    api.show(volume).then().body("volume.attachments.attachment_id", contains(again));
  }

  private void resetAttachStatus(String volume, String status) {
    api.admin()
        .body("{\"os-reset_status\": {\"attach_status\": \"" + status + "\"}}")
        .post(api.volumes() + "/" + volume + "/action")
        .then()
        .statusCode(202);
  }

  @Test
  void aDuplicateReplyIsIgnored() throws InterruptedException {
    String volume = placedVolume();
    String attachment = reserve(volume).path("attachment.id");
    host.mode(AnsweringHost.Mode.TWICE);

    connect(attachment).then().statusCode(200);
    complete(attachment).then().statusCode(204);
    asNova("3.27").delete(attachments() + "/" + attachment).then().statusCode(200);
    assertEquals("available", api.statusOf(volume));
  }

  @Test
  void aStoppedHostAnswersCindersErrorAtTheDeadlineAndRollsBack() throws InterruptedException {
    String volume = placedVolume();
    String attachment = reserve(volume).path("attachment.id");
    host.mode(AnsweringHost.Mode.SILENT);

    connect(attachment)
        .then()
        .statusCode(500)
        .body(
            "computeFault.message",
            equalTo(
                "The server has either erred or is incapable of performing the requested operation."));
    assertEquals("reserved", api.statusOf(volume));
    at("3.27")
        .get(attachments() + "/" + attachment)
        .then()
        .body("attachment.status", equalTo("reserved"))
        .body("attachment.connection_info", anEmptyMap());

    // A create with a connector leaves nothing reserved.
    String other = placedVolume();
    at("3.54")
        .body(
            "{\"attachment\": {\"volume_uuid\": \""
                + other
                + "\", \"connector\": "
                + CONNECTOR
                + "}}")
        .post(attachments())
        .then()
        .statusCode(500);
    assertEquals("available", api.statusOf(other));
    at("3.27").get(attachments() + "?volume_id=" + other).then().body("attachments", hasSize(0));

    // A delete the host never confirms leaves the attachment attached.
    host.mode(AnsweringHost.Mode.ANSWER);
    connect(attachment).then().statusCode(200);
    complete(attachment).then().statusCode(204);
    host.mode(AnsweringHost.Mode.SILENT);
    asNova("3.27").delete(attachments() + "/" + attachment).then().statusCode(500);
    assertEquals("in-use", api.statusOf(volume));
    at("3.27")
        .get(attachments() + "/" + attachment)
        .then()
        .body("attachment.status", equalTo("attached"));
  }

  @Test
  void aHostsRefusalIsAnsweredAndRolledBack() throws InterruptedException {
    String volume = placedVolume();
    String attachment = reserve(volume).path("attachment.id");
    host.mode(AnsweringHost.Mode.REFUSE);

    connect(attachment)
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Volume refused by the test host."));
    assertEquals("reserved", api.statusOf(volume));
  }

  @Test
  void wrongRequestsAreRefusedAsCinderRefusesThem() throws InterruptedException {
    at("3.26").get(attachments()).then().statusCode(404);
    at("3.27").body("{\"attachment\": {}}").post(attachments()).then().statusCode(400);
    at("3.27")
        .body("{\"attachment\": {\"volume_uuid\": \"" + java.util.UUID.randomUUID() + "\"}}")
        .post(attachments())
        .then()
        .statusCode(404);
    at("3.27").get(attachments() + "/" + java.util.UUID.randomUUID()).then().statusCode(404);
    String volume = placedVolume();
    String attachment = reserve(volume).path("attachment.id");
    at("3.27")
        .body("{\"attachment\": {}}")
        .put(attachments() + "/" + attachment)
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Must specify 'connector'"));
    // Another project sees neither the attachment nor the volume.
    new ProjectApi()
        .admin()
        .header("OpenStack-API-Version", "volume 3.27")
        .get("/v3/" + api.project + "/attachments/" + attachment)
        .then()
        .statusCode(400);
  }

  // ---- legacy actions ------------------------------------------------------------------------

  private Response action(String volume, String body) {
    return api.admin().body(body).post(api.volumes() + "/" + volume + "/action");
  }

  @Test
  void legacyReserveConnectAttachDetachAsTheOldNovaDid() throws InterruptedException {
    String volume = placedVolume();

    action(volume, "{\"os-reserve\": null}").then().statusCode(202);
    assertEquals("attaching", api.statusOf(volume));
    action(volume, "{\"os-reserve\": null}")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid volume: Volume status must be available to reserve, but the status is attaching."));
    action(volume, "{\"os-unreserve\": null}").then().statusCode(202);
    assertEquals("available", api.statusOf(volume));
    action(volume, "{\"os-reserve\": null}").then().statusCode(202);

    Response connection =
        action(volume, "{\"os-initialize_connection\": {\"connector\": " + CONNECTOR + "}}");
    connection
        .then()
        .statusCode(200)
        .body("connection_info.driver_volume_type", equalTo("iscsi"))
        .body("connection_info.data.access_mode", equalTo("rw"));
    action(volume, "{\"os-initialize_connection\": {}}")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Must specify 'connector'"));

    action(
            volume,
            "{\"os-attach\": {\"instance_uuid\": \""
                + INSTANCE
                + "\", \"mountpoint\": \"/dev/vdb\", \"mode\": \"rw\"}}")
        .then()
        .statusCode(202);
    Response attached = api.show(volume);
    attached
        .then()
        .body("volume.status", equalTo("in-use"))
        .body("volume.attachments[0].device", equalTo("/dev/vdb"))
        .body("volume.attachments[0].server_id", equalTo(INSTANCE))
        .body("volume.metadata.attached_mode", equalTo("rw"));
    String attachment = attached.path("volume.attachments[0].attachment_id");
    assertNotNull(attachment);

    action(volume, "{\"os-begin_detaching\": null}").then().statusCode(202);
    assertEquals("detaching", api.statusOf(volume));
    action(volume, "{\"os-roll_detaching\": null}").then().statusCode(202);
    assertEquals("in-use", api.statusOf(volume));

    action(volume, "{\"os-detach\": {\"attachment_id\": \"" + attachment + "\"}}")
        .then()
        .statusCode(202);
    action(volume, "{\"os-terminate_connection\": {\"connector\": " + CONNECTOR + "}}")
        .then()
        .statusCode(202);
    Response detached = api.show(volume);
    detached
        .then()
        .body("volume.status", equalTo("available"))
        .body("volume.attachments", hasSize(0));
    Map<String, String> metadata = detached.path("volume.metadata");
    assertEquals(Map.of("readonly", "False"), metadata);
    List<MessageType> calls = host.calls().stream().map(Envelope::messageType).toList();
    assertEquals(
        List.of(
            MessageType.INITIALIZE_CONNECTION,
            MessageType.ATTACH_VOLUME,
            MessageType.DETACH_VOLUME,
            MessageType.TERMINATE_CONNECTION),
        calls);

    action(volume, "{\"os-begin_detaching\": null}")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid volume: Unable to detach volume. Volume status must be 'in-use' and"
                    + " attach_status must be 'attached' to detach."));
  }

  @Test
  void legacyAttachToAStoppedHostRollsBack() throws InterruptedException {
    String volume = placedVolume();
    host.mode(AnsweringHost.Mode.SILENT);

    action(volume, "{\"os-attach\": {\"host_name\": \"h1\", \"mountpoint\": \"/dev/vdc\"}}")
        .then()
        .statusCode(500);
    assertEquals("available", api.statusOf(volume));
    api.show(volume).then().body("volume.attachments", hasSize(0));
  }
}
