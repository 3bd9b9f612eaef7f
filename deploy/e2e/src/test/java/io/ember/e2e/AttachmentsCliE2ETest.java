package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attachments on the three services with cinderclient's attachment commands (3.44), the legacy
 * actions over HTTP, a second attachment of a volume without multiattach refused, and a volume host
 * stopped mid-test: the call times out into Cinder's error with its statuses rolled back.
 */
class AttachmentsCliE2ETest {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern ID = Pattern.compile("\\|\\s*id\\s*\\|\\s*([0-9a-f-]{36})\\s*\\|");
  static final String SERVER = "11111111-2222-3333-4444-555555555555";
  static final String CONNECTOR =
      "{\"initiator\": \"iqn.1993-08.org.debian:01:e2e\", \"ip\": \"127.0.0.1\","
          + " \"host\": \"e2e-compute\", \"platform\": \"x86_64\", \"os_type\": \"linux2\","
          + " \"multipath\": false}";

  static EmberStack stack;

  private final Cli cli = Cli.admin(stack);
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  private Cli.Result cinder44(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "--os-volume-api-version";
    all[1] = "3.44";
    System.arraycopy(args, 0, all, 2, args.length);
    return cli.cinder(all);
  }

  /** {@code cinder attachment-update} with this machine's connector. */
  private Cli.Result connect(String attachment) throws Exception {
    return cinder44(
        "attachment-update",
        "--initiator",
        "iqn.1993-08.org.debian:01:e2e",
        "--ip",
        "127.0.0.1",
        "--host",
        "e2e-compute",
        attachment);
  }

  private String availableVolume(String name) throws Exception {
    String id = cli.json("volume", "create", "--size", "1", name).get("id").asText();
    cli.awaitVolumeStatus(id, "available");
    return id;
  }

  /** The id in a cinderclient table. */
  static String idIn(String table) {
    Matcher m = ID.matcher(table);
    assertTrue(m.find(), table);
    return m.group(1);
  }

  @Test
  void attachmentCommandsTakeAVolumeThroughReservedAttachingInUseAndBack() throws Exception {
    String volume = availableVolume("attach-cli");

    String attachment = idIn(cinder44("attachment-create", volume, SERVER).ok().out());
    assertEquals("reserved", cli.json("volume", "show", volume).get("status").asText());

    String updated = connect(attachment).ok().out();
    assertTrue(updated.contains("iscsi"), updated);
    assertEquals("attaching", cli.json("volume", "show", volume).get("status").asText());

    cinder44("attachment-complete", attachment).ok();
    JsonNode inUse = cli.json("volume", "show", volume);
    assertEquals("in-use", inUse.get("status").asText());
    assertTrue(inUse.get("attachments").toString().contains(attachment), inUse.toString());

    String shown = cinder44("attachment-show", attachment).ok().out();
    assertTrue(shown.contains("attached"), shown);
    String listed = cinder44("attachment-list", "--volume-id", volume).ok().out();
    assertTrue(listed.contains(attachment) && listed.contains("attached"), listed);

    // An attached volume is not deleted.
    cli.openstack("volume", "delete", volume).refused("Invalid volume");

    // A user may not end an attachment an instance may still use (Cinder's check for bug
    // 2004555): Nova is asked first, and there is no Nova here to answer, so Cinder's 500.
    cinder44("attachment-delete", attachment)
        .refused("The server has either erred or is incapable of performing the requested");
    assertEquals("in-use", cli.json("volume", "show", volume).get("status").asText());
    // Nova itself, with its service token, may.
    assertEquals(200, deleteAsNova(stack.apiUrl(), cli.project(), attachment));
    cli.awaitVolumeStatus(volume, "available");
    String left = cinder44("attachment-list", "--volume-id", volume).ok().out();
    assertTrue(!left.contains(attachment), left);
    cli.openstack("volume", "delete", volume).ok();
    cli.awaitVolumeGone(volume);
  }

  /** An admin's way out of an attachment left behind, as Cinder's: the reset ends it. */
  @Test
  void resetStateToDetachedEndsAnInUseVolumesAttachments() throws Exception {
    String volume = availableVolume("attach-reset");
    String attachment = idIn(cinder44("attachment-create", volume, SERVER).ok().out());
    connect(attachment).ok();
    cinder44("attachment-complete", attachment).ok();
    assertEquals("in-use", cli.json("volume", "show", volume).get("status").asText());

    cinder44("reset-state", "--attach-status", "detached", volume).ok();
    JsonNode reset = cli.json("volume", "show", volume);
    assertEquals("available", reset.get("status").asText(), reset.toString());
    assertEquals(0, reset.get("attachments").size(), reset.toString());
    cinder44("attachment-show", attachment).refused("could not be found");
    cli.openstack("volume", "delete", volume).ok();
    cli.awaitVolumeGone(volume);
  }

