package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's {@code openstack} CLI against Ember in noauth mode, with the options the README
 * documents. {@code .ci/run} installs the client.
 */
class OpenStackClientE2ETest {

  static EmberStack stack;

  private final Cli cli = Cli.admin(stack);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  @Test
  void createListShowDeleteWithTheOpenstackCli() throws Exception {
    JsonNode created = cli.json("volume", "create", "--size", "1", "cli-vol");
    String id = created.get("id").asText();
    assertEquals("cli-vol", created.get("name").asText());

    cli.awaitVolumeStatus(id, "available");

    JsonNode list = cli.json("volume", "list");
    assertEquals(1, list.size());
    assertEquals(id, list.get(0).get("ID").asText());
    assertEquals("available", list.get(0).get("Status").asText());

    JsonNode byName = cli.json("volume", "show", "cli-vol");
    assertEquals(id, byName.get("id").asText());

    cli.openstack("volume", "delete", id).ok();
    cli.awaitVolumeGone(id);
  }

  @Test
  void anAdminForceDeletesAVolumeStuckInErrorDeleting() throws Exception {
    String id = cli.json("volume", "create", "--size", "1", "cli-stuck").get("id").asText();
    cli.awaitVolumeStatus(id, "available");

    // os-reset_status, as an operator marks a volume whose delete failed on the backend.
    cli.openstack("volume", "set", "--state", "error_deleting", id).ok();
    assertEquals("error_deleting", cli.json("volume", "show", id).get("status").asText());

    cli.openstack("volume", "delete", id).refused("Invalid volume: Volume status must be");

    // os-force_delete: the delete goes to the volume host all the same.
    cli.openstack("volume", "delete", "--force", id).ok();
    cli.awaitVolumeGone(id);
  }

  /**
   * {@code cinder summary} (3.12; metadata from 3.36): the count, size and metadata of a project.
   */
  @Test
  void cinderSummarizesTheProjectsVolumes() throws Exception {
    String small =
        cli.json("volume", "create", "--size", "1", "--property", "tier=gold", "sum-a")
            .get("id")
            .asText();
    String large =
        cli.json("volume", "create", "--size", "2", "--property", "team=blue", "sum-b")
            .get("id")
            .asText();
    cli.awaitVolumeStatus(small, "available");
    cli.awaitVolumeStatus(large, "available");

    String summary = cli.cinder("--os-volume-api-version", "3.36", "summary").ok().out();
    assertTrue(summary.matches("(?s).*\\|\\s*total_count\\s*\\|\\s*2\\s*\\|.*"), summary);
    assertTrue(summary.matches("(?s).*\\|\\s*total_size\\s*\\|\\s*3\\s*\\|.*"), summary);
    assertTrue(summary.contains("tier") && summary.contains("gold"), summary);
    assertTrue(summary.contains("team") && summary.contains("blue"), summary);

    cli.openstack("volume", "delete", small, large).ok();
    cli.awaitVolumeGone(small);
    cli.awaitVolumeGone(large);
    String empty = cli.cinder("--os-volume-api-version", "3.12", "summary").ok().out();
    assertTrue(empty.matches("(?s).*\\|\\s*total_count\\s*\\|\\s*0\\s*\\|.*"), empty);
  }
}
