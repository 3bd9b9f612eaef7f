package io.ember.e2e;

import static io.ember.e2e.VolumeFiles.pattern;
import static io.ember.e2e.VolumeFiles.read;
import static io.ember.e2e.VolumeFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Manage and unmanage with Debian's {@code cinder} client on the three services: a volume's bytes
 * written on its host survive {@code cinder unmanage}, are listed by {@code cinder manageable-list}
 * and come back in the volume {@code cinder manage} makes of them; the same for a snapshot with
 * {@code snapshot-unmanage}, {@code snapshot-manageable-list} and {@code snapshot-manage}.
 */
class ManageCliE2ETest {

  private static final long GIB = 1L << 30;

  static EmberStack stack;

  private final Cli cli = Cli.admin(stack);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  /** The fake driver's file of a placed volume, on the host that holds it. */
  private Path file(JsonNode shown) {
    String pool = shown.get("os-vol-host-attr:host").asText();
    String host = pool.substring(0, pool.indexOf('#'));
    return stack.dataDirectory(host).resolve("volumes").resolve(shown.get("id").asText() + ".img");
  }

  private Path unmanaged(String host, String kind, String name) {
    return stack.dataDirectory(host).resolve("unmanaged").resolve(kind).resolve(name);
  }

  @Test
  void aVolumesBytesSurviveUnmanageAndManage() throws Exception {
    byte[] first = pattern(11);
    byte[] deep = pattern(12);
    String original = cli.json("volume", "create", "--size", "1", "to-unmanage").get("id").asText();
    JsonNode shown = cli.awaitVolumeStatus(original, "available");
    String pool = shown.get("os-vol-host-attr:host").asText();
    String host = pool.substring(0, pool.indexOf('#'));
    write(file(shown), 0, first);
    write(file(shown), GIB - first.length, deep);

    cli.cinder("unmanage", original).ok();
    cli.awaitVolumeGone(original);
    assertTrue(Files.exists(unmanaged(host, "volumes", "volume-" + original)));
    String listed = cli.cinder("manageable-list", host).ok().out();
    assertTrue(listed.contains("volume-" + original), listed);
    String detailed = cli.cinder("manageable-list", "--detailed", "True", pool).ok().out();
    assertTrue(detailed.contains("reason_not_safe"), detailed);

    String managed =
        Cli.idIn(
            cli.cinder(
                    "manage",
                    "--name",
                    "managed-back",
                    "--metadata",
                    "origin=unmanaged",
                    pool,
                    "volume-" + original)
                .ok()
                .out());
    assertNotEquals(original, managed);
    JsonNode back = cli.awaitVolumeStatus(managed, "available");
    assertEquals(1, back.get("size").asInt());
    assertEquals("managed-back", back.get("name").asText());
    assertEquals(pool, back.get("os-vol-host-attr:host").asText());
    assertArrayEquals(first, read(file(back), 0, first.length));
    assertArrayEquals(deep, read(file(back), GIB - deep.length, deep.length));
    assertFalse(
        cli.cinder("manageable-list", host).ok().out().contains("| True"),
        "nothing left to manage on " + host);

    // A reference the backend does not hold: the volume ends in error, and may be deleted.
    String missing = Cli.idIn(cli.cinder("manage", pool, "volume-nothing-here").ok().out());
    cli.awaitVolumeStatus(missing, "error");
    cli.openstack("volume", "delete", missing).ok();
    cli.awaitVolumeGone(missing);
    cli.openstack("volume", "delete", managed).ok();
    cli.awaitVolumeGone(managed);
  }

  @Test
  void aSnapshotsBytesSurviveSnapshotUnmanageAndSnapshotManage() throws Exception {
    byte[] moment = pattern(21);
    String volume = cli.json("volume", "create", "--size", "1", "snap-source").get("id").asText();
    JsonNode shown = cli.awaitVolumeStatus(volume, "available");
    String pool = shown.get("os-vol-host-attr:host").asText();
    String host = pool.substring(0, pool.indexOf('#'));
    write(file(shown), 4096, moment);
    String snapshot =
        cli.json("volume", "snapshot", "create", "--volume", volume, "to-unmanage")
            .get("id")
            .asText();
    cli.awaitSnapshotStatus(snapshot, "available");

    cli.cinder("snapshot-unmanage", snapshot).ok();
    Cli.Result gone = cli.openstack("volume", "snapshot", "show", snapshot);
    for (int i = 0; i < 60 && gone.exit() == 0; i++) {
      Thread.sleep(250);
      gone = cli.openstack("volume", "snapshot", "show", snapshot);
    }
    assertNotEquals(0, gone.exit(), gone.out());
    String listed = cli.cinder("snapshot-manageable-list", host).ok().out();
    assertTrue(listed.contains("_snapshot-" + snapshot), listed);

    String managed =
        Cli.idIn(
            cli.cinder(
                    "snapshot-manage",
                    "--name",
                    "snap-back",
                    "--description",
                    "managed again",
                    volume,
                    "_snapshot-" + snapshot)
                .ok()
                .out());
    JsonNode back = cli.awaitSnapshotStatus(managed, "available");
    assertEquals("snap-back", back.get("name").asText());
    assertEquals(1, back.get("size").asInt());

    String copy =
        cli.json("volume", "create", "--snapshot", managed, "from-managed").get("id").asText();
    JsonNode copied = cli.awaitVolumeStatus(copy, "available");
    assertArrayEquals(moment, read(file(copied), 4096, moment.length));
  }
}
