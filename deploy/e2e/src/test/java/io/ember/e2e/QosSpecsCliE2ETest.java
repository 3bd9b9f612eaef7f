package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.e2e.Cli.Result;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code openstack volume qos ...} (Debian's CLI) against Ember: create, list, show, set, unset,
 * associate, disassociate and delete, with {@code --force} for a spec still in use.
 */
class QosSpecsCliE2ETest {

  static EmberStack stack;

  private final String project = Cli.newProject();
  private final Cli cli = Cli.admin(stack, project);
  private final String unique = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  private JsonNode show(String qos) throws Exception {
    return cli.openstack("volume", "qos", "show", qos, "-f", "json").json();
  }

  @Test
  void createListShowSetUnsetDelete() throws Exception {
    String name = "cli-qos-" + unique;
    JsonNode created =
        cli.openstack(
                "volume",
                "qos",
                "create",
                "--consumer",
                "front-end",
                "--property",
                "total_iops_sec=1000",
                "--property",
                "read_bytes_sec=2048",
                name,
                "-f",
                "json")
            .json();
    String id = created.get("id").asText();
    assertEquals(name, created.get("name").asText());
    assertEquals("front-end", created.get("consumer").asText());
    assertEquals("1000", created.get("properties").get("total_iops_sec").asText());

    JsonNode listed = cli.openstack("volume", "qos", "list", "-f", "json").json();
    JsonNode mine = null;
    for (JsonNode q : listed) {
      if (id.equals(q.get("ID").asText())) {
        mine = q;
      }
    }
    assertTrue(mine != null, listed.toString());
    assertEquals(name, mine.get("Name").asText());
    assertEquals("front-end", mine.get("Consumer").asText());

    // By name: the CLI's GET /qos-specs/<name> is a 404, then it finds the spec in the list.
    JsonNode shown = show(name);
    assertEquals(id, shown.get("id").asText());
    assertFalse(shown.has("associations"), "no associations shown when there are none");

    cli.openstack("volume", "qos", "set", "--property", "write_iops_sec=500", id).ok();
    assertEquals("500", show(id).get("properties").get("write_iops_sec").asText());

    cli.openstack("volume", "qos", "unset", "--property", "read_bytes_sec", id).ok();
    JsonNode properties = show(id).get("properties");
    assertFalse(properties.has("read_bytes_sec"), properties.toString());
    assertTrue(properties.has("total_iops_sec"), properties.toString());

    cli.openstack("volume", "qos", "delete", name).ok();
    Result gone = cli.openstack("volume", "qos", "show", id);
    assertNotEquals(0, gone.exit(), gone.out());
  }

  @Test
  void associateDisassociateAndForceDelete() throws Exception {
    String type = "cli-qos-type-" + unique;
    cli.openstack("volume", "type", "create", type).ok();
    String qos = "cli-qos-assoc-" + unique;
    cli.openstack("volume", "qos", "create", "--property", "total_iops_sec=100", qos).ok();

    cli.openstack("volume", "qos", "associate", qos, type).ok();
    JsonNode shown = show(qos);
    assertTrue(shown.get("associations").toString().contains(type), shown.toString());

    Result inUse = cli.openstack("volume", "qos", "delete", qos);
    assertNotEquals(0, inUse.exit(), inUse.out());
    assertTrue(inUse.out().contains("Failed to delete"), inUse.out());

    cli.openstack("volume", "qos", "disassociate", "--volume-type", type, qos).ok();
    assertFalse(show(qos).has("associations"));

    cli.openstack("volume", "qos", "associate", qos, type).ok();
    cli.openstack("volume", "qos", "disassociate", "--all", qos).ok();
    assertFalse(show(qos).has("associations"));

    cli.openstack("volume", "qos", "associate", qos, type).ok();
    cli.openstack("volume", "qos", "delete", "--force", qos).ok();
    assertNotEquals(0, cli.openstack("volume", "qos", "show", qos).exit());
    cli.openstack("volume", "type", "delete", type).ok();
  }
}
