package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Volume transfers between two projects through Debian's {@code openstack} and {@code cinder}
 * clients, on the three services: a volume and its snapshot offered by one project, refused with a
 * wrong key, accepted by the other, with the quota of both projects read before and after.
 */
class TransfersCliE2ETest {

  static EmberStack stack;

  private final String giverProject = Cli.newProject();
  private final String receiverProject = Cli.newProject();
  private final Cli giver = Cli.member(stack, giverProject);
  private final Cli receiver = Cli.member(stack, receiverProject);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  /** The in-use value of {@code key} in {@code cinder quota-usage} (Type | In_use | ...). */
  private static int inUse(String project, String key) throws Exception {
    String table = Cli.admin(stack, project).cinder("quota-usage", project).ok().out();
    Matcher m =
        Pattern.compile("\\|\\s*" + Pattern.quote(key) + "\\s*\\|\\s*(-?\\d+)\\s*\\|")
            .matcher(table);
    assertTrue(m.find(), key + " not in\n" + table);
    return Integer.parseInt(m.group(1));
  }

  private static void assertUsage(String project, int volumes, int gigabytes, int snapshots)
      throws Exception {
    assertEquals(volumes, inUse(project, "volumes"), "volumes of " + project);
    assertEquals(gigabytes, inUse(project, "gigabytes"), "gigabytes of " + project);
    assertEquals(snapshots, inUse(project, "snapshots"), "snapshots of " + project);
  }

  @Test
  void aVolumeAndItsSnapshotChangeProjectsWithTheOpenstackClient() throws Exception {
    String volume = giver.json("volume", "create", "--size", "2", "gift-volume").get("id").asText();
    giver.awaitVolumeStatus(volume, "available");
    String snapshot =
        giver
            .json("volume", "snapshot", "create", "--volume", volume, "gift-snap")
            .get("id")
            .asText();
    giver.awaitSnapshotStatus(snapshot, "available");
    assertUsage(giverProject, 1, 4, 1);
    assertUsage(receiverProject, 0, 0, 0);

    JsonNode created =
        giver.json("volume", "transfer", "request", "create", "--name", "gift", volume);
    String transfer = created.get("id").asText();
    String authKey = created.get("auth_key").asText();
    assertEquals(16, authKey.length(), created.toString());
    assertEquals(volume, created.get("volume_id").asText());
    giver.awaitVolumeStatus(volume, "awaiting-transfer");

    JsonNode listed = giver.json("volume", "transfer", "request", "list");
    assertEquals(1, listed.size(), listed.toString());
    assertEquals(transfer, listed.get(0).get("ID").asText());
    assertEquals(volume, listed.get(0).get("Volume").asText());
    JsonNode shown = giver.json("volume", "transfer", "request", "show", transfer);
    assertEquals("gift", shown.get("name").asText());
    assertFalse(shown.has("auth_key"), "the key is shown once: " + shown);
    // The receiver sees no transfer of the giver's.
    assertEquals(0, receiver.json("volume", "transfer", "request", "list").size());

    receiver
        .openstack(
            "volume", "transfer", "request", "accept", "--auth-key", "0123456789abcdef", transfer)
        .refused("Invalid auth key: Attempt to transfer " + transfer + " with invalid auth key.");
    giver
        .openstack("volume", "transfer", "request", "accept", "--auth-key", authKey, transfer)
        .refused("cannot be accepted by project " + giverProject);
    giver.openstack("volume", "delete", volume).refused("awaiting a transfer");

    JsonNode accepted =
        receiver.json("volume", "transfer", "request", "accept", "--auth-key", authKey, transfer);
    assertEquals(transfer, accepted.get("id").asText());
    assertEquals(volume, accepted.get("volume_id").asText());

    JsonNode received = receiver.awaitVolumeStatus(volume, "available");
    assertEquals("gift-volume", received.get("name").asText());
    assertEquals(1, receiver.json("volume", "list").size());
    assertEquals(0, giver.json("volume", "list").size());
    giver.openstack("volume", "show", volume).refused("No volume with a name or ID");
    receiver.awaitSnapshotStatus(snapshot, "available");
    assertUsage(giverProject, 0, 0, 0);
    assertUsage(receiverProject, 1, 4, 1);
    assertEquals(0, giver.json("volume", "transfer", "request", "list").size());

    receiver.openstack("volume", "snapshot", "delete", snapshot).ok();
    Cli.Result gone = receiver.openstack("volume", "snapshot", "show", snapshot);
    for (int i = 0; i < 60 && gone.exit() == 0; i++) {
      Thread.sleep(250);
      gone = receiver.openstack("volume", "snapshot", "show", snapshot);
    }
    receiver.openstack("volume", "delete", volume).ok();
    receiver.awaitVolumeGone(volume);
    assertUsage(receiverProject, 0, 0, 0);
  }

  @Test
  void aTransferWithoutSnapshotsIsListedByCinderAndDeleted() throws Exception {
    String volume = giver.json("volume", "create", "--size", "1", "kept").get("id").asText();
    giver.awaitVolumeStatus(volume, "available");

    JsonNode created =
        giver.json(
            "--os-volume-api-version",
            "3.57",
            "volume",
            "transfer",
            "request",
            "create",
            "--no-snapshots",
            volume);
    String transfer = created.get("id").asText();
    giver.awaitVolumeStatus(volume, "awaiting-transfer");
    String listed = giver.cinder("--os-volume-api-version", "3.57", "transfer-list").ok().out();
    assertTrue(listed.contains(transfer), listed);
    String shown =
        giver.cinder("--os-volume-api-version", "3.57", "transfer-show", transfer).ok().out();
    assertTrue(shown.matches("(?s).*no_snapshots\\s*\\|\\s*True.*"), shown);
    assertTrue(shown.contains(giverProject), shown);

    giver.openstack("volume", "transfer", "request", "delete", transfer).ok();
    giver.awaitVolumeStatus(volume, "available");
    giver
        .openstack("volume", "transfer", "request", "show", transfer)
        .refused("No volumetransfer with a name or ID");
    giver.openstack("volume", "delete", volume).ok();
    giver.awaitVolumeGone(volume);
  }
}
