package io.ember.volume.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.CopyVolumeToImage;
import io.ember.model.contract.CreateSnapshot;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.DeleteSnapshot;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ExtendVolume;
import io.ember.model.contract.ManageExisting;
import io.ember.model.contract.ManageExistingSnapshot;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Retry;
import io.ember.model.contract.RetypeVolume;
import io.ember.model.contract.RevertVolume;
import io.ember.model.contract.SnapshotCreateFailed;
import io.ember.model.contract.SnapshotCreated;
import io.ember.model.contract.SnapshotDeleteFailed;
import io.ember.model.contract.SnapshotDeleted;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeCreated;
import io.ember.model.contract.VolumeDeleted;
import io.ember.model.contract.VolumeDownloading;
import io.ember.model.contract.VolumeExtendFailed;
import io.ember.model.contract.VolumeExtended;
import io.ember.model.contract.VolumeManageFailed;
import io.ember.model.contract.VolumeManaged;
import io.ember.model.contract.VolumeRetypeFailed;
import io.ember.model.contract.VolumeRetyped;
import io.ember.model.contract.VolumeRevertFailed;
import io.ember.model.contract.VolumeSource;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.contract.VolumeUploadFailed;
import io.ember.model.contract.VolumeUploaded;
import io.ember.model.image.Image;
import io.ember.model.image.ImageService;
import io.ember.model.image.NewImage;
import io.ember.volume.backend.BackendSnapshots;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.fake.FakeDriver;
import io.ember.volume.image.QemuImg;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Volumes that hold data, driven as the API drives a host: snapshot, extend, revert, upload,
 * retype, unmanage and manage commands and creates from a snapshot, a volume or an image on this
 * host's topic; what comes back is read from the events and notifications topics, and the bytes
 * from the volumes' files on disk.
 */
@QuarkusTest
class VolumeDataCommandsTest {

  private static final String HOST = "testnode@fake";
  private static final String POOL = HOST + "#fake";
  // A GiB copied on a loaded 2-core machine took 33 s once (an upload).
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final long GIB = 1L << 30;

  private static KafkaCompanion kafka;
  private static Topics topics;
  private static Path images;

  @Inject FakeDriver driver;
  @Inject BackendVolumes volumes;
  @Inject BackendSnapshots snapshots;
  @Inject ImageService imageService;

  @BeforeAll
  static void connect() throws IOException {
    kafka = new KafkaCompanion("localhost:9092");
    topics = new Topics(ConfigProvider.getConfig().getValue("ember.topic-prefix", String.class));
    images = Path.of(ConfigProvider.getConfig().getValue("ember.image.directory", String.class));
    Files.createDirectories(images);
  }

  @AfterAll
  static void disconnect() {
    kafka.close();
  }

  // ---- snapshots ----

  @Test
  void aSnapshotKeepsTheBytesOfItsMomentAndAVolumeMadeFromItHasThem() throws IOException {
    String volumeId = createdVolume(1, Map.of());
    write(volumeId, 0, "written before the snapshot");
    write(volumeId, GIB - 4, "end!");
    String snapshotId = newId();

    send(volumeId, createSnapshot(snapshotId, volumeId, 1, "req-s"));

    SnapshotCreated created =
        one(volumeId, MessageType.SNAPSHOT_CREATED).payloadAs(SnapshotCreated.class);
    assertEquals(snapshotId, created.snapshotId());
    assertTrue(created.providerLocation().endsWith("/snapshots/" + snapshotId));
    assertTrue(inTransaction(() -> snapshots.find(snapshotId).isPresent()));
    List<CloudEvent> notes = notifications(volumeId, "snapshot.", 2);
    assertEquals(
        List.of("snapshot.create.start", "snapshot.create.end"),
        notes.stream().map(CloudEvent::type).toList());
    CloudEvent end = notes.get(1);
    assertEquals("snapshot." + HOST, end.source());
    assertEquals(snapshotId, end.dataFields().get("snapshot_id"));
    assertEquals(1, end.dataFields().get("volume_size"));
    assertEquals("available", end.dataFields().get("status"));
    assertEquals("False", end.dataFields().get("deleted"));

    write(volumeId, 0, "WRITTEN AFTER THE SNAPSHOT!");
    String fromSnapshot = newId();
    send(
        fromSnapshot,
        create(fromSnapshot, 2, Map.of(), true, VolumeSource.snapshot(snapshotId, POOL)));

    VolumeCreated volume =
        one(fromSnapshot, MessageType.VOLUME_CREATED).payloadAs(VolumeCreated.class);
    assertNull(volume.bootable(), "the API inherits the flag from the snapshot's volume");
    assertEquals("written before the snapshot", read(fromSnapshot, 0, 27));
    assertEquals("end!", read(fromSnapshot, GIB - 4, 4));
    assertEquals(new String(new byte[8]), read(fromSnapshot, GIB, 8), "past the snapshot");
    assertEquals(2 * GIB, Files.size(driver.fileOf(fromSnapshot)));
    CloudEvent createEnd = notifications(fromSnapshot, "volume.", 2).get(1);
    assertEquals(snapshotId, createEnd.dataFields().get("snapshot_id"));
  }

