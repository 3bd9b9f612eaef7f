package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through the real CLIs, over the three processes: an extend goes through the scheduler, which
 * refuses one the volume's pool has no room for (the volume stays as it was, and says why in its
 * messages); cinderclient's {@code create --image} takes an image's name as Cinder does, and the
 * image's virtual size must fit; {@code list --image_metadata} (the {@code glance_metadata} filter)
 * finds volumes by their image.
 */
class ExtendAndImageRefCliE2ETest {

  static EmberStack stack;

  private final Cli cli = Cli.admin(stack);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  @Test
  void anExtendThePoolHasNoRoomForIsRefusedByTheSchedulerAndTheVolumeStaysAvailable()
      throws Exception {
    // Quota out of the way: the refusal must be the scheduler's capacity check, not a 413.
    cli.cinder("quota-update", "--gigabytes", "-1", cli.project()).ok();
    String id = cli.json("volume", "create", "--size", "1", "grow").get("id").asText();
    cli.awaitVolumeStatus(id, "available");

    // No e2e pool holds 50 PB; the extend is accepted (202) and then refused where it is.
    cli.openstack("volume", "set", "--size", "50000000", id).ok();
    String messages = "";
    for (int i = 0; i < 80 && !messages.contains("extend volume"); i++) {
      Thread.sleep(250);
      messages =
          cli.cinder("--os-volume-api-version", "3.3", "message-list", "--resource_uuid", id)
              .ok()
              .out();
    }
    assertTrue(
        messages.contains("extend volume:Could not find any available weighted backend."),
        messages);
    JsonNode shown = cli.awaitVolumeStatus(id, "available");
    assertEquals(1, shown.get("size").asInt(), shown.toString());

    // One that fits still grows, through the same path.
    cli.openstack("volume", "set", "--size", "2", id).ok();
    for (int i = 0; i < 80 && shown.get("size").asInt() != 2; i++) {
      Thread.sleep(250);
      shown = cli.json("volume", "show", id);
    }
    assertEquals(2, shown.get("size").asInt(), shown.toString());
    assertEquals("available", shown.get("status").asText(), shown.toString());

    cli.openstack("volume", "delete", id).ok();
    cli.awaitVolumeGone(id);
  }

  @Test
  void cinderCreatesFromAnImageNameRefusesAnAmbiguousOneAndOneThatDoesNotFit() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Path images = stack.imageDirectory();
    String twin = "twin-" + suffix;
    record(images, UUID.randomUUID().toString(), twin, 1L << 20);
    record(images, UUID.randomUUID().toString(), twin, 1L << 20);
    String grows = UUID.randomUUID().toString();
    record(images, grows, "grows-" + suffix, (3L << 30) + 1);

    cli.cinder("create", "--image", "ember-raw", "--name", "by-name-" + suffix, "1").ok();
    String id = cli.json("volume", "show", "by-name-" + suffix).get("id").asText();
    JsonNode shown = cli.awaitVolumeStatus(id, "available");
    assertTrue(
        shown.get("volume_image_metadata").toString().contains(EmberStack.RAW_IMAGE),
        shown.toString());

    cli.cinder("create", "--image", twin, "1")
        .refused("Multiple matches found for '" + twin + "', use an ID to be more specific.")
        .refused("HTTP 409");
    cli.cinder("create", "--image", "grows-" + suffix, "3")
        .refused(
            "Image "
                + grows
                + " is unacceptable: Image virtual size is 4GB and doesn't fit in a volume of"
                + " size 3GB.");
    cli.cinder("create", "--image", "no-such-name-" + suffix, "1")
        .refused("Invalid image identifier or unable to access requested image.");

    // The volume is found by what it took from its image (3.4), and only it by that name.
    String listed =
        cli.cinder(
                "--os-volume-api-version",
                "3.4",
                "list",
                "--image_metadata",
                "image_name=ember-raw")
            .ok()
            .out();
    assertTrue(listed.contains(id), listed);
    String none =
        cli.cinder(
                "--os-volume-api-version",
                "3.4",
                "list",
                "--image_metadata",
                "image_name=grows-" + suffix)
            .ok()
            .out();
    assertFalse(none.contains(id), none);

    cli.openstack("volume", "delete", id).ok();
    cli.awaitVolumeGone(id);
  }

  /** A raw image record in the stack's directory store, without data: only looked up here. */
  private static void record(Path images, String id, String name, long virtualSize)
      throws Exception {
    Files.writeString(
        images.resolve(id + ".json"),
        "{\"id\": \""
            + id
            + "\", \"name\": \""
            + name
            + "\", \"status\": \"active\", \"size\": 1048576, \"virtual_size\": "
            + virtualSize
            + ", \"disk_format\": \"qcow2\", \"container_format\": \"bare\", \"min_disk\": 0,"
            + " \"min_ram\": 0, \"visibility\": \"public\", \"protected\": false}");
  }
}
