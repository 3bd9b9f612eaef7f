package io.ember.api.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ember.api.fault.CinderFault;
import io.ember.api.keymanager.KeyManager;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.model.RequestContext;
import io.ember.model.image.Image;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The request check with sources: what each source lends, what each refuses, and the key. */
class ExtractVolumeSourcesTest {

  private static final RequestContext CALLER =
      new RequestContext("req-1", "alice", "p1", List.of("member"));

  private static final VolumeTypeCatalog.Entry PLAIN =
      new VolumeTypeCatalog.Entry(UUID.randomUUID(), "plain", true, Map.of(), Set.of(), null);
  private static final VolumeTypeCatalog.Entry SECRET =
      new VolumeTypeCatalog.Entry(UUID.randomUUID(), "secret", true, Map.of(), Set.of(), null);
  private static final VolumeTypeCatalog.Entry DEFAULT =
      new VolumeTypeCatalog.Entry(UUID.randomUUID(), "__DEFAULT__", true, Map.of(), Set.of(), null);

  /** Keys in memory: what was made, copied from what, and forgotten. */
  static final class Keys implements KeyManager {
    final Map<UUID, String> keys = new HashMap<>();

    @Override
    public UUID create(String projectId) {
      UUID id = UUID.randomUUID();
      keys.put(id, "material-" + id);
      return id;
    }

    @Override
    public UUID copy(UUID keyId, String projectId) {
      UUID id = UUID.randomUUID();
      keys.put(id, keys.get(keyId));
      return id;
    }

    @Override
    public void delete(UUID keyId) {
      keys.remove(keyId);
    }
  }

  private final Keys keys = new Keys();
  private final UUID sourceKey = keys.create("p1");
  private final Map<UUID, CreateSources.SourceVolume> volumes = new HashMap<>();
  private final Map<UUID, CreateSources.SourceSnapshot> snapshots = new HashMap<>();
  private final Map<String, Image> images = new HashMap<>();

  private final ExtractVolumeRequestTask task =
      new ExtractVolumeRequestTask(
          Set.of("nova", "zone-b"),
          "nova",
          "__DEFAULT__",
          new ExtractVolumeRequestTask.Lookups(
              (nameOrId, caller) ->
                  Map.of("plain", PLAIN, "secret", SECRET, "__DEFAULT__", DEFAULT).get(nameOrId),
              id -> Map.of(PLAIN.id(), PLAIN, SECRET.id(), SECRET, DEFAULT.id(), DEFAULT).get(id),
              SECRET.id()::equals,
              new CreateSources() {
                @Override
                public SourceSnapshot snapshot(UUID id, RequestContext caller) {
                  return snapshots.get(id);
                }

                @Override
                public SourceVolume volume(UUID id, RequestContext caller) {
                  return volumes.get(id);
                }

                @Override
                public Optional<Image> image(String id) {
                  return Optional.ofNullable(images.get(id));
                }

                @Override
                public List<Image> imagesNamed(String name) {
                  return images.values().stream().filter(i -> name.equals(i.name())).toList();
                }
              },
              keys));

  private CreateSources.SourceVolume volume(String status, int size, UUID type, UUID key) {
    var v =
        new CreateSources.SourceVolume(
            UUID.randomUUID(), status, size, type, "zone-b", "node2@fake#pool", true, key);
    volumes.put(v.id(), v);
    return v;
  }

  private CreateSources.SourceSnapshot snapshot(String status, CreateSources.SourceVolume of) {
    var s =
        new CreateSources.SourceSnapshot(
            UUID.randomUUID(), status, of.size(), of.volumeTypeId(), of);
    snapshots.put(s.id(), s);
    return s;
  }

  private static Image image(String id, String status, long bytes, int minDisk) {
    return new Image(
        id, id, status, bytes, null, "raw", "bare", minDisk, 0, null, "public", false, "p1", null,
        Map.of());
  }

  private static Image image(String id, String name, String status, long bytes, Long virtual) {
    return new Image(
        id, name, status, bytes, virtual, "qcow2", "bare", 0, 0, null, "public", false, "p1", null,
        Map.of());
  }

  private static CreateVolumeContext context(String volume) throws Exception {
    return new CreateVolumeContext(
        new ObjectMapper().readTree("{\"volume\": {" + volume + "}}"), CALLER);
  }

  private CinderFault refused(String volume) {
    return assertThrows(CinderFault.class, () -> task.execute(context(volume)));
  }