  @Test
  void aSnapshotAskedForAgainIsAnnouncedAgainAndTakenOnce() throws IOException {
    String volumeId = createdVolume(1, Map.of());
    write(volumeId, 0, "first");
    String snapshotId = newId();
    send(volumeId, createSnapshot(snapshotId, volumeId, 1, "req-1"));
    one(volumeId, MessageType.SNAPSHOT_CREATED);
    write(volumeId, 0, "later");

    // Re-sent under a new message id: the recorded snapshot is announced, not taken again.
    send(volumeId, createSnapshot(snapshotId, volumeId, 1, "req-2"));

    List<Envelope> announced = events(volumeId, MessageType.SNAPSHOT_CREATED, 2);
    assertEquals(List.of("req-1", "req-2"), announced.stream().map(Envelope::requestId).toList());
    assertEquals(2, countNotifications(volumeId, "snapshot.create"), "taken once");
    String copy = newId();
    send(copy, create(copy, 1, Map.of(), true, VolumeSource.snapshot(snapshotId, POOL)));
    one(copy, MessageType.VOLUME_CREATED);
    assertEquals("first", read(copy, 0, 5), "the snapshot still holds the first moment");
  }

  @Test
  void aSnapshotDeleteRemovesItAndARepeatedOneConverges() {
    String volumeId = createdVolume(1, Map.of());
    String snapshotId = newId();
    send(volumeId, createSnapshot(snapshotId, volumeId, 1, "req-s"));
    one(volumeId, MessageType.SNAPSHOT_CREATED);

    send(volumeId, deleteSnapshot(snapshotId, volumeId, "req-d1"));
    send(volumeId, deleteSnapshot(snapshotId, volumeId, "req-d2"));

    assertEquals(2, events(volumeId, MessageType.SNAPSHOT_DELETED, 2).size());
    assertFalse(driver.holdsSnapshot(snapshotId));
    assertFalse(inTransaction(() -> snapshots.find(snapshotId).isPresent()));
    assertEquals(
        List.of(
            "snapshot.create.start",
            "snapshot.create.end",
            "snapshot.delete.start",
            "snapshot.delete.end",
            "snapshot.delete.start",
            "snapshot.delete.end"),
        notifications(volumeId, "snapshot.", 6).stream().map(CloudEvent::type).toList());
  }

  @Test
  void snapshotFailuresAreReportedAndLeaveNothingBehind() {
    String volumeId =
        createdVolume(
            1, Map.of(FakeDriver.FAIL_SNAPSHOT, HOST, FakeDriver.FAIL_DELETE_SNAPSHOT, "*"));
    String failing = newId();
    send(volumeId, createSnapshot(failing, volumeId, 1, "req-f"));

    SnapshotCreateFailed failed =
        one(volumeId, MessageType.SNAPSHOT_CREATE_FAILED).payloadAs(SnapshotCreateFailed.class);
    assertTrue(failed.reason().contains("injected snapshot failure"), failed.reason());
    assertFalse(driver.holdsSnapshot(failing));
    assertFalse(inTransaction(() -> snapshots.find(failing).isPresent()));

    // A snapshot of another volume, which the missing volume cannot have.
    String noVolume = newId();
    send(noVolume, createSnapshot(newId(), noVolume, 1, "req-n"));
    assertTrue(
        one(noVolume, MessageType.SNAPSHOT_CREATE_FAILED)
            .payloadAs(SnapshotCreateFailed.class)
            .reason()
            .contains("could not be found"));
  }

  @Test
  void aFailedSnapshotDeleteKeepsTheSnapshotAndItsRecord() {
    String volumeId = createdVolume(1, Map.of(FakeDriver.FAIL_DELETE_SNAPSHOT, "*"));
    String snapshotId = newId();
    send(volumeId, createSnapshot(snapshotId, volumeId, 1, "req-s"));
    one(volumeId, MessageType.SNAPSHOT_CREATED);

    send(volumeId, deleteSnapshot(snapshotId, volumeId, "req-d"));

    SnapshotDeleteFailed failed =
        one(volumeId, MessageType.SNAPSHOT_DELETE_FAILED).payloadAs(SnapshotDeleteFailed.class);
    assertTrue(failed.reason().contains("injected snapshot delete failure"), failed.reason());
    assertTrue(driver.holdsSnapshot(snapshotId));
    assertTrue(inTransaction(() -> snapshots.find(snapshotId).isPresent()));
  }

