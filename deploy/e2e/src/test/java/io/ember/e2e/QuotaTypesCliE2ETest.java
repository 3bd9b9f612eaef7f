package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.e2e.Cli.Result;
import java.util.UUID;
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

  static EmberStack stack;

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
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
    JsonNode type = Cli.admin(stack, project).json("volume", "type", "create", name);
    return type.get("id").asText();
  }

  private static Result createVolume(String project, String type, String name) throws Exception {
    return Cli.admin(stack, project)
        .openstack("volume", "create", "--size", "1", "--type", type, name, "-f", "json");
  }

  @Test
  void aProjectsQuotaPerTypeWithTheClis() throws Exception {
    String project = Cli.newProject();
    String type = "cli-quota-" + suffix;
    createType(project, type);

    String shown = Cli.admin(stack, project).cinder("quota-show", project).ok().out();
    for (String base : new String[] {"volumes", "gigabytes", "snapshots"}) {
      assertEquals("-1", cell(shown, base + "_" + type));
      assertEquals("-1", cell(shown, base + "___DEFAULT__"));
    }

    String updated =
        Cli.admin(stack, project)
            .cinder("quota-update", "--volume-type", type, "--volumes", "1", project)
            .ok()
            .out();
    assertEquals("1", cell(updated, "volumes_" + type));
    assertEquals(
        "1",
        cell(
            Cli.admin(stack, project).cinder("quota-show", project).ok().out(), "volumes_" + type));

    createVolume(project, type, "q-" + suffix).ok();
    String usage = Cli.admin(stack, project).cinder("quota-usage", project).ok().out();
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
    String admin = Cli.newProject();
    String type = "cli-class-" + suffix;
    createType(admin, type);

    String before = Cli.admin(stack, admin).cinder("quota-class-show", "default").ok().out();
    assertEquals("-1", cell(before, "volumes_" + type));
    String volumesBefore = cell(before, "volumes");

    Cli.admin(stack, admin)
        .openstack("quota", "set", "--class", "--volume-type", type, "--volumes", "2", "default")
        .ok();
    Cli.admin(stack, admin).openstack("quota", "set", "--class", "--volumes", "37", "default").ok();
    try {
      String after = Cli.admin(stack, admin).cinder("quota-class-show", "default").ok().out();
      assertEquals("2", cell(after, "volumes_" + type));
      assertEquals("37", cell(after, "volumes"));

      // A project without limits of its own has the class's.
      String fresh = Cli.newProject();
      String defaults = Cli.admin(stack, fresh).cinder("quota-defaults", fresh).ok().out();
      assertEquals("2", cell(defaults, "volumes_" + type));
      assertEquals("37", cell(defaults, "volumes"));
      assertEquals(
          "2",
          cell(Cli.admin(stack, fresh).cinder("quota-show", fresh).ok().out(), "volumes_" + type));
      createVolume(fresh, type, "c1-" + suffix).ok();
      createVolume(fresh, type, "c2-" + suffix).ok();
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
      Result asMember = Cli.member(stack, fresh).cinder("quota-class-show", "default");
      assertNotEquals(0, asMember.exit(), asMember.out());
      assertTrue(
          asMember
              .out()
              .contains("Policy doesn't allow volume_extension:quota_classes:get to be performed."),
          asMember.out());
    } finally {
      // The stack is shared: the default class's volumes back as they were.
      Cli.admin(stack, admin)
          .openstack("quota", "set", "--class", "--volumes", volumesBefore, "default")
          .ok();
    }
  }
}
