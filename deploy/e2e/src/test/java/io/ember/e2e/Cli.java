package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

/**
 * Debian's real {@code openstack} and {@code cinder} clients, as the admin (or a member) of one
 * project in noauth mode, against a stack: the options the README documents. {@code .ci/run}
 * installs them.
 */
final class Cli {

  static final String OPENSTACK = "/usr/bin/openstack";
  static final String CINDER = "/usr/bin/cinder";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a client printed (stdout and stderr together) and how it exited. */
  record Result(int exit, String out) {

    /** Asserts the client succeeded. */
    Result ok() {
      assertEquals(0, exit, out);
      return this;
    }

    /** Asserts the client succeeded and reads what it printed with {@code -f json}. */
    JsonNode json() throws IOException {
      return JSON.readTree(ok().out);
    }

    /** Asserts the client failed and said {@code expected}. */
    Result refused(String expected) {
      assertNotEquals(0, exit, out);
      assertTrue(out.contains(expected), out);
      return this;
    }
  }

  private final List<String> apiUrls;
  private final String project;
  private final String role;
  // Which api the next invocation talks to: each client run takes one endpoint, the next run the
  // next api, so a test's create, show and delete go through different replicas.
  private int next;

  private Cli(EmberStack stack, String project, String role) {
    this(stack.apiUrls(), project, role);
    // Spread the callers too: each starts at the api next in the stack's turn.
    next = apiUrls.indexOf(stack.apiUrl());
  }

  private Cli(List<String> apiUrls, String project, String role) {
    this.apiUrls = List.copyOf(apiUrls);
    this.project = project;
    this.role = role;
  }

  /** The same caller, talking only to the api process at {@code url} (one replica of several). */
  Cli at(String url) {
    return new Cli(List.of(url), project, role);
  }

  /** The api the next client run talks to. */
  private synchronized String apiUrl() {
    return apiUrls.get(Math.floorMod(next++, apiUrls.size()));
  }

  /** The admin of {@code project}. */
  static Cli admin(EmberStack stack, String project) {
    return new Cli(stack, project, "admin");
  }

  /** The admin of a project of its own. */
  static Cli admin(EmberStack stack) {
    return admin(stack, newProject());
  }

  /** A member (no admin role) of {@code project}. */
  static Cli member(EmberStack stack, String project) {
    return new Cli(stack, project, "member");
  }

  /** A project id no other test uses, in the form Keystone gives them. */
  static String newProject() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** Fails the class early, with the fix, when the clients are not installed. */
  static void requireClients() {
    for (String client : List.of(OPENSTACK, CINDER)) {
      assertTrue(
          Files.isExecutable(Path.of(client)),
          client + " is missing: run deploy/local/ember clients");
    }
  }

  /** The {@code id} of the property table a cinder command printed. */
  static String idIn(String table) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\|\\s*id\\s*\\|\\s*([0-9a-f-]{36})\\s*\\|")
            .matcher(table);
    assertTrue(m.find(), table);
    return m.group(1);
  }

  String project() {
    return project;
  }

  Result openstack(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(OPENSTACK);
    command.addAll(
        List.of(
            "--os-auth-type", "admin_token",
            "--os-token", role + ":" + project,
            "--os-endpoint", apiUrl() + "/v3/" + project));
    command.addAll(List.of(args));
    return run(command);
  }

  Result cinder(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(CINDER);
    command.addAll(
        List.of(
            "--os-auth-type",
            "noauth",
            "--os-user-id",
            role,
            "--os-project-id",
            project,
            "--os-endpoint",
            apiUrl() + "/v3"));
    command.addAll(List.of(args));
    return run(command);
  }

  /** {@code openstack ARGS -f json}, which must succeed. */
  JsonNode json(String... args) throws IOException, InterruptedException {
    List<String> withFormat = new ArrayList<>(List.of(args));
    withFormat.addAll(List.of("-f", "json"));
    return openstack(withFormat.toArray(String[]::new)).json();
  }

  /** Waits up to 15 s for {@code openstack volume show} to give {@code wanted}. */
  JsonNode awaitVolumeStatus(String id, String wanted) throws Exception {
    return awaitStatus("volume", id, wanted);
  }

  /** Waits up to 15 s for {@code openstack volume snapshot show} to give {@code wanted}. */
  JsonNode awaitSnapshotStatus(String id, String wanted) throws Exception {
    return awaitStatus("volume snapshot", id, wanted);
  }

  private JsonNode awaitStatus(String resource, String id, String wanted) throws Exception {
    List<String> show = new ArrayList<>(List.of(resource.split(" ")));
    show.addAll(List.of("show", id));
    JsonNode shown = json(show.toArray(String[]::new));
    for (int i = 0; i < 60 && !wanted.equals(shown.get("status").asText()); i++) {
      Thread.sleep(250);
      shown = json(show.toArray(String[]::new));
    }
    assertEquals(wanted, shown.get("status").asText(), shown.toString());
    return shown;
  }

  /** Waits up to 15 s for the volume to be gone, as the client says it. */
  void awaitVolumeGone(String id) throws Exception {
    Result gone = openstack("volume", "show", id);
    for (int i = 0; i < 60 && gone.exit() == 0; i++) {
      Thread.sleep(250);
      gone = openstack("volume", "show", id);
    }
    gone.refused("No volume with a name or ID");
  }

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Processes.Output out =
        Processes.run(
            new ProcessBuilder(command).redirectErrorStream(true), Duration.ofSeconds(90));
    return new Result(out.exit(), out.stdout());
  }
}
