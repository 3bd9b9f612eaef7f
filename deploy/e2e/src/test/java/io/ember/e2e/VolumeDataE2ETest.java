package io.ember.e2e;

import static io.ember.e2e.VolumeFiles.pattern;
import static io.ember.e2e.VolumeFiles.read;
import static io.ember.e2e.VolumeFiles.write;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data that really moves, over the three processes: bytes written into a volume's backing file on
 * its host are found again in a snapshot of it, a volume made from that snapshot, a clone, the
 * volume reverted to the snapshot, and the volume extended; a volume from an image holds the
 * image's bytes. The fake driver keeps each volume as {@code volumes/<id>.img} under its host's
 * data directory, which is what a test can reach from outside, as an operator could.
 */
class VolumeDataE2ETest {

  private static final long GIB = 1L << 30;

  static EmberStack stack;

  private final String project = Cli.newProject();

  @BeforeAll
  static void startStack() throws Exception {
    stack = EmberStack.shared();
    RestAssured.baseURI = stack.apiUrl();
  }

  private RequestSpecification admin() {
    return given()
        .header("X-Auth-Token", "admin:" + project)
        .header("OpenStack-API-Version", "volume 3.40")
        .contentType("application/json");
  }

  private String post(String path, String body, String member) {
    return admin()
        .body(body)
        .post("/v3/" + project + path)
        .then()
        .statusCode(202)
        .extract()
        .path(member + ".id");
  }

  /** Polls until the resource shows {@code status} ("gone" for 404); returns its view. */
  private Map<String, Object> await(String kind, String id, String status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String seen = null;
    while (System.nanoTime() < deadline) {
      Response r = admin().get("/v3/" + project + "/" + kind + "s/" + id);
      seen = r.statusCode() == 404 ? "gone" : r.path(kind + ".status");
      if (status.equals(seen)) {
        return r.statusCode() == 404 ? Map.of() : r.path(kind);
      }
      Thread.sleep(50);
    }
    throw new AssertionError(kind + " " + id + " stayed " + seen + ", expected " + status);
  }

  private String availableVolume(String body) throws Exception {
    String id = post("/volumes", body, "volume");
    await("volume", id, "available");
    return id;
  }

  /** The backing file of a placed volume, on the host the API says holds it. */
  private Path file(String volumeId) throws Exception {
    String pool = (String) await("volume", volumeId, "available").get("os-vol-host-attr:host");
    String host = pool.substring(0, pool.indexOf('#'));
    return stack.dataDirectory(host).resolve("volumes").resolve(volumeId + ".img");
  }

  @Test
  void snapshotCopyCloneRevertAndExtendKeepTheBytes() throws Exception {
    byte[] first = pattern(1);
    byte[] deep = pattern(2);
    byte[] later = pattern(3);
    String volume = availableVolume("{\"volume\": {\"size\": 1, \"name\": \"data\"}}");
    Path original = file(volume);
    write(original, 0, first);
    write(original, GIB / 2, deep);

    String snapshot =
        post(
            "/snapshots",
            "{\"snapshot\": {\"volume_id\": \"" + volume + "\", \"name\": \"point\"}}",
            "snapshot");
    await("snapshot", snapshot, "available");
    // After the snapshot the volume changes; the snapshot keeps the point in time.
    write(original, 0, later);

    String fromSnapshot = availableVolume("{\"volume\": {\"snapshot_id\": \"" + snapshot + "\"}}");
    Path copy = file(fromSnapshot);
    assertEquals(GIB, Files.size(copy), "a volume from a snapshot takes the snapshot's size");
    assertArrayEquals(first, read(copy, 0, first.length));
    assertArrayEquals(deep, read(copy, GIB / 2, deep.length));
    assertEquals(
        file(volume).getParent(),
        copy.getParent(),
        "a volume from a snapshot is placed on the backend that holds the snapshot");

    String clone = availableVolume("{\"volume\": {\"source_volid\": \"" + volume + "\"}}");
    assertArrayEquals(later, read(file(clone), 0, later.length));
    assertArrayEquals(deep, read(file(clone), GIB / 2, deep.length));

    admin()
        .body("{\"revert\": {\"snapshot_id\": \"" + snapshot + "\"}}")
        .post("/v3/" + project + "/volumes/" + volume + "/action")
        .then()
        .statusCode(202);
    await("volume", volume, "available");
    await("snapshot", snapshot, "available");
    assertArrayEquals(first, read(original, 0, first.length), "reverted to the snapshot");

    admin()
        .body("{\"os-extend\": {\"new_size\": 2}}")
        .post("/v3/" + project + "/volumes/" + volume + "/action")
        .then()
        .statusCode(202);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Map<String, Object> extended = await("volume", volume, "available");
    while (!Integer.valueOf(2).equals(extended.get("size")) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      extended = await("volume", volume, "available");
    }
    assertEquals(2, extended.get("size"));
    assertEquals(2 * GIB, Files.size(original));
    assertArrayEquals(first, read(original, 0, first.length), "extend keeps the bytes");
    assertArrayEquals(new byte[4096], read(original, GIB + GIB / 2, 4096), "and adds zeros");

    for (String id : new String[] {fromSnapshot, clone}) {
      admin().delete("/v3/" + project + "/volumes/" + id).then().statusCode(202);
    }
    admin().delete("/v3/" + project + "/snapshots/" + snapshot).then().statusCode(202);
    await("snapshot", snapshot, "gone");
    admin().delete("/v3/" + project + "/volumes/" + volume).then().statusCode(202);
    for (String id : new String[] {fromSnapshot, clone, volume}) {
      await("volume", id, "gone");
    }
    assertTrue(Files.notExists(original), "the backing file goes with the volume");
  }

  @Test
  void aVolumeFromAnImageHoldsTheImageAndIsBootable() throws Exception {
    Path image = stack.imageDirectory().resolve(EmberStack.RAW_IMAGE + ".data");
    byte[] imageBytes = Files.readAllBytes(image);
    String volume =
        availableVolume(
            "{\"volume\": {\"size\": 1, \"imageRef\": \"" + EmberStack.RAW_IMAGE + "\"}}");
    Map<String, Object> shown = await("volume", volume, "available");
    assertEquals("true", shown.get("bootable"));
    @SuppressWarnings("unchecked")
    Map<String, String> imageMetadata = (Map<String, String>) shown.get("volume_image_metadata");
    assertEquals(EmberStack.RAW_IMAGE, imageMetadata.get("image_id"), shown.toString());
    assertEquals("ember-raw", imageMetadata.get("image_name"), shown.toString());
    byte[] held = read(file(volume), 0, imageBytes.length);
    assertArrayEquals(imageBytes, held);

    admin().delete("/v3/" + project + "/volumes/" + volume).then().statusCode(202);
    await("volume", volume, "gone");
  }
}