  // ---- manage / unmanage ----

  @Test
  void anUnmanagedVolumesBytesAreManagedBackUnderTheNewId() throws IOException {
    String volumeId = createdVolume(2, Map.of());
    write(volumeId, GIB + 3, "survives the round trip");

    send(
        volumeId,
        Envelope.of(
            MessageType.UNMANAGE_VOLUME,
            volumeId,
            context("req-u"),
            new DeleteVolume(volumeId, "proj", POOL, 2, "vol", Map.of())));

    assertEquals(
        POOL, one(volumeId, MessageType.VOLUME_DELETED).payloadAs(VolumeDeleted.class).pool());
    assertEquals(
        List.of("volume.unmanage.start", "volume.unmanage.end"),
        notifications(volumeId, "volume.unmanage", 2).stream().map(CloudEvent::type).toList());
    assertFalse(driver.holds(volumeId));
    assertFalse(inTransaction(() -> volumes.find(volumeId).isPresent()));
    assertTrue(Files.exists(driver.unmanagedVolumeFile("volume-" + volumeId)));

    String newId = newId();
    send(newId, manage(newId, Map.of("source-name", "volume-" + volumeId), "req-m1"));

    VolumeManaged managed = one(newId, MessageType.VOLUME_MANAGED).payloadAs(VolumeManaged.class);
    assertEquals(2, managed.size());
    assertEquals(POOL, managed.pool());
    assertEquals("survives the round trip", read(newId, GIB + 3, 23));
    assertEquals(2, inTransaction(() -> volumes.find(newId).orElseThrow().size()));
    List<CloudEvent> notes = notifications(newId, "volume.manage_existing", 2);
    assertEquals(
        List.of("volume.manage_existing.start", "volume.manage_existing.end"),
        notes.stream().map(CloudEvent::type).toList());
    assertEquals(2, notes.get(1).dataFields().get("size"));
    assertEquals("available", notes.get(1).dataFields().get("status"));

    // Re-sent under a new message id: announced again from the record, not adopted twice.
    send(newId, manage(newId, Map.of("source-name", "volume-" + volumeId), "req-m2"));
    assertEquals(2, events(newId, MessageType.VOLUME_MANAGED, 2).size());
    assertEquals(2, countNotifications(newId, "volume.manage_existing"));
  }

  @Test
  void aReferenceTheBackendDoesNotHoldIsReportedAsAFailedManage() {
    String newId = newId();
    send(newId, manage(newId, Map.of("source-name", "volume-nothing"), "req-m"));

    VolumeManageFailed failed =
        one(newId, MessageType.VOLUME_MANAGE_FAILED).payloadAs(VolumeManageFailed.class);
    assertEquals(
        "Manage existing volume failed due to invalid backend reference {'source-name':"
            + " 'volume-nothing'}: Specified object does not exist.",
        failed.reason());
    assertFalse(driver.holds(newId));
    assertFalse(inTransaction(() -> volumes.find(newId).isPresent()));
  }

  @Test
  void anUnmanagedSnapshotIsManagedBackAsANewSnapshotOfItsVolume() throws IOException {
    String volumeId = createdVolume(1, Map.of());
    write(volumeId, 0, "snapshot moment");
    String snapshotId = newId();
    send(volumeId, createSnapshot(snapshotId, volumeId, 1, "req-s"));
    one(volumeId, MessageType.SNAPSHOT_CREATED);

    send(
        volumeId,
        Envelope.of(
            MessageType.UNMANAGE_SNAPSHOT,
            volumeId,
            context("req-u"),
            new DeleteSnapshot(snapshotId, volumeId, "proj", POOL, 1)));
    assertEquals(
        snapshotId,
        one(volumeId, MessageType.SNAPSHOT_DELETED).payloadAs(SnapshotDeleted.class).snapshotId());
    assertFalse(driver.holdsSnapshot(snapshotId));
    assertFalse(inTransaction(() -> snapshots.find(snapshotId).isPresent()));

    String newSnapshot = newId();
    send(
        volumeId,
        Envelope.of(
            MessageType.MANAGE_EXISTING_SNAPSHOT,
            volumeId,
            context("req-ms"),
            new ManageExistingSnapshot(
                newSnapshot,
                volumeId,
                "proj",
                POOL,
                Map.of("source-name", "_snapshot-" + snapshotId))));
    List<Envelope> created = events(volumeId, MessageType.SNAPSHOT_CREATED, 2);
    assertEquals(newSnapshot, created.get(1).payloadAs(SnapshotCreated.class).snapshotId());
    assertTrue(driver.holdsSnapshot(newSnapshot));
    assertTrue(inTransaction(() -> snapshots.find(newSnapshot).isPresent()));
    assertEquals(
        List.of("snapshot.manage_existing_snapshot.start", "snapshot.manage_existing_snapshot.end"),
        notifications(volumeId, "snapshot.manage", 2).stream().map(CloudEvent::type).toList());
    String copy = newId();
    send(copy, create(copy, 1, Map.of(), true, VolumeSource.snapshot(newSnapshot, POOL)));
    one(copy, MessageType.VOLUME_CREATED);
    assertEquals("snapshot moment", read(copy, 0, 15), "the managed snapshot holds its bytes");
  }

