package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generic volume groups through Debian's {@code cinder} client at microversion 3.20, on the three
 * services: a group type, a group the scheduler places, a volume in it, the group's update, a group
 * snapshot, and the group's delete with its volumes.
 */
class GroupsCliE2ETest {

  private static final Pattern FIELD = Pattern.compile("\\|\\s*(\\S+)\\s*\\|\\s*(.*?)\\s*\\|");

  static EmberStack stack;

  private final Cli cli = Cli.admin(stack);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  private Cli.Result cinder(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "--os-volume-api-version";
    all[1] = "3.20";
    System.arraycopy(args, 0, all, 2, args.length);
    return cli.cinder(all);
  }

  /** A field of the property table cinderclient prints for one resource. */
  private static String field(Cli.Result result, String name) {
    Matcher m = FIELD.matcher(result.ok().out());
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(2);
      }
    }
    throw new AssertionError("no " + name + " in " + result.out());
  }

  /** A column of the one-row table cinderclient prints for a list-style answer. */
  private static String column(Cli.Result result, String name) {
    String[] lines = result.ok().out().split("\n");
    for (int i = 0; i + 2 < lines.length; i++) {
      if (lines[i].startsWith("|") && lines[i].contains(" " + name + " ")) {
        String[] header = lines[i].split("\\|");
        String[] row = lines[i + 2].split("\\|");
        for (int c = 0; c < header.length && c < row.length; c++) {
          if (header[c].trim().equals(name)) {
            return row[c].trim();
          }
        }
      }
    }
    throw new AssertionError("no column " + name + " in " + result.out());
  }

  private String awaitGroupStatus(String id, String wanted) throws Exception {
    String status = field(cinder("group-show", id), "status");
    for (int i = 0; i < 60 && !wanted.equals(status); i++) {
      Thread.sleep(250);
      status = field(cinder("group-show", id), "status");
    }
    assertEquals(wanted, status);
    return status;
  }

  @Test
  void groupTypeGroupVolumeUpdateAndDeleteWithVolumes() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String volumeType = cli.json("volume", "type", "create", "grp-vt-" + suffix).get("id").asText();
    String groupType = column(cinder("group-type-create", "grp-gt-" + suffix), "ID");
    cinder("group-type-key", groupType, "set", "consistent_group_snapshot_enabled=<is> False").ok();
    assertTrue(cinder("group-type-list").ok().out().contains("grp-gt-" + suffix));

    String group =
        field(cinder("group-create", "--name", "grp-" + suffix, groupType, volumeType), "id");
    awaitGroupStatus(group, "available");

    String volume =
        field(
            cinder(
                "create",
                "--group-id",
                group,
                "--volume-type",
                volumeType,
                "--name",
                "in-grp",
                "1"),
            "id");
    cli.awaitVolumeStatus(volume, "available");
    assertEquals(group, field(cinder("show", volume), "group_id"));
    // A volume of a group is deleted with its group only.
    cli.cinder("delete", volume).refused("belong to a group");

    cinder("group-update", "--name", "grp-renamed-" + suffix, "--remove-volumes", volume, group)
        .ok();
    awaitGroupStatus(group, "available");
    assertEquals("None", field(cinder("show", volume), "group_id"));
    cinder("group-update", "--add-volumes", volume, group).ok();
    awaitGroupStatus(group, "available");
    assertEquals(group, field(cinder("show", volume), "group_id"));
    assertTrue(cinder("group-list").ok().out().contains("grp-renamed-" + suffix));

    // A group snapshot: a snapshot of its volume, on the volume's host.
    String groupSnapshot =
        field(cinder("group-snapshot-create", "--name", "gs-" + suffix, group), "id");
    String status = field(cinder("group-snapshot-show", groupSnapshot), "status");
    for (int i = 0; i < 60 && !"available".equals(status); i++) {
      Thread.sleep(250);
      status = field(cinder("group-snapshot-show", groupSnapshot), "status");
    }
    assertEquals("available", status);
    String snapshots = cinder("snapshot-list", "--volume-id", volume).ok().out();
    assertTrue(snapshots.contains("available"), snapshots);
    cinder("group-delete", "--delete-volumes", group).refused("Group has existing snapshots.");
    cinder("group-snapshot-delete", groupSnapshot).ok();
    Cli.Result snapshotGone = cinder("group-snapshot-show", groupSnapshot);
    for (int i = 0; i < 60 && snapshotGone.exit() == 0; i++) {
      Thread.sleep(250);
      snapshotGone = cinder("group-snapshot-show", groupSnapshot);
    }
    snapshotGone.refused("No groupsnapshot with a name or ID of");

    cinder("group-delete", group).refused("The delete-volumes flag is required to delete it.");
    cinder("group-delete", "--delete-volumes", group).ok();
    cli.awaitVolumeGone(volume);
    Cli.Result gone = cinder("group-show", group);
    for (int i = 0; i < 60 && gone.exit() == 0; i++) {
      Thread.sleep(250);
      gone = cinder("group-show", group);
    }
    gone.refused("No group with a name or ID of");
    cinder("group-type-delete", groupType).ok();
    cli.openstack("volume", "type", "delete", volumeType).ok();
  }
}
