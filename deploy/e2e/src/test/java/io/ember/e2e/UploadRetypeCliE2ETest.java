package io.ember.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upload to image and retype over the three services, driven with the clients: {@code cinder
 * upload-to-image} (raw and qcow2) puts a written volume's bytes into the image store and a volume
 * made from that image reads them back; a failed upload leaves the volume available and no image;
 * {@code openstack volume set --type --retype-policy} changes a volume's type in place (bytes kept,
 * per-type quota moved); a type only another host can hold is refused under {@code never} (a user
 * message, nothing changed) and done by migration under {@code on-demand} (bytes moved to the other
 * host, quota moved once).
 */
class UploadRetypeCliE2ETest {

  private static final long GIB = 1L << 30;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern IMAGE_ID =
      Pattern.compile("\\|\\s*image_id\\s*\\|\\s*([0-9a-f-]{36})\\s*\\|");

  static EmberStack stack;

  private final Cli cli = Cli.admin(stack);
  private final String unique = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  private String volume(String... options) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("volume", "create", "--size", "1"));
    args.addAll(List.of(options));
    args.add("v-" + unique);
    String id = cli.json(args.toArray(String[]::new)).get("id").asText();
    cli.awaitVolumeStatus(id, "available");
    return id;
  }

  /** Up to 3 minutes: a volume that copies a GiB in or out takes a while on a loaded machine. */
  private JsonNode awaitAvailable(String volumeId) throws Exception {
    JsonNode shown = cli.json("volume", "show", volumeId);
    for (int i = 0; i < 360 && !"available".equals(shown.get("status").asText()); i++) {
      Thread.sleep(500);
      shown = cli.json("volume", "show", volumeId);
    }
    assertEquals("available", shown.get("status").asText(), shown.toString());
    return shown;
  }

  /** The backing file of a placed volume, on the host the API says holds it. */
  private Path file(String volumeId) throws Exception {
    String pool =
        cli.awaitVolumeStatus(volumeId, "available").get("os-vol-host-attr:host").asText();
    String host = pool.substring(0, pool.indexOf('#'));
    return stack.dataDirectory(host).resolve("volumes").resolve(volumeId + ".img");
  }

  private static byte[] pattern(long seed) {
    byte[] bytes = new byte[64 * 1024];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static void write(Path file, long offset, byte[] bytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      f.write(bytes);
    }
  }

  private static byte[] read(Path file, long offset, int length) throws IOException {
    byte[] bytes = new byte[length];
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      f.seek(offset);
      f.readFully(bytes);
    }
    return bytes;
  }

  /** {@code cinder upload-to-image}; the new image's id from what it printed. */
  private String upload(String volumeId, String name, String diskFormat) throws Exception {
    Cli.Result r =
        cli.cinder(
                "--os-volume-api-version",
                "3.1",
                "upload-to-image",
                "--disk-format",
                diskFormat,
                "--visibility",
                "private",
                volumeId,
                name)
            .ok();
    Matcher m = IMAGE_ID.matcher(r.out());
    assertTrue(m.find(), r.out());
    return m.group(1);
  }

  private JsonNode imageRecord(String imageId) throws IOException {
    Path json = stack.imageDirectory().resolve(imageId + ".json");
    return Files.exists(json) ? JSON.readTree(json.toFile()) : null;
  }

  private JsonNode awaitImage(String imageId, String status) throws Exception {
    JsonNode record = imageRecord(imageId);
    for (int i = 0;
        i < 240 && (record == null || !status.equals(record.path("status").asText()));
        i++) {
      Thread.sleep(250);
      record = imageRecord(imageId);
    }
    assertEquals(
        status, record == null ? null : record.path("status").asText(), "image " + imageId);
    return record;
  }

  private JsonNode usage() throws Exception {
    return JSON.readTree(
            given()
                .baseUri(stack.apiUrl())
                .header("X-Auth-Token", "admin:" + cli.project())
                .get("/v3/" + cli.project() + "/os-quota-sets/" + cli.project() + "?usage=True")
                .then()
                .statusCode(200)
                .extract()
                .asString())
        .get("quota_set");
  }

  private List<String> messageEvents(String volumeId) {
    return given()
        .baseUri(stack.apiUrl())
        .header("X-Auth-Token", "admin:" + cli.project())
        .header("OpenStack-API-Version", "volume 3.3")
        .get("/v3/" + cli.project() + "/messages?resource_uuid=" + volumeId)
        .then()
        .statusCode(200)
        .extract()
        .path("messages.event_id");
  }

  @Test
  void anUploadedVolumeComesBackByteForByteThroughAVolumeMadeFromTheImage() throws Exception {
    byte[] head = pattern(21);
    byte[] middle = pattern(22);
    String source = volume();
    Path sourceFile = file(source);
    write(sourceFile, 0, head);
    write(sourceFile, GIB / 2, middle);

    for (String format : List.of("raw", "qcow2")) {
      String imageId = upload(source, "up-" + format + "-" + unique, format);
      JsonNode image = awaitImage(imageId, "active");
      assertEquals(format, image.get("disk_format").asText());
      awaitAvailable(source);

      Cli.Result created =
          cli.cinder("create", "--image-id", imageId, "--name", "back-" + format, "1").ok();
      Matcher id =
          Pattern.compile("\\|\\s*id\\s*\\|\\s*([0-9a-f-]{36})\\s*\\|").matcher(created.out());
      assertTrue(id.find(), created.out());
      Path copy = file(id.group(1));
      assertArrayEquals(head, read(copy, 0, head.length), format);
      assertArrayEquals(middle, read(copy, GIB / 2, middle.length), format);
    }

    // In use, an upload needs force, which Cinder's default configuration ignores.
    cli.openstack("volume", "set", "--state", "in-use", source).ok();
    cli.cinder("upload-to-image", "--force", "True", source, "in-use-" + unique)
        .refused("status must be available");
  }

  @Test
  void aFailedUploadLeavesTheVolumeAvailableAndNoImage() throws Exception {
    String id = volume("--property", "ember.fake.fail-upload=*");
    String imageId = upload(id, "doomed-" + unique, "raw");
    awaitAvailable(id);
    for (int i = 0; i < 60 && imageRecord(imageId) != null; i++) {
      Thread.sleep(250);
    }
    assertEquals(null, imageRecord(imageId), "the unfinished image is deleted");
    assertTrue(messageEvents(id).contains("VOLUME_VOLUME_003_004"), messageEvents(id).toString());
  }

  @Test
  void retypeInPlaceOrByMigrationKeepsTheBytesAndMovesQuota() throws Exception {
    String gold =
        cli.json("volume", "type", "create", "--property", "tier=gold", "gold-" + unique)
            .get("name")
            .asText();
    String plain = cli.json("volume", "type", "create", "plain-" + unique).get("name").asText();
    String thickOnly =
        cli.json(
                "volume",
                "type",
                "create",
                "--property",
                "capabilities:thick_provisioning_support=<is> True",
                "thick-" + unique)
            .get("name")
            .asText();
    String id = volume("--type", gold);
    Path backing = file(id);
    byte[] bytes = pattern(31);
    write(backing, 4096, bytes);

    cli.openstack("volume", "set", "--type", plain, "--retype-policy", "never", id).ok();
    JsonNode shown = cli.awaitVolumeStatus(id, "available");
    for (int i = 0; i < 60 && !plain.equals(shown.get("type").asText()); i++) {
      Thread.sleep(250);
      shown = cli.json("volume", "show", id);
    }
    assertEquals(plain, shown.get("type").asText(), shown.toString());
    assertEquals(backing, file(id), "in place: same host, same file");
    assertArrayEquals(bytes, read(backing, 4096, bytes.length));
    JsonNode quota = usage();
    assertEquals(1, quota.path("volumes_" + plain).path("in_use").asInt(), quota.toString());
    assertEquals(0, quota.path("volumes_" + gold).path("in_use").asInt(), quota.toString());
    assertEquals(1, quota.path("gigabytes_" + plain).path("in_use").asInt(), quota.toString());

    // Only node2 (thick) fits: never refuses (a user message, the type stays) ...
    cli.openstack("volume", "set", "--type", thickOnly, "--retype-policy", "never", id).ok();
    for (int i = 0; i < 60 && messageEvents(id).isEmpty(); i++) {
      Thread.sleep(250);
    }
    assertTrue(messageEvents(id).contains("VOLUME_VOLUME_101_003"), messageEvents(id).toString());
    shown = cli.awaitVolumeStatus(id, "available");
    assertEquals(plain, shown.get("type").asText(), "the type stays");
    assertFalse(usage().path("volumes_" + thickOnly).path("in_use").asInt() > 0);

    // ... and on-demand migrates the volume there with its bytes, then it has the type.
    cli.openstack("volume", "set", "--type", thickOnly, "--retype-policy", "on-demand", id).ok();
    // Up to 4 minutes by the clock: a GiB crosses between the hosts on a loaded machine.
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(4).toNanos();
    shown = cli.json("volume", "show", id);
    while (System.nanoTime() < deadline
        && ("retyping".equals(shown.get("status").asText())
            || !thickOnly.equals(shown.get("type").asText()))) {
      if (!"retyping".equals(shown.get("status").asText())) {
        break; // the retype ended without the type: a failure, shown below
      }
      Thread.sleep(1000);
      shown = cli.json("volume", "show", id);
    }
    assertEquals(thickOnly, shown.get("type").asText(), shown.toString());
    shown = awaitAvailable(id);
    assertTrue(
        shown.get("os-vol-host-attr:host").asText().startsWith("node2@fake#"), shown.toString());
    assertEquals("success", shown.path("migration_status").asText());
    Path moved = file(id);
    assertTrue(moved.startsWith(stack.dataDirectory("node2@fake")), moved.toString());
    assertArrayEquals(bytes, read(moved, 4096, bytes.length), "the bytes moved with it");
    assertFalse(Files.exists(backing), "the source copy is gone");
    quota = usage();
    assertEquals(1, quota.path("volumes_" + thickOnly).path("in_use").asInt(), quota.toString());
    assertEquals(1, quota.path("gigabytes_" + thickOnly).path("in_use").asInt(), quota.toString());
    assertEquals(0, quota.path("volumes_" + plain).path("in_use").asInt(), quota.toString());
    assertEquals(0, quota.path("gigabytes_" + plain).path("in_use").asInt(), quota.toString());

    // The type it has now: refused.
    cli.openstack("volume", "set", "--type", thickOnly, id).refused("Retype needs volume to be");
  }
}