  private static Envelope manage(String id, Map<String, String> ref, String requestId) {
    VolumeSpec spec =
        new VolumeSpec(
            id, "proj", "user", 0, "adopted", "nova", null, null, Map.of(), Instant.now());
    return Envelope.of(
        MessageType.MANAGE_EXISTING, id, context(requestId), new ManageExisting(spec, POOL, ref));
  }

  // ---- extend ----

  @Test
  void extendKeepsTheBytesAddsZerosAndARepeatedOneIsAnsweredFromTheRecord() throws IOException {
    String volumeId = createdVolume(1, Map.of());
    write(volumeId, 10, "kept across the extend");

    send(volumeId, extend(volumeId, 1, 3, "req-e1"));

    VolumeExtended extended =
        one(volumeId, MessageType.VOLUME_EXTENDED).payloadAs(VolumeExtended.class);
    assertEquals(3, extended.newSize());
    assertEquals(3 * GIB, Files.size(driver.fileOf(volumeId)));
    assertEquals("kept across the extend", read(volumeId, 10, 22));
    assertEquals(new String(new byte[16]), read(volumeId, 2 * GIB + 5, 16));
    assertEquals(3, inTransaction(() -> volumes.find(volumeId).orElseThrow().size()));
    List<CloudEvent> notes = notifications(volumeId, "volume.resize", 2);
    assertEquals(
        List.of("volume.resize.start", "volume.resize.end"),
        notes.stream().map(CloudEvent::type).toList());
    assertEquals(1, notes.get(0).dataFields().get("size"));
    assertEquals("extending", notes.get(0).dataFields().get("status"));
    assertEquals(3, notes.get(1).dataFields().get("size"));

    send(volumeId, extend(volumeId, 1, 3, "req-e2"));
    assertEquals(2, events(volumeId, MessageType.VOLUME_EXTENDED, 2).size());
    assertEquals(2, countNotifications(volumeId, "volume.resize"), "no second resize");
  }

  @Test
  void aFailedExtendIsReportedAndTheVolumeKeepsItsSize() {
    String volumeId = createdVolume(1, Map.of(FakeDriver.FAIL_EXTEND, "*"));

    send(volumeId, extend(volumeId, 1, 2, "req-e"));

    VolumeExtendFailed failed =
        one(volumeId, MessageType.VOLUME_EXTEND_FAILED).payloadAs(VolumeExtendFailed.class);
    assertTrue(failed.reason().contains("injected extend failure"), failed.reason());
    assertEquals(1, driver.sizeOf(volumeId));
    assertEquals(1, inTransaction(() -> volumes.find(volumeId).orElseThrow().size()));
  }

  // ---- revert ----

  @Test
  void revertPutsBackTheSnapshotsBytes() throws IOException {
    String volumeId = createdVolume(1, Map.of());
    write(volumeId, 0, "the good state");
    String snapshotId = newId();
    send(volumeId, createSnapshot(snapshotId, volumeId, 1, "req-s"));
    one(volumeId, MessageType.SNAPSHOT_CREATED);
    write(volumeId, 0, "a bad change!!");

    send(volumeId, revert(volumeId, snapshotId, "req-r"));

    one(volumeId, MessageType.VOLUME_REVERTED);
    assertEquals("the good state", read(volumeId, 0, 14));
    assertEquals(
        List.of("volume.revert.start", "volume.revert.end"),
        notifications(volumeId, "volume.revert", 2).stream().map(CloudEvent::type).toList());
  }

  @Test
  void aFailedRevertIsReported() {
    String volumeId = createdVolume(1, Map.of(FakeDriver.FAIL_REVERT, "*"));
    String snapshotId = newId();
    send(volumeId, createSnapshot(snapshotId, volumeId, 1, "req-s"));
    one(volumeId, MessageType.SNAPSHOT_CREATED);

    send(volumeId, revert(volumeId, snapshotId, "req-r"));

    VolumeRevertFailed failed =
        one(volumeId, MessageType.VOLUME_REVERT_FAILED).payloadAs(VolumeRevertFailed.class);
    assertEquals(snapshotId, failed.snapshotId());
    assertTrue(failed.reason().contains("injected revert failure"), failed.reason());
  }

  // ---- creates from a source ----