  @Test
  void aSnapshotLendsItsSizeTypeZoneBootableFlagAndHost() throws Exception {
    var snapshot = snapshot("available", volume("available", 3, PLAIN.id(), null));
    CreateVolumeContext context = context("\"snapshot_id\": \"" + snapshot.id() + "\"");

    task.execute(context);

    assertEquals(3, context.size);
    assertEquals(PLAIN, context.type);
    assertEquals("zone-b", context.availabilityZone);
    assertTrue(context.bootable);
    assertEquals(snapshot.id(), context.snapshotId);
    assertEquals("node2@fake#pool", context.sourceHost);
    assertNull(context.encryptionKeyId);
    assertEquals(3, context.quotaDeltas.get("gigabytes_plain"));
  }

  @Test
  void aSnapshotIsRefusedUnlessAvailableOrWhenTheSizeIsSmaller() {
    var source = volume("available", 3, PLAIN.id(), null);
    var creating = snapshot("creating", source);
    assertEquals(
        "Invalid snapshot: Originating snapshot status must be one of 'available' values",
        refused("\"snapshot_id\": \"" + creating.id() + "\"").getMessage());
    var ok = snapshot("available", source);
    CinderFault small = refused("\"size\": 2, \"snapshot_id\": \"" + ok.id() + "\"");
    assertEquals(400, small.status());
    assertEquals(
        "Invalid input received: Volume size '2'GB cannot be smaller than the snapshot size 3GB."
            + " They must be >= original snapshot size.",
        small.getMessage());
    UUID missing = UUID.randomUUID();
    CinderFault notFound = refused("\"snapshot_id\": \"" + missing + "\"");
    assertEquals(404, notFound.status());
    assertEquals("Snapshot " + missing + " could not be found.", notFound.getMessage());
  }

  @Test
  void aCloneIsOfAnAvailableOrInUseVolumeAndNeverSmaller() throws Exception {
    var inUse = volume("in-use", 2, PLAIN.id(), null);
    CreateVolumeContext clone = context("\"size\": 5, \"source_volid\": \"" + inUse.id() + "\"");
    task.execute(clone);
    assertEquals(5, clone.size);
    assertEquals(inUse.id(), clone.sourceVolid);
    assertEquals("node2@fake#pool", clone.sourceHost);

    var error = volume("error", 2, PLAIN.id(), null);
    assertEquals(
        "Invalid volume: Originating source volume status must be one of 'available, in-use'"
            + " values",
        refused("\"source_volid\": \"" + error.id() + "\"").getMessage());
    assertEquals(
        "Invalid input received: Volume size '1'GB cannot be smaller than original volume size "
            + " 2GB. They must be >= original volume size.",
        refused("\"size\": 1, \"source_volid\": \"" + inUse.id() + "\"").getMessage());
  }

  @Test
  void atMostOneSourceAndCindersMessageNamesThemAll() {
    var source = volume("available", 1, PLAIN.id(), null);
    var snapshot = snapshot("available", source);
    CinderFault both =
        refused(
            "\"snapshot_id\": \""
                + snapshot.id()
                + "\", \"source_volid\": \""
                + source.id()
                + "\"");
    assertEquals(
        "Invalid input received: May specify only one of backup, imageRef, snapshot, source volume",
        both.getMessage());
  }

  @Test
  void anImageMustExistBeActiveAndFit() throws Exception {
    images.put("cirros", image("cirros", "active", (1L << 30) + 1, 1));
    images.put("queued", image("queued", "queued", 10, 0));
    images.put("big", image("big", "active", 10, 4));

    CreateVolumeContext ok =
        context("\"size\": 2, \"imageRef\": \"http://glance/v2/images/cirros\"");
    task.execute(ok);
    assertEquals("cirros", ok.imageId);
    assertNull(ok.sourceHost);
    assertFalse(ok.bootable, "the host decides for an image");

    assertEquals(
        "Invalid image identifier or unable to access requested image.",
        refused("\"size\": 1, \"imageRef\": \"nope\"").getMessage());
    assertEquals(
        "Invalid input received: Image queued is not active.",
        refused("\"size\": 1, \"imageRef\": \"queued\"").getMessage());
    assertEquals(
        "Invalid input received: Size of specified image 2GB is larger than volume size 1GB.",
        refused("\"size\": 1, \"imageRef\": \"cirros\"").getMessage());
    assertEquals(
        "Invalid input received: Volume size 3GB cannot be smaller than the image minDisk size"
            + " 4GB.",
        refused("\"size\": 3, \"imageRef\": \"big\"").getMessage());
    assertEquals(
        "Invalid input received: Volume size 'None' must be an integer and greater than 0",
        refused("\"imageRef\": \"big\"").getMessage());
  }

