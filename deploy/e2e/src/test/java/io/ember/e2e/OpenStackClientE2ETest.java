package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's {@code openstack} CLI against Ember in noauth mode, with the options the README
 * documents. {@code .ci/run} installs the client.
 */
class OpenStackClientE2ETest {

  private static final String OPENSTACK = "/usr/bin/openstack";
  private static final ObjectMapper JSON = new ObjectMapper();
  static EmberStack stack;

  private final String project = UUID.randomUUID().toString().replace("-", "");

  @BeforeAll
  static void startStack() throws Exception {
    assertTrue(
        Files.isExecutable(Path.of(OPENSTACK)),
        OPENSTACK + " is missing: run deploy/local/ember clients (apt python3-openstackclient)");
    stack = EmberStack.shared();
  }

  private record Result(int exit, String out) {}

  private Result openstack(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(OPENSTACK);
    command.addAll(
        List.of(
            "--os-auth-type", "admin_token",
            "--os-token", "admin:" + project,
            "--os-endpoint", stack.apiUrl() + "/v3/" + project));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openstack CLI timed out");
    return new Result(p.exitValue(), out);
  }

  private JsonNode json(Result r) throws IOException {
    assertEquals(0, r.exit(), r.out());
    return JSON.readTree(r.out());
  }

  @Test
  void createListShowDeleteWithTheOpenstackCli() throws Exception {
    JsonNode created = json(openstack("volume", "create", "--size", "1", "cli-vol", "-f", "json"));
    String id = created.get("id").asText();
    assertEquals("cli-vol", created.get("name").asText());

    awaitStatus(id, "available");

    JsonNode list = json(openstack("volume", "list", "-f", "json"));
    assertEquals(1, list.size());
    assertEquals(id, list.get(0).get("ID").asText());
    assertEquals("available", list.get(0).get("Status").asText());

    JsonNode byName = json(openstack("volume", "show", "cli-vol", "-f", "json"));
    assertEquals(id, byName.get("id").asText());

    assertEquals(0, openstack("volume", "delete", id).exit());
    awaitGone(id);
  }

  @Test
  void anAdminForceDeletesAVolumeStuckInErrorDeleting() throws Exception {
    String id =
        json(openstack("volume", "create", "--size", "1", "cli-stuck", "-f", "json"))
            .get("id")
            .asText();
    awaitStatus(id, "available");

    // os-reset_status, as an operator marks a volume whose delete failed on the backend.
    assertEquals(0, openstack("volume", "set", "--state", "error_deleting", id).exit());
    assertEquals(
        "error_deleting",
        json(openstack("volume", "show", id, "-f", "json")).get("status").asText());

    Result refused = openstack("volume", "delete", id);
    assertNotEquals(0, refused.exit(), refused.out());
    assertTrue(refused.out().contains("Invalid volume: Volume status must be"), refused.out());

    // os-force_delete: the delete goes to the volume host all the same.
    assertEquals(0, openstack("volume", "delete", "--force", id).exit());
    awaitGone(id);
  }

  private void awaitStatus(String id, String wanted) throws Exception {
    String status = "";
    for (int i = 0; i < 60 && !status.equals(wanted); i++) {
      status = json(openstack("volume", "show", id, "-f", "json")).get("status").asText();
      if (!status.equals(wanted)) {
        Thread.sleep(250);
      }
    }
    assertEquals(wanted, status);
  }

  private void awaitGone(String id) throws Exception {
    Result gone = openstack("volume", "show", id);
    for (int i = 0; i < 60 && gone.exit() == 0; i++) {
      Thread.sleep(250);
      gone = openstack("volume", "show", id);
    }
    assertNotEquals(0, gone.exit(), "deleted volume is gone: " + gone.out());
    assertTrue(gone.out().contains("No volume with a name or ID"), gone.out());
  }
}