  @Test
  void aCloneHoldsTheSourcesBytes() throws IOException {
    String source = createdVolume(1, Map.of());
    write(source, 12345, "clone me");

    String clone = newId();
    send(clone, create(clone, 1, Map.of(), true, VolumeSource.volume(source, POOL)));

    VolumeCreated created = one(clone, MessageType.VOLUME_CREATED).payloadAs(VolumeCreated.class);
    assertNull(created.bootable());
    assertTrue(created.imageMetadata().isEmpty());
    assertEquals("clone me", read(clone, 12345, 8));
  }

  @Test
  void aSourceThisHostDoesNotHoldFailsTheCreateWithoutReschedule() {
    String id = newId();
    String missing = newId();
    send(id, create(id, 1, Map.of(), true, VolumeSource.snapshot(missing, POOL)));

    VolumeCreateFailed failed =
        one(id, MessageType.VOLUME_CREATE_FAILED).payloadAs(VolumeCreateFailed.class);
    assertEquals("Snapshot " + missing + " could not be found.", failed.reason());
    assertTrue(
        records(topics.schedulerRequests(), r -> id.equals(r.key()), 1, shortWait()).isEmpty());
  }

  @Test
  void aVolumeFromAnImageHoldsItsBytesIsBootableAndCarriesItsMetadata() throws IOException {
    String imageId = newId();
    byte[] data = pattern(3 * 1024 * 1024 + 100);
    image(imageId, "active", data, 1, ", \"hw_disk_bus\": \"scsi\", \"bootable\": \"true\"");
    String id = newId();

    send(id, create(id, 1, Map.of(), true, VolumeSource.image(imageId)));

    VolumeCreated created = one(id, MessageType.VOLUME_CREATED).payloadAs(VolumeCreated.class);
    // downloading was announced before the copy, ahead of the result (Cinder's status for it).
    assertEquals(
        List.of(MessageType.VOLUME_DOWNLOADING, MessageType.VOLUME_CREATED),
        records(topics.volumeEvents(), r -> id.equals(r.key()), 2, WAIT).stream()
            .map(r -> Envelope.fromJson(r.value()).messageType())
            .toList());
    assertEquals(
        new VolumeDownloading(id, POOL, imageId),
        one(id, MessageType.VOLUME_DOWNLOADING).payloadAs(VolumeDownloading.class));
    assertEquals(Boolean.TRUE, created.bootable());
    Map<String, String> meta = created.imageMetadata();
    assertEquals(imageId, meta.get("image_id"));
    assertEquals("test image", meta.get("image_name"));
    assertEquals("raw", meta.get("disk_format"));
    assertEquals("bare", meta.get("container_format"));
    assertEquals("1", meta.get("min_disk"));
    assertEquals("0", meta.get("min_ram"));
    assertEquals(String.valueOf(data.length), meta.get("size"));
    assertEquals("scsi", meta.get("hw_disk_bus"));
    assertEquals("true", meta.get("bootable"));
    assertEquals(
        "0123456789abcdef0123456789abcdef", meta.get("checksum"), "the record's, as Glance's");
    byte[] onDisk = new byte[data.length];
    try (SeekableByteChannel channel = driver.openVolume(handle(id), false)) {
      channel.read(ByteBuffer.wrap(onDisk));
    }
    assertArrayEquals(data, onDisk);
    assertEquals(new String(new byte[8]), read(id, data.length, 8));
  }

  @Test
  void anImageTooBigOrMissingFailsTheCreateWithoutReschedule() throws IOException {
    String big = newId();
    image(big, "active", new byte[16], 0, ", \"virtual_size\": " + (2 * GIB));
    String tooBig = newId();
    send(tooBig, create(tooBig, 1, Map.of(), true, VolumeSource.image(big)));
    String missing = newId();
    String noImage = newId();
    send(noImage, create(noImage, 1, Map.of(), true, VolumeSource.image(missing)));

    assertEquals(
        "Image "
            + big
            + " size exceeded available disk space: Size is 2GB and doesn't fit in a volume of"
            + " size 1GB.",
        one(tooBig, MessageType.VOLUME_CREATE_FAILED).payloadAs(VolumeCreateFailed.class).reason());
    assertEquals(
        "Image " + missing + " could not be found.",
        one(noImage, MessageType.VOLUME_CREATE_FAILED)
            .payloadAs(VolumeCreateFailed.class)
            .reason());
    assertFalse(driver.holds(tooBig));
    assertFalse(driver.holds(noImage));
  }

