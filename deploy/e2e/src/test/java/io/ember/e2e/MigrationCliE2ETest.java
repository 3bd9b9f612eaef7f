package io.ember.e2e;

import static io.ember.e2e.VolumeFiles.pattern;
import static io.ember.e2e.VolumeFiles.read;
import static io.ember.e2e.VolumeFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code openstack volume migrate --host} over the three services and both volume hosts: the bytes
 * written into the volume on one host are on the other afterwards, under the same volume id, the
 * source copy gone; a migration the fake driver fails leaves the source where it was, usable, with
 * migration_status {@code error}; and the CLI's refusals come from Cinder's checks.
 */
class MigrationCliE2ETest {

  private static final long GIB = 1L << 30;

  static EmberStack stack;

  private final Cli cli = Cli.admin(stack);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  private String availableVolume(String... extra) throws Exception {
    String[] args = new String[4 + extra.length];
    args[0] = "volume";
    args[1] = "create";
    args[2] = "--size";
    args[3] = "1";
    System.arraycopy(extra, 0, args, 4, extra.length);
    String id = cli.json(args).get("id").asText();
    cli.awaitVolumeStatus(id, "available");
    return id;
  }

  private String poolOf(String id) throws Exception {
    return cli.json("volume", "show", id).get("os-vol-host-attr:host").asText();
  }

  private static String otherHost(String pool) {
    return pool.startsWith("node1@") ? "node2@fake" : "node1@fake";
  }

  private Path file(String pool, String volumeId) {
    String host = pool.substring(0, pool.indexOf('#'));
    return stack.dataDirectory(host).resolve("volumes").resolve(volumeId + ".img");
  }

  /** Waits up to 120 s for the volume's migration status to become {@code wanted}. */
  private JsonNode awaitMigration(String id, String wanted) throws Exception {
    // By the clock, not a count of CLI calls: on a loaded machine one call takes seconds.
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
    JsonNode shown = cli.json("volume", "show", id);
    while (!wanted.equals(shown.path("migration_status").asText())
        && System.nanoTime() < deadline) {
      Thread.sleep(250);
      shown = cli.json("volume", "show", id);
    }
    assertEquals(wanted, shown.path("migration_status").asText(), shown.toString());
    return shown;
  }

  @Test
  void aMigratedVolumeKeepsItsIdAndBytesOnTheOtherHost() throws Exception {
    String id = availableVolume("moving");
    String source = poolOf(id);
    Path sourceFile = file(source, id);
    byte[] head = pattern(21);
    byte[] deep = pattern(22);
    write(sourceFile, 0, head);
    write(sourceFile, GIB - deep.length, deep);

    String destination = otherHost(source) + "#fake";
    cli.openstack("volume", "migrate", "--host", destination, "--lock-volume", id).ok();
    JsonNode shown = awaitMigration(id, "success");
    assertEquals(destination, shown.get("os-vol-host-attr:host").asText(), shown.toString());
    assertEquals("available", shown.get("status").asText(), "maintenance ends with the move");
    assertEquals(id, shown.get("id").asText());

    Path movedFile = file(destination, id);
    assertEquals(GIB, Files.size(movedFile));
    assertArrayEquals(head, read(movedFile, 0, head.length), "the first bytes came along");
    assertArrayEquals(deep, read(movedFile, GIB - deep.length, deep.length), "and the last");
    for (int i = 0; i < 40 && Files.exists(sourceFile); i++) {
      Thread.sleep(250);
    }
    assertTrue(Files.notExists(sourceFile), "the source copy is gone from " + source);

    // Migrating to where it is now is refused with Cinder's message (cinderclient's migrate prints
    // the refusal and still exits 0, so the text is what tells).
    Cli.Result again = cli.cinder("migrate", id, destination);
    assertTrue(
        again.out().contains("destination host/cluster must be different")
            && again.out().contains("HTTP 400"),
        again.out());
    cli.openstack("volume", "delete", id).ok();
    cli.awaitVolumeGone(id);
    assertTrue(Files.notExists(movedFile), "the delete reached the new host");
  }

  @Test
  void aFailedMigrationLeavesTheSourceUsable() throws Exception {
    String id = availableVolume("--property", "ember.fake.fail-migrate=*", "stays");
    String source = poolOf(id);
    Path sourceFile = file(source, id);
    byte[] head = pattern(23);
    write(sourceFile, 0, head);

    cli.openstack("volume", "migrate", "--host", otherHost(source), id).ok();
    JsonNode shown = awaitMigration(id, "error");
    assertEquals(source, shown.get("os-vol-host-attr:host").asText(), shown.toString());
    assertEquals("available", shown.get("status").asText());
    assertArrayEquals(head, read(sourceFile, 0, head.length), "the source is intact");

    // Still usable: it grows on its host.
    cli.openstack("volume", "set", "--size", "2", id).ok();
    for (int i = 0; i < 60 && cli.json("volume", "show", id).get("size").asInt() != 2; i++) {
      Thread.sleep(250);
    }
    assertEquals(2, cli.json("volume", "show", id).get("size").asInt());

    cli.openstack("volume", "migrate", "--host", "nowhere@fake", id)
        .refused("No available service named 'nowhere@fake'");
    cli.openstack("volume", "delete", id).ok();
    cli.awaitVolumeGone(id);
  }

  @Test
  void onlyAdminsMigrate() throws Exception {
    String project = Cli.newProject();
    Cli member = Cli.member(stack, project);
    String id = member.json("volume", "create", "--size", "1", "mine").get("id").asText();
    member.awaitVolumeStatus(id, "available");
    member
        .openstack("volume", "migrate", "--host", "node2@fake", id)
        .refused("Policy doesn't allow volume_extension:volume_admin_actions:migrate_volume");
    member.openstack("volume", "delete", id).ok();
    member.awaitVolumeGone(id);
  }
}
