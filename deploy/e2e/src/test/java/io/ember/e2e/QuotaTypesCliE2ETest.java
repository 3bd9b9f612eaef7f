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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quota per volume type and the default quota class through the real CLIs.
 *
 * <p>What OSC 6.0 can do here: {@code openstack quota set --class [--volume-type T] --volumes N
 * default} (straight to {@code os-quota-class-sets}). Its {@code quota show <project>}, {@code
 * quota show --class default} and {@code quota set <project>} first look the project (or the class
 * name) up in Keystone's {@code /projects}, which a Block Storage endpoint does not serve (Cinder
 * neither), so the project's quota is shown and set with cinderclient: {@code cinder quota-show},
 * {@code quota-usage}, {@code quota-update --volume-type}, {@code quota-class-show}.
 */
class QuotaTypesCliE2ETest {

  private static final String OPENSTACK = "/usr/bin/openstack";
  private static final String CINDER = "/usr/bin/cinder";
  private static final ObjectMapper JSON = new ObjectMapper();
  static EmberStack stack;

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startStack() throws Exception {
    assertTrue(Files.isExecutable(Path.of(OPENSTACK)), OPENSTACK + " is missing");
    assertTrue(Files.isExecutable(Path.of(CINDER)), CINDER + " is missing");
    stack = EmberStack.shared();
  }

  private record Result(int exit, String out) {}

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "CLI timed out");
    return new Result(p.exitValue(), out);
  }

  private static Result openstack(String project, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(OPENSTACK);
    command.addAll(
        List.of(
            "--os-auth-type", "admin_token",
            "--os-token", "admin:" + project,
            "--os-endpoint", stack.apiUrl() + "/v3/" + project));
    command.addAll(List.of(args));
    return run(command);
  }

  private static Result cinder(String project, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(CINDER);
    command.addAll(
        List.of(
            "--os-auth-type",
            "noauth",
            "--os-user-id",
            "admin",
            "--os-project-id",
            project,
            "--os-endpoint",
            stack.apiUrl() + "/v3"));
    command.addAll(List.of(args));
    return run(command);
  }

  private static String newProject() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private static Result ok(Result r) {
    assertEquals(0, r.exit(), r.out());
    return r;
  }

  /** The value in the table row of {@code key} (cinderclient's "| key | value |" tables). */
  private static String cell(String table, String key) {
    Matcher m =
        Pattern.compile("\\|\\s*" + Pattern.quote(key) + "\\s*\\|\\s*(\\S+)\\s*\\|").matcher(table);
    assertTrue(m.find(), key + " not in\n" + table);
    return m.group(1);
  }

  /** The in-use value of {@code key} in {@code cinder quota-usage} (Type | In_use | ...). */
  private static String inUse(String table, String key) {
    Matcher m =
        Pattern.compile("\\|\\s*" + Pattern.quote(key) + "\\s*\\|\\s*(-?\\d+)\\s*\\|")
            .matcher(table);
    assertTrue(m.find(), key + " not in\n" + table);
    return m.group(1);
  }

  private static String createType(String project, String name) throws Exception {
    JsonNode type =
        JSON.readTree(ok(openstack(project, "volume", "type", "create", name, "-f", "json")).out());
    return type.get("id").asText();
  }

  private static Result createVolume(String project, String type, String name) throws Exception {
    return openstack(
        project, "volume", "create", "--size", "1", "--type", type, name, "-f", "json");
  }

  @Test
  void aProjectsQuotaPerTypeWithTheClis() throws Exception {
    String project = newProject();
    String type = "cli-quota-" + suffix;
    createType(project, type);

    String shown = ok(cinder(project, "quota-show", project)).out();
    for (String base : new String[] {"volumes", "gigabytes", "snapshots"}) {
      assertEquals("-1", cell(shown, base + "_" + type));
      assertEquals("-1", cell(shown, base + "___DEFAULT__"));
    }

    String updated =
        ok(cinder(project, "quota-update", "--volume-type", type, "--volumes", "1", project)).out();
    assertEquals("1", cell(updated, "volumes_" + type));
    assertEquals("1", cell(ok(cinder(project, "quota-show", project)).out(), "volumes_" + type));

    ok(createVolume(project, type, "q-" + suffix));
    String usage = ok(cinder(project, "quota-usage", project)).out();
    assertEquals("1", inUse(usage, "volumes_" + type));
    assertEquals("1", inUse(usage, "gigabytes_" + type));
    assertEquals("0", inUse(usage, "volumes___DEFAULT__"));

    Result over = createVolume(project, type, "q2-" + suffix);
    assertNotEquals(0, over.exit(), over.out());
    assertTrue(
        over.out()
            .contains(
                "VolumeLimitExceeded: Maximum number of volumes allowed (1) exceeded for quota"
                    + " 'volumes_"
                    + type
                    + "'."),
        over.out());
    assertTrue(over.out().contains("HTTP 413"), over.out());
  }

  @Test
  void theDefaultQuotaClassWithTheClis() throws Exception {
    String admin = newProject();
    String type = "cli-class-" + suffix;
    createType(admin, type);

    String before = ok(cinder(admin, "quota-class-show", "default")).out();
    assertEquals("-1", cell(before, "volumes_" + type));
    String volumesBefore = cell(before, "volumes");

    ok(
        openstack(
            admin, "quota", "set", "--class", "--volume-type", type, "--volumes", "2", "default"));
    ok(openstack(admin, "quota", "set", "--class", "--volumes", "37", "default"));
    try {
      String after = ok(cinder(admin, "quota-class-show", "default")).out();
      assertEquals("2", cell(after, "volumes_" + type));
      assertEquals("37", cell(after, "volumes"));

      // A project without limits of its own has the class's.
      String fresh = newProject();
      String defaults = ok(cinder(fresh, "quota-defaults", fresh)).out();
      assertEquals("2", cell(defaults, "volumes_" + type));
      assertEquals("37", cell(defaults, "volumes"));
      assertEquals("2", cell(ok(cinder(fresh, "quota-show", fresh)).out(), "volumes_" + type));
      ok(createVolume(fresh, type, "c1-" + suffix));
      ok(createVolume(fresh, type, "c2-" + suffix));
      Result over = createVolume(fresh, type, "c3-" + suffix);
      assertNotEquals(0, over.exit(), over.out());
      assertTrue(
          over.out()
              .contains(
                  "Maximum number of volumes allowed (2) exceeded for quota 'volumes_"
                      + type
                      + "'."),
          over.out());

      // Only admins may see or change a class.
      Result asMember =
          run(
              List.of(
                  CINDER,
                  "--os-auth-type",
                  "noauth",
                  "--os-user-id",
                  "alice",
                  "--os-project-id",
                  fresh,
                  "--os-endpoint",
                  stack.apiUrl() + "/v3",
                  "quota-class-show",
                  "default"));
      assertNotEquals(0, asMember.exit(), asMember.out());
      assertTrue(
          asMember
              .out()
              .contains("Policy doesn't allow volume_extension:quota_classes:get to be performed."),
          asMember.out());
    } finally {
      // The stack is shared: the default class's volumes back as they were.
      ok(openstack(admin, "quota", "set", "--class", "--volumes", volumesBefore, "default"));
    }
  }
}
