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
 * Encryption types through Debian's {@code openstack} CLI: {@code volume type create/set/show/list
 * --encryption-*}, {@code unset --encryption-type}, and a volume of an encrypted type.
 */
class EncryptionTypesCliE2ETest {

  private static final String OPENSTACK = "/usr/bin/openstack";
  private static final ObjectMapper JSON = new ObjectMapper();
  static EmberStack stack;

  private final String project = UUID.randomUUID().toString().replace("-", "");
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

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

  private JsonNode encryptionOf(String type) throws Exception {
    return json(openstack("volume", "type", "show", "--encryption-type", type, "-f", "json"))
        .get("encryption");
  }

  @Test
  void encryptionTypeLifecycleWithTheOpenstackCli() throws Exception {
    String name = "cli-luks-" + suffix;
    JsonNode created =
        json(
            openstack(
                "volume",
                "type",
                "create",
                "--encryption-provider",
                "luks",
                "--encryption-cipher",
                "aes-xts-plain64",
                "--encryption-key-size",
                "256",
                "--encryption-control-location",
                "front-end",
                name,
                "-f",
                "json"));
    JsonNode encryption = created.get("encryption");
    assertEquals("luks", encryption.get("provider").asText(), created.toString());
    assertEquals("aes-xts-plain64", encryption.get("cipher").asText());
    assertEquals(256, encryption.get("key_size").asInt());
    assertEquals("front-end", encryption.get("control_location").asText());
    String encryptionId = encryption.get("encryption_id").asText();

    JsonNode shown = encryptionOf(name);
    assertEquals("luks", shown.get("provider").asText(), shown.toString());
    assertEquals(256, shown.get("key_size").asInt());
    assertEquals(encryptionId, shown.get("encryption_id").asText());
    assertEquals(false, shown.get("deleted").asBoolean());

    assertEquals(
        0,
        openstack(
                "volume",
                "type",
                "set",
                "--encryption-key-size",
                "512",
                "--encryption-control-location",
                "back-end",
                name)
            .exit());
    shown = encryptionOf(name);
    assertEquals(512, shown.get("key_size").asInt(), shown.toString());
    assertEquals("back-end", shown.get("control_location").asText());
    assertEquals("aes-xts-plain64", shown.get("cipher").asText());

    // list --encryption-type reads every type's encryption; a type without one shows none.
    String plain = "cli-plain-" + suffix;
    json(openstack("volume", "type", "create", plain, "-f", "json"));
    JsonNode listed = json(openstack("volume", "type", "list", "--encryption-type", "-f", "json"));
    JsonNode encryptedRow = null;
    JsonNode plainRow = null;
    for (JsonNode row : listed) {
      if (row.get("Name").asText().equals(name)) {
        encryptedRow = row;
      } else if (row.get("Name").asText().equals(plain)) {
        plainRow = row;
      }
    }
    assertTrue(encryptedRow != null && plainRow != null, listed.toString());
    assertEquals(
        "luks", encryptedRow.get("Encryption").get("provider").asText(), listed.toString());
    assertTrue(plainRow.get("Encryption").isNull(), listed.toString());

    // set on a type without encryption: the update's 404 makes the CLI create one.
    assertEquals(
        0, openstack("volume", "type", "set", "--encryption-provider", "plain", plain).exit());
    shown = encryptionOf(plain);
    assertEquals("plain", shown.get("provider").asText(), shown.toString());
    assertEquals("front-end", shown.get("control_location").asText());
    assertEquals(0, openstack("volume", "type", "unset", "--encryption-type", plain).exit());
    assertEquals(0, encryptionOf(plain).size(), encryptionOf(plain).toString());
    assertEquals(0, openstack("volume", "type", "delete", plain).exit());

    // A volume of the type is encrypted, and the type's encryption stays while it exists.
    JsonNode volume =
        json(openstack("volume", "create", "--size", "1", "--type", name, "cli-enc", "-f", "json"));
    String volumeId = volume.get("id").asText();
    awaitStatus(volumeId, "available");
    assertTrue(
        json(openstack("volume", "show", volumeId, "-f", "json")).get("encrypted").asBoolean());
    Result inUse = openstack("volume", "type", "unset", "--encryption-type", name);
    assertNotEquals(0, inUse.exit(), inUse.out());
    assertTrue(
        inUse.out().contains("Cannot delete encryption specs. Volume type in use."), inUse.out());
    // The CLI's set swallows any refusal but a 404: the encryption type is unchanged.
    openstack("volume", "type", "set", "--encryption-key-size", "128", name);
    assertEquals(512, encryptionOf(name).get("key_size").asInt());

    assertEquals(0, openstack("volume", "delete", volumeId).exit());
    awaitGone(volumeId);
    assertEquals(0, openstack("volume", "type", "unset", "--encryption-type", name).exit());
    assertEquals(0, encryptionOf(name).size());
    assertEquals(0, openstack("volume", "type", "delete", name).exit());
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
  }
}