  @Test
  void aQcow2ImageIsConvertedToRawOnTheWayIn() throws Exception {
    assertTrue(
        new QemuImg().available(),
        "qemu-img is missing: deploy/local/ember test installs it (apt-get install qemu-utils)");
    byte[] data = pattern(2 * 1024 * 1024 + 512);
    Path raw = Files.createTempFile("ember-test-", ".raw");
    String imageId = newId();
    Files.write(raw, data);
    qemuImg(
        "convert", "-f", "raw", "-O", "qcow2", raw.toString(), images + "/" + imageId + ".data");
    Files.delete(raw);
    long stored = Files.size(images.resolve(imageId + ".data"));
    Files.writeString(
        images.resolve(imageId + ".json"),
        """
        {"id": "%s", "name": "qcow2 image", "status": "active", "size": %d,
         "disk_format": "qcow2", "container_format": "bare", "min_disk": 1, "min_ram": 0}
        """
            .formatted(imageId, stored));
    String id = newId();

    send(id, create(id, 1, Map.of(), true, VolumeSource.image(imageId)));

    VolumeCreated created = one(id, MessageType.VOLUME_CREATED).payloadAs(VolumeCreated.class);
    assertEquals("qcow2", created.imageMetadata().get("disk_format"));
    byte[] onDisk = new byte[data.length];
    try (SeekableByteChannel channel = driver.openVolume(handle(id), false)) {
      channel.read(ByteBuffer.wrap(onDisk));
    }
    assertArrayEquals(data, onDisk, "the raw bytes, not the qcow2 file");

    // A qcow2 whose disk is larger than the volume: only qemu-img can tell.
    String bigId = newId();
    qemuImg("create", "-f", "qcow2", images + "/" + bigId + ".data", "2G");
    Files.writeString(
        images.resolve(bigId + ".json"),
        """
        {"id": "%s", "name": "big", "status": "active", "size": 200000, "disk_format": "qcow2",
         "container_format": "bare", "min_disk": 0, "min_ram": 0}
        """
            .formatted(bigId));
    String tooBig = newId();
    send(tooBig, create(tooBig, 1, Map.of(), true, VolumeSource.image(bigId)));
    assertTrue(
        one(tooBig, MessageType.VOLUME_CREATE_FAILED)
            .payloadAs(VolumeCreateFailed.class)
            .reason()
            .endsWith("Size is 2GB and doesn't fit in a volume of size 1GB."));
  }

