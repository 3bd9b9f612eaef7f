package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.e2e.Cli.Result;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Encryption types through Debian's {@code openstack} CLI: {@code volume type create/set/show/list
 * --encryption-*}, {@code unset --encryption-type}, and a volume of an encrypted type.
 */
class EncryptionTypesCliE2ETest {

  static EmberStack stack;

  private final String project = Cli.newProject();
  private final Cli cli = Cli.admin(stack, project);
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  private JsonNode encryptionOf(String type) throws Exception {
    return cli.openstack("volume", "type", "show", "--encryption-type", type, "-f", "json")
        .json()
        .get("encryption");
  }

  @Test
  void encryptionTypeLifecycleWithTheOpenstackCli() throws Exception {
    String name = "cli-luks-" + suffix;
    JsonNode created =
        cli.openstack(
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
                "json")
            .json();
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
        cli.openstack(
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
    cli.openstack("volume", "type", "create", plain, "-f", "json").json();
    JsonNode listed =
        cli.openstack("volume", "type", "list", "--encryption-type", "-f", "json").json();
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
        0, cli.openstack("volume", "type", "set", "--encryption-provider", "plain", plain).exit());
    shown = encryptionOf(plain);
    assertEquals("plain", shown.get("provider").asText(), shown.toString());
    assertEquals("front-end", shown.get("control_location").asText());
    assertEquals(0, cli.openstack("volume", "type", "unset", "--encryption-type", plain).exit());
    assertEquals(0, encryptionOf(plain).size(), encryptionOf(plain).toString());
    assertEquals(0, cli.openstack("volume", "type", "delete", plain).exit());

    // A volume of the type is encrypted, and the type's encryption stays while it exists.
    JsonNode volume =
        cli.openstack("volume", "create", "--size", "1", "--type", name, "cli-enc", "-f", "json")
            .json();
    String volumeId = volume.get("id").asText();
    cli.awaitVolumeStatus(volumeId, "available");
    assertTrue(
        cli.openstack("volume", "show", volumeId, "-f", "json")
            .json()
            .get("encrypted")
            .asBoolean());
    Result inUse = cli.openstack("volume", "type", "unset", "--encryption-type", name);
    assertNotEquals(0, inUse.exit(), inUse.out());
    assertTrue(
        inUse.out().contains("Cannot delete encryption specs. Volume type in use."), inUse.out());
    // The CLI's set swallows any refusal but a 404: the encryption type is unchanged.
    cli.openstack("volume", "type", "set", "--encryption-key-size", "128", name);
    assertEquals(512, encryptionOf(name).get("key_size").asInt());

    assertEquals(0, cli.openstack("volume", "delete", volumeId).exit());
    cli.awaitVolumeGone(volumeId);
    assertEquals(0, cli.openstack("volume", "type", "unset", "--encryption-type", name).exit());
    assertEquals(0, encryptionOf(name).size());
    assertEquals(0, cli.openstack("volume", "type", "delete", name).exit());
  }
}
