package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.e2e.Cli.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Volume types through Debian's {@code openstack} CLI: create, list, show, set, unset, access,
 * delete.
 */
class VolumeTypesCliE2ETest {

  static EmberStack stack;

  private final String project = Cli.newProject();
  private final Cli cli = Cli.admin(stack, project);
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.forEach(t -> names.add(t.get("Name").asText()));
    return names;
  }

  @Test
  void typeLifecycleWithTheOpenstackCli() throws Exception {
    String name = "cli-gold-" + suffix;
    JsonNode created =
        cli.openstack(
                "volume",
                "type",
                "create",
                "--description",
                "gold tier",
                "--property",
                "volume_backend_name=fake",
                name,
                "-f",
                "json")
            .json();
    String id = created.get("id").asText();
    assertEquals(name, created.get("name").asText());

    Result duplicate = cli.openstack("volume", "type", "create", name);
    assertNotEquals(0, duplicate.exit(), duplicate.out());
    assertTrue(
        duplicate.out().contains("Volume Type " + name + " already exists."), duplicate.out());

    assertTrue(names(cli.openstack("volume", "type", "list", "-f", "json").json()).contains(name));
    JsonNode shown = cli.openstack("volume", "type", "show", name, "-f", "json").json();
    assertEquals(id, shown.get("id").asText());
    assertTrue(
        shown.get("properties").toString().contains("volume_backend_name"), shown.toString());

    assertEquals(
        0,
        cli.openstack(
                "volume", "type", "set", "--description", "golden", "--property", "tier=gold", name)
            .exit());
    shown = cli.openstack("volume", "type", "show", name, "-f", "json").json();
    assertEquals("golden", shown.get("description").asText());
    assertTrue(shown.get("properties").toString().contains("tier"), shown.toString());

    assertEquals(0, cli.openstack("volume", "type", "unset", "--property", "tier", name).exit());
    shown = cli.openstack("volume", "type", "show", name, "-f", "json").json();
    assertFalse(shown.get("properties").toString().contains("tier"), shown.toString());

    // A volume of the type, by name, ends available and shows the type.
    JsonNode volume =
        cli.openstack("volume", "create", "--size", "1", "--type", name, "cli-typed", "-f", "json")
            .json();
    String volumeId = volume.get("id").asText();
    cli.awaitVolumeStatus(volumeId, "available");
    assertEquals(
        name, cli.openstack("volume", "show", volumeId, "-f", "json").json().get("type").asText());

    Result inUse = cli.openstack("volume", "type", "delete", name);
    assertNotEquals(0, inUse.exit(), inUse.out());
    assertTrue(inUse.out().contains("Target volume type is still in use."), inUse.out());

    assertEquals(0, cli.openstack("volume", "delete", volumeId).exit());
    cli.awaitVolumeGone(volumeId);
    assertEquals(0, cli.openstack("volume", "type", "delete", name).exit());
    assertFalse(names(cli.openstack("volume", "type", "list", "-f", "json").json()).contains(name));
  }

  /** cinderclient's {@code type-default} reads {@code GET /types/default}. */
  @Test
  void theDefaultTypeThroughCinderclient() throws Exception {
    Result shown = cli.cinder("type-default");
    assertEquals(0, shown.exit(), shown.out());
    assertTrue(shown.out().contains("__DEFAULT__"), shown.out());
  }

  /**
   * Access to a private type through cinderclient: OSC's {@code volume type set --project} looks
   * the project up in Keystone first, which the noauth stack has not (Keystone mode is another
   * issue).
   */
  @Test
  void aPrivateTypeOpenedToAProject() throws Exception {
    String name = "cli-private-" + suffix;
    JsonNode created =
        cli.openstack("volume", "type", "create", "--private", name, "-f", "json").json();
    assertEquals(false, created.get("is_public").asBoolean());
    String other = UUID.randomUUID().toString().replace("-", "");

    Result hidden =
        Cli.member(stack, other).openstack("volume", "create", "--size", "1", "--type", name, "v");
    assertNotEquals(0, hidden.exit(), hidden.out());

    Result opened = cli.cinder("type-access-add", "--volume-type", name, "--project-id", other);
    assertEquals(0, opened.exit(), opened.out());
    assertTrue(cli.cinder("type-access-list", "--volume-type", name).out().contains(other));
    JsonNode shown = cli.openstack("volume", "type", "show", name, "-f", "json").json();
    assertTrue(shown.get("access_project_ids").toString().contains(other), shown.toString());

    JsonNode volume =
        Cli.member(stack, other)
            .openstack("volume", "create", "--size", "1", "--type", name, "v", "-f", "json")
            .json();
    assertEquals(name, volume.get("type").asText(), volume.toString());

    Result publicAccess =
        cli.cinder("type-access-add", "--volume-type", "__DEFAULT__", "--project-id", other);
    assertNotEquals(0, publicAccess.exit(), publicAccess.out());
    assertTrue(
        publicAccess
            .out()
            .contains("Type access modification is not applicable to public volume type"),
        publicAccess.out());

    Result closed = cli.cinder("type-access-remove", "--volume-type", name, "--project-id", other);
    assertEquals(0, closed.exit(), closed.out());
    assertFalse(cli.cinder("type-access-list", "--volume-type", name).out().contains(other));
  }

  /** cinderclient's noauth plugin appends the project to the endpoint itself. */
}
