package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * {@code openstack volume qos ...} (Debian's CLI) against Ember: create, list, show, set, unset,
 * associate, disassociate and delete, with {@code --force} for a spec still in use.
 */
class QosSpecsCliE2ETest {

  private static final String OPENSTACK = "/usr/bin/openstack";
  private static final ObjectMapper JSON = new ObjectMapper();
  static EmberStack stack;

  private final String project = UUID.randomUUID().toString().replace("-", "");
  private final String unique = UUID.randomUUID().toString().substring(0, 8);

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

  private void ok(Result r) {
    assertEquals(0, r.exit(), r.out());
  }

  private JsonNode show(String qos) throws Exception {
    return json(openstack("volume", "qos", "show", qos, "-f", "json"));
  }

  @Test
  void createListShowSetUnsetDelete() throws Exception {
    String name = "cli-qos-" + unique;
    JsonNode created =
        json(
            openstack(
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
                "json"));
    String id = created.get("id").asText();
    assertEquals(name, created.get("name").asText());
    assertEquals("front-end", created.get("consumer").asText());
    assertEquals("1000", created.get("properties").get("total_iops_sec").asText());

    JsonNode listed = json(openstack("volume", "qos", "list", "-f", "json"));
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

    ok(openstack("volume", "qos", "set", "--property", "write_iops_sec=500", id));
    assertEquals("500", show(id).get("properties").get("write_iops_sec").asText());

    ok(openstack("volume", "qos", "unset", "--property", "read_bytes_sec", id));
    JsonNode properties = show(id).get("properties");
    assertFalse(properties.has("read_bytes_sec"), properties.toString());
    assertTrue(properties.has("total_iops_sec"), properties.toString());

    ok(openstack("volume", "qos", "delete", name));
    Result gone = openstack("volume", "qos", "show", id);
    assertNotEquals(0, gone.exit(), gone.out());
  }

  @Test
  void associateDisassociateAndForceDelete() throws Exception {
    String type = "cli-qos-type-" + unique;
    ok(openstack("volume", "type", "create", type));
    String qos = "cli-qos-assoc-" + unique;
    ok(openstack("volume", "qos", "create", "--property", "total_iops_sec=100", qos));

    ok(openstack("volume", "qos", "associate", qos, type));
    JsonNode shown = show(qos);
    assertTrue(shown.get("associations").toString().contains(type), shown.toString());

    Result inUse = openstack("volume", "qos", "delete", qos);
    assertNotEquals(0, inUse.exit(), inUse.out());
    assertTrue(inUse.out().contains("Failed to delete"), inUse.out());

    ok(openstack("volume", "qos", "disassociate", "--volume-type", type, qos));
    assertFalse(show(qos).has("associations"));

    ok(openstack("volume", "qos", "associate", qos, type));
    ok(openstack("volume", "qos", "disassociate", "--all", qos));
    assertFalse(show(qos).has("associations"));

    ok(openstack("volume", "qos", "associate", qos, type));
    ok(openstack("volume", "qos", "delete", "--force", qos));
    assertNotEquals(0, openstack("volume", "qos", "show", qos).exit());
    ok(openstack("volume", "type", "delete", type));
  }
}