  @Test
  void aSecondAttachmentOfAVolumeWithoutMultiattachIsRefused() throws Exception {
    String volume = availableVolume("attach-twice");
    String first = idIn(cinder44("attachment-create", volume, SERVER).ok().out());

    cinder44("attachment-create", volume, SERVER)
        .refused(
            "Volume "
                + volume
                + " status must be available or downloading to reserve, but the current status"
                + " is reserved.");

    cinder44("attachment-delete", first).ok();
    cli.awaitVolumeStatus(volume, "available");
  }

  @Test
  void legacyActionsOverHttp() throws Exception {
    String volume = availableVolume("attach-legacy");

    assertEquals(202, action(volume, "{\"os-reserve\": null}").statusCode());
    assertEquals("attaching", cli.json("volume", "show", volume).get("status").asText());
    HttpResponse<String> connection =
        action(volume, "{\"os-initialize_connection\": {\"connector\": " + CONNECTOR + "}}");
    assertEquals(200, connection.statusCode(), connection.body());
    JsonNode info = JSON.readTree(connection.body()).get("connection_info");
    assertEquals("iscsi", info.get("driver_volume_type").asText());
    assertEquals("rw", info.get("data").get("access_mode").asText());
    HttpResponse<String> attached =
        action(
            volume,
            "{\"os-attach\": {\"instance_uuid\": \""
                + SERVER
                + "\", \"mountpoint\": \"/dev/vdb\"}}");
    assertEquals(202, attached.statusCode(), attached.body());
    JsonNode inUse = cli.json("volume", "show", volume);
    assertEquals("in-use", inUse.get("status").asText());
    String attachment = inUse.get("attachments").get(0).get("attachment_id").asText();

    assertEquals(202, action(volume, "{\"os-begin_detaching\": null}").statusCode());
    assertEquals("detaching", cli.json("volume", "show", volume).get("status").asText());
    assertEquals(202, action(volume, "{\"os-roll_detaching\": null}").statusCode());
    HttpResponse<String> detached =
        action(volume, "{\"os-detach\": {\"attachment_id\": \"" + attachment + "\"}}");
    assertEquals(202, detached.statusCode(), detached.body());
    assertEquals(
        202,
        action(volume, "{\"os-terminate_connection\": {\"connector\": " + CONNECTOR + "}}")
            .statusCode());
    assertEquals("available", cli.json("volume", "show", volume).get("status").asText());
    HttpResponse<String> refused = action(volume, "{\"os-begin_detaching\": null}");
    assertEquals(400, refused.statusCode());
    assertTrue(refused.body().contains("Unable to detach volume."), refused.body());
  }

  @Test
  void aStoppedVolumeHostAnswersCindersErrorAndRollsBack() throws Exception {
    // A volume on each host; the one on the host to be stopped is the one tested.
    String volume = availableVolume("attach-stopped");
    String host = cli.json("volume", "show", volume).get("os-vol-host-attr:host").asText();
    String service = "volume-" + host.substring(0, host.indexOf('@'));
    String attachment = idIn(cinder44("attachment-create", volume, SERVER).ok().out());

    stack.pause(service);
    HttpResponse<String> answer;
    try {
      answer =
          send(
              HttpRequest.newBuilder(
                      URI.create(
                          stack.apiUrl() + "/v3/" + cli.project() + "/attachments/" + attachment))
                  .header("OpenStack-API-Version", "volume 3.44")
                  .PUT(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"attachment\": {\"connector\": " + CONNECTOR + "}}")));
    } finally {
      stack.resume(service);
    }

    assertEquals(500, answer.statusCode(), answer.body());
    assertEquals(
        "The server has either erred or is incapable of performing the requested operation.",
        JSON.readTree(answer.body()).get("computeFault").get("message").asText());
    assertEquals("reserved", cli.json("volume", "show", volume).get("status").asText());
    String shown = cinder44("attachment-show", attachment).ok().out();
    assertTrue(shown.contains("reserved"), shown);

    // The host back, the same attachment connects and goes.
    cinder44("attachment-update", "--host", "e2e-compute", attachment).ok();
    assertEquals(200, deleteAsNova(stack.apiUrl(), cli.project(), attachment));
    cli.awaitVolumeStatus(volume, "available");
  }

  private HttpResponse<String> action(String volume, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(
                URI.create(
                    stack.apiUrl() + "/v3/" + cli.project() + "/volumes/" + volume + "/action"))
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /**
   * {@code DELETE /attachments/{id}} as Nova sends it: with a service token, which noauth mode
   * reads as {@code X-Service-Roles}. Its HTTP status.
   */
  static int deleteAsNova(String apiUrl, String project, String attachment) throws Exception {
    HttpRequest delete =
        HttpRequest.newBuilder(URI.create(apiUrl + "/v3/" + project + "/attachments/" + attachment))
            .header("X-Auth-Token", "admin:" + project)
            .header("OpenStack-API-Version", "volume 3.44")
            .header("X-Service-Roles", "service")
            .timeout(Duration.ofSeconds(120))
            .DELETE()
            .build();
    return HttpClient.newHttpClient()
        .send(delete, HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request
            .header("X-Auth-Token", "admin:" + cli.project())
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(120))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
