package io.ember.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Volume types steer placement on the stack's two different hosts (node1 thin with {@code
 * tier=gold}, node2 thick; {@link EmberStack#HOST_PROPERTIES}), driven with Debian's {@code
 * openstack} CLI: a type lands where its extra specs say, a type no host satisfies ends in {@code
 * error} with a user message, and a type's back-end QoS spec reaches the volume host's driver.
 */
class TypePlacementE2ETest {

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
    Processes.Output out =
        Processes.run(
            new ProcessBuilder(command).redirectErrorStream(true), Duration.ofSeconds(90));
    return new Result(out.exit(), out.stdout());
  }

  private JsonNode json(Result r) throws IOException {
    assertEquals(0, r.exit(), r.out());
    return JSON.readTree(r.out());
  }

  /** A public type with the given {@code --property} extra specs; returns its name. */
  private String type(String name, String... properties) throws Exception {
    List<String> args = new ArrayList<>(List.of("volume", "type", "create"));
    for (String p : properties) {
      args.add("--property");
      args.add(p);
    }
    args.addAll(List.of(name + "-" + unique, "-f", "json"));
    return json(openstack(args.toArray(String[]::new))).get("name").asText();
  }

  /** Creates a volume of {@code type}, waits until it leaves {@code creating}; returns its show. */
  private JsonNode volume(String type, String wanted) throws Exception {
    String id =
        json(openstack(
                "volume", "create", "--size", "1", "--type", type, "v-" + type, "-f", "json"))
            .get("id")
            .asText();
    JsonNode shown = null;
    String status = "creating";
    for (int i = 0; i < 120 && status.equals("creating"); i++) {
      shown = json(openstack("volume", "show", id, "-f", "json"));
      status = shown.get("status").asText();
      if (status.equals("creating")) {
        Thread.sleep(250);
      }
    }
    assertEquals(wanted, status, shown == null ? "" : shown.toString());
    return shown;
  }

  private static String host(JsonNode shown) {
    return shown.get("os-vol-host-attr:host").asText();
  }

  @Test
  void aTypeWithACustomCapabilityLandsOnTheHostThatReportsIt() throws Exception {
    String gold = type("gold", "tier=gold");
    String scoped = type("gold-scoped", "capabilities:tier=<or> silver <or> gold");
    for (int i = 0; i < 3; i++) {
      assertEquals("node1@fake#fake", host(volume(gold, "available")));
    }
    assertEquals("node1@fake#fake", host(volume(scoped, "available")));
  }

  @Test
  void aThickTypeLandsOnTheThickHost() throws Exception {
    String thick = type("thick", "provisioning:type=thick");
    String thickByCapability =
        type("thick-cap", "capabilities:thick_provisioning_support=<is> True");
    for (int i = 0; i < 3; i++) {
      assertEquals("node2@fake#fake", host(volume(thick, "available")));
    }
    assertEquals("node2@fake#fake", host(volume(thickByCapability, "available")));
  }

  @Test
  void aTypeNoHostSatisfiesEndsInErrorWithAUserMessage() throws Exception {
    String nowhere = type("nowhere", "tier=gold", "provisioning:type=thick");
    String id = volume(nowhere, "error").get("id").asText();

    given()
        .baseUri(stack.apiUrl())
        .header("X-Auth-Token", "admin:" + project)
        .header("OpenStack-API-Version", "volume 3.3")
        .get("/v3/" + project + "/messages")
        .then()
        .statusCode(200)
        .body("messages[0].resource_uuid", org.hamcrest.Matchers.equalTo(id))
        .body("messages[0].event_id", org.hamcrest.Matchers.equalTo("VOLUME_VOLUME_001_003"))
        .body(
            "messages[0].user_message",
            org.hamcrest.Matchers.equalTo(
                "schedule allocate volume:Could not find any available weighted backend."));
  }

  @Test
  void aTypesBackEndQosReachesTheVolumeHostsDriver() throws Exception {
    JsonNode qos =
        json(
            openstack(
                "volume",
                "qos",
                "create",
                "--consumer",
                "back-end",
                "--property",
                "total_iops_sec=500",
                "qos-" + unique,
                "-f",
                "json"));
    String qosId = qos.get("id").asText();
    String frontEnd =
        json(openstack(
                "volume",
                "qos",
                "create",
                "--consumer",
                "front-end",
                "--property",
                "read_iops_sec=7",
                "fe-" + unique,
                "-f",
                "json"))
            .get("id")
            .asText();
    String gold = type("gold-qos", "tier=gold");
    String plain = type("fe-qos");
    assertEquals(0, openstack("volume", "qos", "associate", qosId, gold).exit());
    assertEquals(0, openstack("volume", "qos", "associate", frontEnd, plain).exit());

    assertEquals("node1@fake#fake", host(volume(gold, "available")));
    volume(plain, "available");

    String metrics =
        given().get(stack.url("volume-node1") + "/q/metrics").then().extract().asString();
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("ember_fake_qos_volumes{")
                        && l.contains("qos_specs_id=\"" + qosId + "\"")
                        && l.contains("consumer=\"back-end\"")
                        && l.contains("specs=\"total_iops_sec=500\"")
                        && l.endsWith(" 1.0")),
        "node1's driver got the back-end QoS:\n" + metrics);
    for (String host : List.of("volume-node1", "volume-node2")) {
      String m = given().get(stack.url(host) + "/q/metrics").then().extract().asString();
      assertTrue(!m.contains(frontEnd), "a front-end spec stays with the api: " + host);
    }
  }
}
