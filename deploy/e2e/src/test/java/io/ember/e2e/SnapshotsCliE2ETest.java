package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Snapshots through Debian's {@code openstack} and {@code cinder} clients, on the three services:
 * create, list, show, set, unset, a volume from a snapshot, and the refusals a user meets.
 */
class SnapshotsCliE2ETest {

  static EmberStack stack;

  private final Cli cli = Cli.admin(stack);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  private String availableVolume(String name, int size) throws Exception {
    String id =
        cli.json("volume", "create", "--size", String.valueOf(size), name).get("id").asText();
    cli.awaitVolumeStatus(id, "available");
    return id;
  }

  @Test
  void snapshotLifecycleAndAVolumeFromIt() throws Exception {
    String volume = availableVolume("snap-source", 2);

    JsonNode created =
        cli.json(
            "volume",
            "snapshot",
            "create",
            "--volume",
            volume,
            "--description",
            "before the upgrade",
            "--property",
            "purpose=backup",
            "cli-snap");
    String snapshot = created.get("id").asText();
    assertEquals("cli-snap", created.get("name").asText());
    assertEquals(volume, created.get("volume_id").asText());
    assertEquals(2, created.get("size").asInt());

    JsonNode shown = cli.awaitSnapshotStatus(snapshot, "available");
    assertEquals("before the upgrade", shown.get("description").asText());
    assertTrue(shown.get("properties").toString().contains("purpose"), shown.toString());

    JsonNode listed = cli.json("volume", "snapshot", "list");
    assertEquals(1, listed.size(), listed.toString());
    assertEquals(snapshot, listed.get(0).get("ID").asText());
    assertEquals("available", listed.get(0).get("Status").asText());
    assertEquals(2, listed.get(0).get("Size").asInt());

    cli.openstack("volume", "snapshot", "set", "--name", "renamed", "--property", "k=v", snapshot)
        .ok();
    cli.openstack("volume", "snapshot", "unset", "--property", "purpose", snapshot).ok();
    shown = cli.json("volume", "snapshot", "show", "renamed");
    assertEquals(snapshot, shown.get("id").asText());
    assertTrue(shown.get("properties").toString().contains("k"), shown.toString());
    assertFalse(shown.get("properties").toString().contains("purpose"), shown.toString());

    // A volume with snapshots cannot be deleted; one made from the snapshot takes its size.
    cli.openstack("volume", "delete", volume).refused("snapshots");
    JsonNode fromSnapshot = cli.json("volume", "create", "--snapshot", snapshot, "from-snap");
    String copy = fromSnapshot.get("id").asText();
    JsonNode copyShown = cli.awaitVolumeStatus(copy, "available");
    assertEquals(2, copyShown.get("size").asInt());
    assertEquals(snapshot, copyShown.get("snapshot_id").asText());

    // Not smaller than the snapshot (OSC raises the size itself; cinderclient asks the API).
    cli.cinder("create", "--snapshot-id", snapshot, "1")
        .refused(
            "cannot be smaller than the snapshot size 2GB. They must be >= original snapshot size.");

    cli.openstack("volume", "delete", copy).ok();
    cli.openstack("volume", "snapshot", "delete", snapshot).ok();
    awaitSnapshotGone(snapshot);
    cli.openstack("volume", "delete", volume).ok();
    cli.awaitVolumeGone(volume);
    cli.awaitVolumeGone(copy);
  }

  @Test
  void cinderCascadeDeletesAVolumeWithItsSnapshots() throws Exception {
    String volume = availableVolume("cascade-source", 1);
    String snapshot =
        cli.json("volume", "snapshot", "create", "--volume", volume, "cascade-snap")
            .get("id")
            .asText();
    cli.awaitSnapshotStatus(snapshot, "available");

    cli.cinder("delete", "--cascade", volume).ok();
    awaitSnapshotGone(snapshot);
    cli.awaitVolumeGone(volume);
  }

  @Test
  void snapshotsOfMissingOrBusyVolumesAreRefused() throws Exception {
    cli.openstack("volume", "snapshot", "create", "--volume", "no-such-volume", "x")
        .refused("No volume with a name or ID of 'no-such-volume' exists.");
    cli.openstack("volume", "snapshot", "show", "no-such-snapshot")
        .refused("No snapshot with a name or ID of 'no-such-snapshot' exists.");

    String volume = availableVolume("busy-source", 1);
    cli.openstack("volume", "set", "--state", "in-use", volume).ok();
    cli.openstack("volume", "snapshot", "create", "--volume", volume, "busy")
        .refused("must be available");
    // --force takes a snapshot of an in-use volume, as Cinder does.
    String forced =
        cli.json("volume", "snapshot", "create", "--volume", volume, "--force", "forced")
            .get("id")
            .asText();
    cli.awaitSnapshotStatus(forced, "available");
    cli.openstack("volume", "snapshot", "delete", forced).ok();
    awaitSnapshotGone(forced);
    cli.openstack("volume", "set", "--state", "available", volume).ok();
    cli.openstack("volume", "delete", volume).ok();
    cli.awaitVolumeGone(volume);
  }

  private void awaitSnapshotGone(String id) throws Exception {
    Cli.Result gone = cli.openstack("volume", "snapshot", "show", id);
    for (int i = 0; i < 60 && gone.exit() == 0; i++) {
      Thread.sleep(250);
      gone = cli.openstack("volume", "snapshot", "show", id);
    }
    gone.refused("No snapshot with a name or ID");
  }
}