  private static void qemuImg(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("qemu-img"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), out);
  }

  // ---- upload to image ----

  @Test
  void anUploadWritesTheVolumesBytesIntoTheQueuedImageAndMakesItActive() throws Exception {
    String volumeId = createdVolume(1, Map.of());
    write(volumeId, 0, "uploaded head");
    write(volumeId, GIB / 2, "uploaded middle");
    String imageId = imageService.create(newImage("raw")).id();

    send(volumeId, upload(volumeId, imageId, "raw", "req-u1"));

    VolumeUploaded uploaded =
        one(volumeId, MessageType.VOLUME_UPLOADED).payloadAs(VolumeUploaded.class);
    assertEquals(new VolumeUploaded(volumeId, imageId), uploaded);
    Image image = imageService.show(imageId).orElseThrow();
    assertEquals("active", image.status());
    assertEquals(GIB, image.size());
    byte[] data = Files.readAllBytes(images.resolve(imageId + ".data"));
    assertEquals("uploaded head", new String(data, 0, 13, StandardCharsets.UTF_8));
    assertEquals("uploaded middle", new String(data, (int) (GIB / 2), 15, StandardCharsets.UTF_8));
    assertTrue(
        Files.size(images.resolve(imageId + ".data")) > 0
            && allocatedBytes(images.resolve(imageId + ".data")) < GIB / 4,
        "the image of a mostly empty volume is written sparse");

    // Re-sent (its result lost): announced again, nothing copied twice.
    send(volumeId, upload(volumeId, imageId, "raw", "req-u2"));
    assertEquals(2, events(volumeId, MessageType.VOLUME_UPLOADED, 2).size());
  }

  @Test
  void aQcow2UploadIsConvertedAndReadsBackAsTheVolumesBytes() throws Exception {
    String volumeId = createdVolume(1, Map.of());
    write(volumeId, 4096, "qcow2 bytes");
    String imageId = imageService.create(newImage("qcow2")).id();

    send(volumeId, upload(volumeId, imageId, "qcow2", "req-q"));

    one(volumeId, MessageType.VOLUME_UPLOADED);
    Path data = images.resolve(imageId + ".data");
    Path raw = images.resolve(imageId + ".check.raw");
    qemuImg("convert", "-f", "qcow2", "-O", "raw", data.toString(), raw.toString());
    byte[] back = new byte[11];
    try (var file = new java.io.RandomAccessFile(raw.toFile(), "r")) {
      file.seek(4096);
      file.readFully(back);
    }
    assertEquals("qcow2 bytes", new String(back, StandardCharsets.UTF_8));
    assertEquals(GIB, Files.size(raw));
    Files.delete(raw);
  }

  @Test
  void aFailedUploadIsReportedAndTheUnfinishedImageDeleted() {
    String volumeId = createdVolume(1, Map.of(FakeDriver.FAIL_UPLOAD, "*"));
    String imageId = imageService.create(newImage("raw")).id();

    send(volumeId, upload(volumeId, imageId, "raw", "req-f"));

    VolumeUploadFailed failed =
        one(volumeId, MessageType.VOLUME_UPLOAD_FAILED).payloadAs(VolumeUploadFailed.class);
    assertEquals(imageId, failed.imageId());
    assertTrue(failed.reason().contains("injected upload failure"), failed.reason());
    assertTrue(imageService.show(imageId).isEmpty(), "the queued image is gone");

    String missing = newId();
    send(volumeId, upload(volumeId, missing, "raw", "req-m"));
    assertTrue(
        events(volumeId, MessageType.VOLUME_UPLOAD_FAILED, 2).stream()
            .anyMatch(e -> e.payloadAs(VolumeUploadFailed.class).imageId().equals(missing)));
  }

  // ---- retype ----

  @Test
  void aRetypeTheBackendCanHoldIsDoneInPlaceAndOneItCannotIsRefused() throws IOException {
    String volumeId = createdVolume(1, Map.of());
    write(volumeId, 0, "kept across the retype");

    send(volumeId, retype(volumeId, "type-a", Map.of("volume_backend_name", "fake"), false));
    assertEquals(
        new VolumeRetyped(volumeId, "type-a"),
        one(volumeId, MessageType.VOLUME_RETYPED).payloadAs(VolumeRetyped.class));
    assertEquals("kept across the retype", read(volumeId, 0, 22));

    // This host's pools are thin only; encryption never changes in place.
    send(volumeId, retype(volumeId, "type-thick", Map.of("provisioning:type", "thick"), false));
    send(volumeId, retype(volumeId, "type-enc", Map.of(), true));
    List<VolumeRetypeFailed> failed =
        events(volumeId, MessageType.VOLUME_RETYPE_FAILED, 2).stream()
            .map(e -> e.payloadAs(VolumeRetypeFailed.class))
            .toList();
    assertEquals(
        List.of("type-thick", "type-enc"), failed.stream().map(f -> f.newTypeId()).toList());
    assertTrue(
        failed.stream()
            .allMatch(
                f ->
                    !f.noValidBackend()
                        && f.reason().equals("Retype requires migration but is not allowed.")));

    String broken = createdVolume(1, Map.of(FakeDriver.FAIL_RETYPE, "*"));
    send(broken, retype(broken, "type-a", Map.of(), false));
    assertTrue(
        one(broken, MessageType.VOLUME_RETYPE_FAILED)
            .payloadAs(VolumeRetypeFailed.class)
            .reason()
            .contains("injected retype failure"));
  }

  // ---- helpers ----

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  private static Duration shortWait() {
    return Duration.ofSeconds(2);
  }

  private String createdVolume(int size, Map<String, String> metadata) {
    String id = newId();
    send(id, create(id, size, metadata, true, null));
    one(id, MessageType.VOLUME_CREATED);
    return id;
  }

  private static DriverVolume handle(String id) {
    return new DriverVolume(id, 1, "fake", null, null);
  }

  private void write(String volumeId, long position, String text) throws IOException {
    try (SeekableByteChannel channel = driver.openVolume(handle(volumeId), true)) {
      channel.position(position).write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private String read(String volumeId, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try (SeekableByteChannel channel = driver.openVolume(handle(volumeId), false)) {
      channel.position(position);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // fill
      }
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
  }

  private static byte[] pattern(int length) {
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) ("ember image ".charAt(i % 12) + i / 4096 % 7);
    }
    return data;
  }

  /** An image in the directory store, its record in Glance v2's shape. */
  private static void image(String id, String status, byte[] data, int minDisk, String extra)
      throws IOException {
    Files.writeString(
        images.resolve(id + ".json"),
        """
        {"id": "%s", "name": "test image", "status": "%s", "size": %d, "disk_format": "raw",
         "container_format": "bare", "min_disk": %d, "min_ram": 0, "visibility": "public",
         "checksum": "0123456789abcdef0123456789abcdef", "tags": [], "self": "/v2/images/%s"%s}
        """
            .formatted(id, status, data.length, minDisk, id, extra));
    Files.write(images.resolve(id + ".data"), data);
  }

  private static <T> T inTransaction(java.util.function.Supplier<T> read) {
    return QuarkusTransaction.requiringNew().call(read::get);
  }

  private static Envelope create(
      String id, int size, Map<String, String> metadata, boolean reschedule, VolumeSource source) {
    VolumeSpec spec =
        new VolumeSpec(id, "proj", "user", size, "vol", "nova", null, null, metadata, Instant.now())
            .withSource(source);
    return Envelope.of(
        MessageType.CREATE_VOLUME,
        id,
        context("req-c"),
        new CreateVolume(spec, POOL, new Retry(1, List.of(), null), reschedule));
  }

  private static Envelope createSnapshot(
      String snapshotId, String volumeId, int size, String requestId) {
    return Envelope.of(
        MessageType.CREATE_SNAPSHOT,
        volumeId,
        context(requestId),
        new CreateSnapshot(snapshotId, volumeId, "proj", POOL, size, "snap"));
  }

  private static Envelope deleteSnapshot(String snapshotId, String volumeId, String requestId) {
    return Envelope.of(
        MessageType.DELETE_SNAPSHOT,
        volumeId,
        context(requestId),
        new DeleteSnapshot(snapshotId, volumeId, "proj", POOL, 1));
  }

  private static Envelope extend(String volumeId, int from, int to, String requestId) {
    return Envelope.of(
        MessageType.EXTEND_VOLUME,
        volumeId,
        context(requestId),
        new ExtendVolume(volumeId, "proj", POOL, from, to));
  }

  private static Envelope revert(String volumeId, String snapshotId, String requestId) {
    return Envelope.of(
        MessageType.REVERT_VOLUME,
        volumeId,
        context(requestId),
        new RevertVolume(volumeId, snapshotId, "proj", POOL, 1));
  }

  private static long allocatedBytes(Path file) throws Exception {
    Process du = new ProcessBuilder("du", "-B1", "--", file.toString()).start();
    String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, du.waitFor(), out);
    return Long.parseLong(out.split("\\s+")[0]);
  }

  private static NewImage newImage(String diskFormat) {
    return new NewImage("upload", diskFormat, "bare", "private", false, 0, "proj");
  }

  private static Envelope upload(String volumeId, String imageId, String format, String requestId) {
    return Envelope.of(
        MessageType.COPY_VOLUME_TO_IMAGE,
        volumeId,
        context(requestId),
        new CopyVolumeToImage(volumeId, "proj", POOL, imageId, format, "bare"));
  }

  private static Envelope retype(
      String volumeId, String typeId, Map<String, String> specs, boolean encryptionChanges) {
    return Envelope.of(
        MessageType.RETYPE_VOLUME,
        volumeId,
        context("req-r-" + typeId),
        new RetypeVolume(volumeId, "proj", POOL, typeId, specs, "never", encryptionChanges));
  }

  private static RequestContext context(String requestId) {
    return new RequestContext(requestId, "user", "proj", List.of("member"));
  }

  private static void send(String key, Envelope envelope) {
    kafka
        .produceStrings()
        .fromRecords(new ProducerRecord<>(topics.volumeHost(HOST), key, envelope.toJson()))
        .awaitCompletion(WAIT);
  }

  private static List<ConsumerRecord<String, String>> records(
      String topic, Predicate<ConsumerRecord<String, String>> match, int count, Duration wait) {
    try (ConsumerTask<String, String> task =
        kafka
            .consumeStrings()
            .withGroupId("test-" + UUID.randomUUID())
            .withProp("auto.offset.reset", "earliest")
            .fromTopics(topic, records -> records.filter(match))) {
      try {
        task.awaitRecords(count, wait);
      } catch (AssertionError notYet) {
        // The caller judges what arrived.
      }
      return task.getRecords();
    }
  }

  private static List<Envelope> events(String key, MessageType type, int count) {
    return records(
            topics.volumeEvents(),
            r -> key.equals(r.key()) && Envelope.fromJson(r.value()).messageType() == type,
            count,
            WAIT)
        .stream()
        .map(r -> Envelope.fromJson(r.value()))
        .toList();
  }

  private static Envelope one(String key, MessageType type) {
    List<Envelope> found = events(key, type, 1);
    assertEquals(1, found.size(), "expected " + type.wire() + " for " + key);
    return found.get(0);
  }

  private static List<CloudEvent> notifications(String key, String prefix, int count) {
    List<CloudEvent> found =
        records(
                topics.notifications(),
                r ->
                    key.equals(r.key()) && CloudEvent.fromJson(r.value()).type().startsWith(prefix),
                count,
                WAIT)
            .stream()
            .map(r -> CloudEvent.fromJson(r.value()))
            .toList();
    assertEquals(count, found.size(), prefix + " notifications of " + key);
    return found;
  }

  /**
   * How many notifications of the prefix the topic holds for {@code key}, waiting briefly for one
   * more than the caller expects: for checks that something did not happen twice.
   */
  private static int countNotifications(String key, String prefix) {
    return records(
            topics.notifications(),
            r -> key.equals(r.key()) && CloudEvent.fromJson(r.value()).type().startsWith(prefix),
            3,
            shortWait())
        .size();
  }
}