  @Test
  void anImageNameResolvesWhenOneImageHasItAndIsRefusedWhenNoneOrSeveralDo() throws Exception {
    String id = UUID.randomUUID().toString();
    images.put(id, image(id, "ubuntu", "active", 1024, null));
    images.put("a", image("a", "twin", "active", 1024, null));
    images.put("b", image("b", "twin", "active", 1024, null));

    CreateVolumeContext byName = context("\"size\": 1, \"imageRef\": \"ubuntu\"");
    task.execute(byName);
    assertEquals(id, byName.imageId);
    CreateVolumeContext byId = context("\"size\": 1, \"imageRef\": \"" + id + "\"");
    task.execute(byId);
    assertEquals(id, byId.imageId);

    CinderFault several = refused("\"size\": 1, \"imageRef\": \"twin\"");
    assertEquals(409, several.status());
    assertEquals(
        "Multiple matches found for 'twin', use an ID to be more specific.", several.getMessage());
    CinderFault none = refused("\"size\": 1, \"imageRef\": \"debian\"");
    assertEquals(400, none.status());
    assertEquals(
        "Invalid image identifier or unable to access requested image.", none.getMessage());
  }

  @Test
  void anImageWhoseVirtualSizeDoesNotFitIsRefusedWithCindersMessage() throws Exception {
    // 100 MiB stored, 3 GiB and a byte once expanded: 4 GB needed.
    images.put("grows", image("grows", "grows", "active", 100L << 20, (3L << 30) + 1));

    CinderFault refused = refused("\"size\": 3, \"imageRef\": \"grows\"");
    assertEquals(400, refused.status());
    assertEquals(
        "Image grows is unacceptable: Image virtual size is 4GB and doesn't fit in a volume of"
            + " size 3GB.",
        refused.getMessage());
    CreateVolumeContext fits = context("\"size\": 4, \"imageRef\": \"grows\"");
    task.execute(fits);
    assertEquals("grows", fits.imageId);
  }

  @Test
  void anEncryptedTypeGetsANewKeyAndACloneACopyUnderItsOwnIdThatRevertForgets() throws Exception {
    CreateVolumeContext fresh = context("\"size\": 1, \"volume_type\": \"secret\"");
    task.execute(fresh);
    assertNotNull(fresh.encryptionKeyId);
    assertNotEquals(sourceKey, fresh.encryptionKeyId);

    var encrypted = volume("available", 1, SECRET.id(), sourceKey);
    CreateVolumeContext clone = context("\"source_volid\": \"" + encrypted.id() + "\"");
    task.execute(clone);
    assertEquals(SECRET, clone.type, "the source's type when none is asked");
    assertNotEquals(sourceKey, clone.encryptionKeyId);
    assertEquals(keys.keys.get(sourceKey), keys.keys.get(clone.encryptionKeyId));

    UUID made = clone.encryptionKeyId;
    task.revert(clone, new IllegalStateException("a later task failed"));
    assertFalse(keys.keys.containsKey(made), "the clone's key is forgotten");
    assertTrue(keys.keys.containsKey(sourceKey), "the source's key stays");
  }

  @Test
  void aTypeWhoseEncryptionDiffersFromTheSourcesIsRefused() {
    var encrypted = volume("available", 1, SECRET.id(), sourceKey);
    assertEquals(
        "Invalid input received: Invalid volume_type provided: "
            + PLAIN.id()
            + " (requested type is not compatible; either match source volume, or omit type"
            + " argument).",
        refused("\"volume_type\": \"plain\", \"source_volid\": \"" + encrypted.id() + "\"")
            .getMessage());
    var snapshot = snapshot("available", encrypted);
    assertEquals(
        "Invalid input received: Invalid volume_type provided: "
            + PLAIN.id()
            + " (requested type is not compatible; recommend omitting the type argument).",
        refused("\"volume_type\": \"plain\", \"snapshot_id\": \"" + snapshot.id() + "\"")
            .getMessage());
  }
}
