package io.ember.e2e;

import static io.ember.e2e.VolumeFiles.pattern;
import static io.ember.e2e.VolumeFiles.read;
import static io.ember.e2e.VolumeFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generic volume groups through Debian's {@code cinder} client at microversion 3.20, on the three
 * services: a group type, a group the scheduler places, a volume in it, the group's update, a group
 * snapshot, and the group's delete with its volumes; groups made from a group snapshot and from a
 * source group ({@code group-create-from-src}, 3.14) whose volumes hold the source's bytes.
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

  private void awaitGroupSnapshotStatus(String id, String wanted) throws Exception {
    String status = field(cinder("group-snapshot-show", id), "status");
    for (int i = 0; i < 60 && !wanted.equals(status); i++) {
      Thread.sleep(250);
      status = field(cinder("group-snapshot-show", id), "status");
    }
    assertEquals(wanted, status);
  }

  /** Waits until {@code cinder <show> id} fails, then checks it says {@code message}. */
  private void awaitGone(String show, String id, String message) throws Exception {
    Cli.Result gone = cinder(show, id);
    for (int i = 0; i < 60 && gone.exit() == 0; i++) {
      Thread.sleep(250);
      gone = cinder(show, id);
    }
    gone.refused(message);
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
    awaitGroupSnapshotStatus(groupSnapshot, "available");
    String snapshots = cinder("snapshot-list", "--volume-id", volume).ok().out();
    assertTrue(snapshots.contains("available"), snapshots);
    cinder("group-delete", "--delete-volumes", group).refused("Group has existing snapshots.");
    cinder("group-snapshot-delete", groupSnapshot).ok();
    awaitGone("group-snapshot-show", groupSnapshot, "No groupsnapshot with a name or ID of");

    cinder("group-delete", group).refused("The delete-volumes flag is required to delete it.");
    cinder("group-delete", "--delete-volumes", group).ok();
    cli.awaitVolumeGone(volume);
    awaitGone("group-show", group, "No group with a name or ID of");
    cinder("group-type-delete", groupType).ok();
    cli.openstack("volume", "type", "delete", volumeType).ok();
  }

  /** The backing file of an available volume on the host the API says holds it. */
  private Path file(String volume) throws Exception {
    String pool = field(cinder("show", volume), "os-vol-host-attr:host");
    String host = pool.substring(0, pool.indexOf('#'));
    return stack.dataDirectory(host).resolve("volumes").resolve(volume + ".img");
  }

  /** The ids of the volumes of {@code group} (cinderclient's list, filtered by group). */
  private List<String> volumesOf(String group) throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    for (var v : cli.json("volume", "list", "--long")) {
      String id = v.get("ID").asText();
      if (group.equals(field(cinder("show", id), "group_id"))) {
        ids.add(id);
      }
    }
    return ids;
  }

  @Test
  void groupsFromAGroupSnapshotAndFromASourceGroupHoldTheSourcesBytes() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String volumeType = cli.json("volume", "type", "create", "src-vt-" + suffix).get("id").asText();
    String groupType = column(cinder("group-type-create", "src-gt-" + suffix), "ID");
    String source =
        field(cinder("group-create", "--name", "src-" + suffix, groupType, volumeType), "id");
    awaitGroupStatus(source, "available");
    String volume =
        field(cinder("create", "--group-id", source, "--volume-type", volumeType, "1"), "id");
    cli.awaitVolumeStatus(volume, "available");
    byte[] atSnapshot = pattern(41);
    byte[] later = pattern(42);
    Path original = file(volume);
    write(original, 0, atSnapshot);

    String groupSnapshot = field(cinder("group-snapshot-create", source), "id");
    awaitGroupSnapshotStatus(groupSnapshot, "available");
    // After the group snapshot the source changes: the snapshot keeps the point in time.
    write(original, 0, later);

    Cli.Result none = cli.cinder("--os-volume-api-version", "3.14", "group-create-from-src");
    none.refused("neither group snapshot nor source group");
    Cli.Result fromSnapshot =
        cli.cinder(
            "--os-volume-api-version",
            "3.14",
            "group-create-from-src",
            "--group-snapshot",
            groupSnapshot,
            "--name",
            "from-gs-" + suffix);
    String copyGroup = field(fromSnapshot, "id");
    assertEquals("from-gs-" + suffix, field(fromSnapshot, "name"));
    awaitGroupStatus(copyGroup, "available");
    assertEquals(groupSnapshot, field(cinder("group-show", copyGroup), "group_snapshot_id"));
    assertEquals(groupType, field(cinder("group-show", copyGroup), "group_type"));
    List<String> copies = volumesOf(copyGroup);
    assertEquals(1, copies.size(), "one volume per snapshot: " + copies);
    cli.awaitVolumeStatus(copies.get(0), "available");
    assertArrayEquals(atSnapshot, read(file(copies.get(0)), 0, atSnapshot.length));
    assertEquals(file(volume).getParent(), file(copies.get(0)).getParent(), "where the source is");

    String cloneGroup =
        field(
            cli.cinder(
                "--os-volume-api-version",
                "3.14",
                "group-create-from-src",
                "--source-group",
                source,
                "--name",
                "from-grp-" + suffix),
            "id");
    awaitGroupStatus(cloneGroup, "available");
    assertEquals(source, field(cinder("group-show", cloneGroup), "source_group_id"));
    List<String> clones = volumesOf(cloneGroup);
    assertEquals(1, clones.size(), "one volume per source volume: " + clones);
    cli.awaitVolumeStatus(clones.get(0), "available");
    assertArrayEquals(later, read(file(clones.get(0)), 0, later.length));

    // While a group made from it exists, the group snapshot stays.
    cinder("group-snapshot-delete", groupSnapshot).refused("no Group can be currently using it");
    for (String group : List.of(copyGroup, cloneGroup)) {
      cinder("group-delete", "--delete-volumes", group).ok();
      awaitGone("group-show", group, "No group with a name or ID of");
    }
    cinder("group-snapshot-delete", groupSnapshot).ok();
    awaitGone("group-snapshot-show", groupSnapshot, "No groupsnapshot with a name or ID of");
    cinder("group-delete", "--delete-volumes", source).ok();
    cli.awaitVolumeGone(volume);
  }
}
