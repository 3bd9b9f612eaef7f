package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code openstack volume set/unset} and {@code volume create --source} do to a volume on the
 * three services: extend, bootable, read-only, properties, a clone; and cinderclient's create from
 * an image of the local image store (OSC looks images up in Glance's API, which Ember does not
 * serve).
 */
class VolumeActionsCliE2ETest {

  static EmberStack stack;

  private final Cli cli = Cli.admin(stack);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  private String availableVolume(String name) throws Exception {
    String id = cli.json("volume", "create", "--size", "1", name).get("id").asText();
    cli.awaitVolumeStatus(id, "available");
    return id;
  }

  @Test
  void extendBootableReadOnlyAndProperties() throws Exception {
    String id = availableVolume("actions");

    cli.openstack("volume", "set", "--size", "3", id).ok();
    JsonNode shown = cli.awaitVolumeStatus(id, "available");
    for (int i = 0; i < 60 && shown.get("size").asInt() != 3; i++) {
      Thread.sleep(250);
      shown = cli.json("volume", "show", id);
    }
    assertEquals(3, shown.get("size").asInt(), shown.toString());
    // OSC refuses a smaller size itself; cinderclient asks the API, which answers as Cinder.
    cli.openstack("volume", "set", "--size", "2", id).refused("New size must be greater than 3 GB");
    cli.cinder("extend", id, "2")
        .refused(
            "New size for extend must be greater than current size. (current: 3, extended: 2).");

    cli.openstack("volume", "set", "--bootable", id).ok();
    assertEquals("true", cli.json("volume", "show", id).get("bootable").asText());
    cli.openstack("volume", "set", "--non-bootable", id).ok();
    assertEquals("false", cli.json("volume", "show", id).get("bootable").asText());

    cli.openstack("volume", "set", "--read-only", id).ok();
    String properties = cli.json("volume", "show", id).get("properties").toString();
    assertTrue(properties.contains("readonly"), properties);
    cli.openstack("volume", "set", "--read-write", id).ok();

    cli.openstack("volume", "set", "--property", "tier=gold", "--property", "owner=ops", id).ok();
    properties = cli.json("volume", "show", id).get("properties").toString();
    assertTrue(properties.contains("tier") && properties.contains("owner"), properties);
    cli.openstack("volume", "unset", "--property", "owner", id).ok();
    properties = cli.json("volume", "show", id).get("properties").toString();
    assertFalse(properties.contains("owner"), properties);
    assertTrue(properties.contains("tier"), properties);

    cli.openstack("volume", "delete", id).ok();
    cli.awaitVolumeGone(id);
  }

  @Test
  void aCloneTakesItsSourceSizeAndIsRefusedSmaller() throws Exception {
    String source = availableVolume("clone-source");
    cli.openstack("volume", "set", "--bootable", source).ok();
    JsonNode clone = cli.json("volume", "create", "--source", source, "clone");
    String id = clone.get("id").asText();
    JsonNode shown = cli.awaitVolumeStatus(id, "available");
    assertEquals(1, shown.get("size").asInt());
    assertEquals(source, shown.get("source_volid").asText());
    assertEquals("true", shown.get("bootable").asText(), "a clone inherits bootable");

    cli.openstack("volume", "delete", id).ok();
    cli.openstack("volume", "delete", source).ok();
    cli.awaitVolumeGone(id);
    cli.awaitVolumeGone(source);
  }

  @Test
  void cinderCreatesAVolumeFromAnImage() throws Exception {
    Cli.Result created =
        cli.cinder("create", "--image-id", EmberStack.RAW_IMAGE, "--name", "img", "1");
    created.ok();
    String id = cli.json("volume", "show", "img").get("id").asText();
    JsonNode shown = cli.awaitVolumeStatus(id, "available");
    assertEquals("true", shown.get("bootable").asText(), shown.toString());
    assertTrue(
        shown.get("volume_image_metadata").toString().contains(EmberStack.RAW_IMAGE),
        shown.toString());

    cli.cinder("create", "--image-id", "no-such-image", "1")
        .refused("Invalid image identifier or unable to access requested image.");

    cli.openstack("volume", "delete", id).ok();
    cli.awaitVolumeGone(id);
  }
}
