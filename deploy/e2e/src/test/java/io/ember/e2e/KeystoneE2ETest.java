package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Ember in Keystone mode against a real Keystone ({@code deploy/local/ember keystone-up}): users
 * log in with a password from a {@code clouds.yaml}, and Debian's {@code openstack} CLI finds Ember
 * in Keystone's catalog. A stack of its own (api in Keystone mode, scheduler, one volume host) so
 * the shared noauth stack is untouched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeystoneE2ETest {

  private static final String OPENSTACK = "/usr/bin/openstack";
  private static final String KEYSTONE = "http://127.0.0.1:5000/v3";
  private static final String PASSWORD = "e2e-secret";
  private static final ObjectMapper JSON = new ObjectMapper();
  // openstackclient's --expiration format, read by Keystone as UTC.
  private static final DateTimeFormatter KEYSTONE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private static Path root;
  private static Path clouds;
  private static EmberStack stack;
  private static boolean keystoneStartedHere;
  private static String projectA;
  private static String projectB;

  @BeforeAll
  static void startKeystoneAndStack() throws Exception {
    long t0 = System.nanoTime();
    root = Path.of(System.getProperty("ember.root", "../..")).toAbsolutePath().normalize();
    int apiPort = EmberStack.freeApiPort();
    // keystone-up installs Debian's packages when missing (as root) and registers the catalog.
    Result up =
        script(Map.of("EMBER_KEYSTONE_VOLUME_URL", "http://127.0.0.1:" + apiPort), "keystone-up");
    if (up.exit() != 0
        && (up.out().contains("apt-get") || up.out().contains("need root to install"))) {
      Assumptions.abort("Keystone's Debian packages cannot be installed here: " + up.out());
    }
    assertEquals(0, up.exit(), up.out());
    keystoneStartedHere = !up.out().contains("already running");
    Result users =
        script(
            Map.of(),
            "keystone-user",
            "e2e-alice",
            PASSWORD,
            "ember-e2e-a",
            "member",
            "e2e-rita",
            PASSWORD,
            "ember-e2e-a",
            "reader",
            "e2e-bob",
            PASSWORD,
            "ember-e2e-b",
            "member");
    assertEquals(0, users.exit(), users.out());
    List<String> ids = users.stdout().lines().filter(l -> l.matches("[0-9a-f]{32}")).toList();
    assertEquals(3, ids.size(), users.out());
    projectA = ids.get(0);
    projectB = ids.get(2);
    List<String> dbUp = new ArrayList<>(List.of("db-up"));
    dbUp.addAll(EmberStack.databases("keystone"));
    Result dbs = script(Map.of(), dbUp.toArray(String[]::new));
    assertEquals(0, dbs.exit(), dbs.out());
    long keystoneReady = System.nanoTime();

    Map<String, String> api = new LinkedHashMap<>();
    api.put("EMBER_AUTH_STRATEGY", "keystone");
    api.put("EMBER_AUTH_KEYSTONE_URL", KEYSTONE);
    api.put("EMBER_AUTH_KEYSTONE_USERNAME", "ember");
    api.put(
        "EMBER_AUTH_KEYSTONE_PASSWORD",
        System.getenv().getOrDefault("EMBER_KEYSTONE_EMBER_PASSWORD", "ember-service"));
    // Revocation is noticed once a validation is this old (keystonemiddleware: 300 s).
    api.put("EMBER_AUTH_KEYSTONE_CACHE_TIME", "1s");
    stack = EmberStack.dedicated("keystone", apiPort, api);
    clouds = writeCloudsYaml();
    System.out.printf(
        "KeystoneE2ETest: Keystone and users ready in %d ms, stack in %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(keystoneReady - t0),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - keystoneReady));
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (keystoneStartedHere) {
      script(Map.of(), "keystone-down");
    }
  }

  @Test
  void membersWorkOnTheirProjectsVolumesThroughTheCatalogAndOnlyThere() throws Exception {
    JsonNode created =
        json(cli("e2e-alice", "volume", "create", "--size", "1", "ks-vol-a", "-f", "json"));
    String id = created.get("id").asText();
    String alice = token("e2e-alice");
    awaitStatus(alice, id, "available");

    JsonNode list = json(cli("e2e-alice", "volume", "list", "-f", "json"));
    assertTrue(contains(list, id), list.toString());
    JsonNode shown = json(cli("e2e-alice", "volume", "show", "ks-vol-a", "-f", "json"));
    assertEquals(id, shown.get("id").asText());

    // Project B's member neither sees nor reaches it.
    Result bobShow = cli("e2e-bob", "volume", "show", id);
    assertNotEquals(0, bobShow.exit(), bobShow.out());
    assertTrue(bobShow.out().contains("No volume with a name or ID"), bobShow.out());
    assertFalse(contains(json(cli("e2e-bob", "volume", "list", "-f", "json")), id));
    Result bobDelete = cli("e2e-bob", "volume", "delete", id);
    assertNotEquals(0, bobDelete.exit(), bobDelete.out());
    // ... not even with A's project in the URL.
    HttpResponse<String> crossed = get(token("e2e-bob"), "/v3/" + projectA + "/volumes/" + id);
    assertEquals(400, crossed.statusCode(), crossed.body());
    assertTrue(crossed.body().contains("Malformed request url"), crossed.body());

    // A reader of project A sees it and cannot write.
    assertTrue(contains(json(cli("e2e-rita", "volume", "list", "-f", "json")), id));
    Result ritaCreate = cli("e2e-rita", "volume", "create", "--size", "1", "ks-reader");
    assertNotEquals(0, ritaCreate.exit(), ritaCreate.out());
    assertTrue(
        ritaCreate.out().contains("Policy doesn't allow volume:create to be performed."),
        ritaCreate.out());
    Result ritaDelete = cli("e2e-rita", "volume", "delete", id);
    assertNotEquals(0, ritaDelete.exit(), ritaDelete.out());
    assertTrue(
        ritaDelete.out().contains("Policy doesn't allow volume:delete to be performed."),
        ritaDelete.out());

    assertEquals(0, cli("e2e-alice", "volume", "delete", id).exit());
    awaitGone(alice, id);
    assertFalse(contains(json(cli("e2e-alice", "volume", "list", "-f", "json")), id));
  }

  @Test
  void adminOnlyApisAnswerToTheAdminRoleAlone() throws Exception {
    Result member = cli("e2e-alice", "volume", "service", "list");
    assertNotEquals(0, member.exit(), member.out());
    assertTrue(
        member
            .out()
            .contains("Policy doesn't allow volume_extension:services:index to be performed."),
        member.out());
    Result reader = cli("e2e-rita", "volume", "type", "create", "ks-type");
    assertNotEquals(0, reader.exit(), reader.out());
    assertTrue(
        reader.out().contains("Policy doesn't allow volume_extension:type_create to be performed."),
        reader.out());
    // Keystone's admin (role admin in project admin) is Cinder's admin.
    assertTrue(json(cli("admin", "volume", "service", "list", "-f", "json")).isArray());
  }

  /**
   * OSC's {@code volume type set --project} names the project as Keystone knows it: with a catalog
   * it resolves, so a private type is opened to project B by name (in noauth mode the e2e tests use
   * cinderclient for it).
   */
  @Test
  void aPrivateTypeIsOpenedToAProjectByItsKeystoneName() throws Exception {
    String name = "ks-private-" + UUID.randomUUID().toString().substring(0, 8);
    Result created = cli("admin", "volume", "type", "create", "--private", name);
    assertEquals(0, created.exit(), created.out());
    assertFalse(
        json(cli("e2e-bob", "volume", "type", "list", "-f", "json")).toString().contains(name));

    Result opened = cli("admin", "volume", "type", "set", "--project", "ember-e2e-b", name);
    assertEquals(0, opened.exit(), opened.out());
    assertTrue(
        json(cli("e2e-bob", "volume", "type", "list", "-f", "json")).toString().contains(name));

    Result closed = cli("admin", "volume", "type", "unset", "--project", "ember-e2e-b", name);
    assertEquals(0, closed.exit(), closed.out());
    assertFalse(
        json(cli("e2e-bob", "volume", "type", "list", "-f", "json")).toString().contains(name));
    assertEquals(0, cli("admin", "volume", "type", "delete", name).exit());
  }

  @Test
  void missingUnknownAndRevokedTokensAre401WithWhereToAuthenticate() throws Exception {
    HttpResponse<String> none = get(null, "/v3/" + projectA + "/volumes");
    assertUnauthorized(none);
    HttpResponse<String> bogus = get("gAAAAABbogus-token", "/v3/" + projectA + "/volumes");
    assertUnauthorized(bogus);

    String alice = token("e2e-alice");
    assertEquals(200, get(alice, "/v3/" + projectA + "/volumes").statusCode());
    // X-Service-Token: checked too; a bogus one is refused even with a good user token.
    String service = token("ember");
    assertEquals(200, get(alice, "/v3/" + projectA + "/volumes", service).statusCode());
    assertUnauthorized(get(alice, "/v3/" + projectA + "/volumes", "gAAAAABbogus-service"));

    Result revoked = cli("admin", "token", "revoke", alice);
    assertEquals(0, revoked.exit(), revoked.out());
    // Refused once the cached validation is older than the cache time (1 s here).
    HttpResponse<String> after = null;
    for (int i = 0; i < 20; i++) {
      after = get(alice, "/v3/" + projectA + "/volumes");
      if (after.statusCode() != 200) {
        break;
      }
      Thread.sleep(250);
    }
    assertUnauthorized(after);
  }

  /**
   * Cinder's check for bug 2004555 through Keystone: a user's end of an attachment an instance may
   * use asks Nova, found in the user's catalog; this catalog has none, so Cinder's 500 and nothing
   * changes. With Nova's service token beside the user's (X-Service-Token), it goes.
   */
  @Test
  void aUserMayNotEndAnInstancesAttachmentButNovasServiceTokenMay() throws Exception {
    String alice = token("e2e-alice");
    String base = "/v3/" + projectA;
    HttpResponse<String> created =
        send("POST", alice, base + "/volumes", "{\"volume\": {\"size\": 1}}", null);
    assertEquals(202, created.statusCode(), created.body());
    String volume = JSON.readTree(created.body()).path("volume").path("id").asText();
    awaitStatus(alice, volume, "available");
    HttpResponse<String> reserved =
        send(
            "POST",
            alice,
            base + "/attachments",
            "{\"attachment\": {\"volume_uuid\": \""
                + volume
                + "\", \"instance_uuid\": \""
                + UUID.randomUUID()
                + "\", \"connector\": {\"initiator\": \"iqn.1993-08.org.debian:01:ks\","
                + " \"host\": \"compute-1\"}}}",
            null);
    assertEquals(200, reserved.statusCode(), reserved.body());
    String attachment = JSON.readTree(reserved.body()).path("attachment").path("id").asText();
    assertEquals(
        204,
        send(
                "POST",
                alice,
                base + "/attachments/" + attachment + "/action",
                "{\"os-complete\": null}",
                null)
            .statusCode());
    awaitStatus(alice, volume, "in-use");

    HttpResponse<String> refused =
        send("DELETE", alice, base + "/attachments/" + attachment, null, null);
    assertEquals(500, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("computeFault"), refused.body());
    awaitStatus(alice, volume, "in-use");

    HttpResponse<String> asNova =
        send("DELETE", alice, base + "/attachments/" + attachment, null, token("ember"));
    assertEquals(200, asNova.statusCode(), asNova.body());
    awaitStatus(alice, volume, "available");
    assertEquals(202, send("DELETE", alice, base + "/volumes/" + volume, null, null).statusCode());
    awaitGone(alice, volume);
  }

  @Test
  void anExpiredTokenIs401() throws Exception {
    // Keystone ends a token's life no later than its application credential's: a token that
    // expires within seconds, without changing Keystone's own token lifetime.
    Instant credentialEnd = Instant.now().plusSeconds(12);
    String name = "e2e-short-" + UUID.randomUUID().toString().substring(0, 8);
    JsonNode credential =
        json(
            cli(
                "e2e-alice",
                "application",
                "credential",
                "create",
                "--expiration",
                KEYSTONE_TIME.format(credentialEnd),
                name,
                "-f",
                "json"));
    try {
      Map<String, Object> secret =
          Map.of(
              "id", credential.path("id").asText(),
              "secret", credential.path("secret").asText());
      String body =
          JSON.writeValueAsString(
              Map.of(
                  "auth",
                  Map.of(
                      "identity",
                      Map.of(
                          "methods",
                          List.of("application_credential"),
                          "application_credential",
                          secret))));
      HttpResponse<String> issued =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(KEYSTONE + "/auth/tokens"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(201, issued.statusCode(), issued.body());
      String token = issued.headers().firstValue("X-Subject-Token").orElseThrow();
      // Capped by the credential, Keystone writes its time as it was given: UTC, without a zone.
      String expiresAt = JSON.readTree(issued.body()).path("token").path("expires_at").asText();
      Instant expires =
          expiresAt.endsWith("Z")
              ? Instant.parse(expiresAt)
              : LocalDateTime.parse(expiresAt).toInstant(ZoneOffset.UTC);
      assertFalse(expires.isAfter(credentialEnd.plusSeconds(1)), issued.body());

      assertEquals(200, get(token, "/v3/" + projectA + "/volumes").statusCode());
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), expires).toMillis()) + 1500);
      assertUnauthorized(get(token, "/v3/" + projectA + "/volumes"));
    } finally {
      cli("e2e-alice", "application", "credential", "delete", name);
    }
  }

  @Test
  @Order(Integer.MAX_VALUE) // it stops Keystone (and starts it again)
  void keystoneDownIs503AndTokensItVouchedForKeepWorking() throws Exception {
    String alice = token("e2e-alice");
    assertEquals(200, get(alice, "/v3/" + projectA + "/volumes").statusCode());
    String bob = token("e2e-bob"); // never shown to Ember yet
    assertEquals(0, script(Map.of(), "keystone-down").exit());
    try {
      Thread.sleep(1100); // past the cache time: Ember has to ask Keystone again
      HttpResponse<String> cached = get(alice, "/v3/" + projectA + "/volumes");
      assertEquals(200, cached.statusCode(), cached.body());
      HttpResponse<String> unknown = get(bob, "/v3/" + projectB + "/volumes");
      assertEquals(503, unknown.statusCode(), unknown.body());
      assertTrue(
          unknown.body().contains("The Keystone service is temporarily unavailable."),
          unknown.body());
    } finally {
      Result up = script(Map.of("EMBER_KEYSTONE_VOLUME_URL", stack.apiUrl()), "keystone-up");
      assertEquals(0, up.exit(), up.out());
    }
    assertEquals(200, get(bob, "/v3/" + projectB + "/volumes").statusCode());
  }

  private static void assertUnauthorized(HttpResponse<String> r) {
    assertEquals(401, r.statusCode(), r.body());
    assertEquals(
        "Keystone uri=\"" + KEYSTONE + "\"",
        r.headers().firstValue("WWW-Authenticate").orElse(null));
    assertTrue(r.body().contains("The request you have made requires authentication."), r.body());
  }

  // ---------------------------------------------------------------- helpers

  /** A command's exit code, its standard output, and both streams (for messages). */
  private record Result(int exit, String stdout, String out) {}

  private static Result script(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("deploy/local/ember").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    return run(pb, 300);
  }

  private static Result cli(String cloud, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(OPENSTACK, "--os-cloud", cloud));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("OS_"));
    pb.environment().put("OS_CLIENT_CONFIG_FILE", clouds.toString());
    return run(pb, 60);
  }

  private static Result run(ProcessBuilder pb, int seconds)
      throws IOException, InterruptedException {
    // Warnings (keystoneauth's discovery notes) go to stderr: keep them out of the JSON.
    Processes.Output out =
        Processes.run(pb.redirectErrorStream(false), Duration.ofSeconds(seconds));
    return new Result(out.exit(), out.stdout(), out.both());
  }

  private static JsonNode json(Result r) throws IOException {
    assertEquals(0, r.exit(), r.out());
    return JSON.readTree(r.stdout());
  }

  private static boolean contains(JsonNode list, String id) {
    for (JsonNode v : list) {
      if (id.equals(v.path("ID").asText())) {
        return true;
      }
    }
    return false;
  }

  private static String token(String cloud) throws Exception {
    Result r = cli(cloud, "token", "issue", "-f", "value", "-c", "id");
    assertEquals(0, r.exit(), r.out());
    return r.stdout().strip();
  }

  private static HttpResponse<String> get(String token, String path) throws Exception {
    return get(token, path, null);
  }

  private static HttpResponse<String> get(String token, String path, String serviceToken)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .GET();
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    if (serviceToken != null) {
      b.header("X-Service-Token", serviceToken);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** At the attachments' microversion (3.44), with an optional service token. */
  private static HttpResponse<String> send(
      String method, String token, String path, String body, String serviceToken) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
            .timeout(Duration.ofSeconds(60))
            .header("X-Auth-Token", token)
            .header("OpenStack-API-Version", "volume 3.44")
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (serviceToken != null) {
      b.header("X-Service-Token", serviceToken);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitStatus(String token, String id, String wanted) throws Exception {
    String status = "";
    for (int i = 0; i < 120 && !status.equals(wanted); i++) {
      HttpResponse<String> r = get(token, "/v3/" + projectA + "/volumes/" + id);
      assertEquals(200, r.statusCode(), r.body());
      status = JSON.readTree(r.body()).path("volume").path("status").asText();
      if (!status.equals(wanted)) {
        Thread.sleep(250);
      }
    }
    assertEquals(wanted, status);
  }

  private static void awaitGone(String token, String id) throws Exception {
    int code = 200;
    for (int i = 0; i < 120 && code == 200; i++) {
      code = get(token, "/v3/" + projectA + "/volumes/" + id).statusCode();
      if (code == 200) {
        Thread.sleep(250);
      }
    }
    assertEquals(404, code);
  }

  private static Path writeCloudsYaml() throws IOException {
    StringBuilder y = new StringBuilder("clouds:\n");
    Map<String, String[]> users = new LinkedHashMap<>();
    users.put("e2e-alice", new String[] {"e2e-alice", PASSWORD, "ember-e2e-a"});
    users.put("e2e-rita", new String[] {"e2e-rita", PASSWORD, "ember-e2e-a"});
    users.put("e2e-bob", new String[] {"e2e-bob", PASSWORD, "ember-e2e-b"});
    users.put(
        "admin",
        new String[] {
          "admin",
          System.getenv().getOrDefault("EMBER_KEYSTONE_ADMIN_PASSWORD", "ember-admin"),
          "admin"
        });
    users.put(
        "ember",
        new String[] {
          "ember",
          System.getenv().getOrDefault("EMBER_KEYSTONE_EMBER_PASSWORD", "ember-service"),
          "service"
        });
    for (Map.Entry<String, String[]> u : users.entrySet()) {
      y.append("  ")
          .append(u.getKey())
          .append(":\n")
          .append("    auth:\n")
          .append("      auth_url: ")
          .append(KEYSTONE)
          .append('\n')
          .append("      username: ")
          .append(u.getValue()[0])
          .append('\n')
          .append("      password: ")
          .append(u.getValue()[1])
          .append('\n')
          .append("      project_name: ")
          .append(u.getValue()[2])
          .append('\n')
          .append("      user_domain_id: default\n")
          .append("      project_domain_id: default\n")
          .append("    region_name: RegionOne\n")
          .append("    identity_api_version: 3\n")
          .append("    volume_api_version: 3\n");
    }
    Path dir = root.resolve("deploy/e2e/target/keystone-e2e");
    Files.createDirectories(dir);
    Path file = dir.resolve("clouds.yaml");
    Files.writeString(file, y.toString());
    return file;
  }
}
