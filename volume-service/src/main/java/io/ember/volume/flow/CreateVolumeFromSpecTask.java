package io.ember.volume.flow;

import io.ember.model.HostAddress;
import io.ember.model.contract.Json;
import io.ember.model.contract.VolumeDownloading;
import io.ember.model.contract.VolumeSource;
import io.ember.model.flow.Task;
import io.ember.model.image.Image;
import io.ember.model.image.ImageService;
import io.ember.volume.backend.BackendSnapshot;
import io.ember.volume.backend.BackendSnapshots;
import io.ember.volume.backend.BackendVolume;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.driver.DriverSnapshot;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.image.QemuImg;
import io.ember.volume.outbound.HostMessages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Has the driver create the volume from what its spec names, as Cinder's task of the same name:
 * raw, from a snapshot or a source volume this backend holds, or from an image copied in as a
 * stream. A volume made from an image is bootable and carries the image's metadata.
 */
final class CreateVolumeFromSpecTask implements Task<CreateVolumeContext> {

  private static final Logger LOG = Logger.getLogger(CreateVolumeFromSpecTask.class);
  private static final long GIB = 1L << 30;

  /** Image formats whose bytes are the volume's bytes as they are. */
  private static final Set<String> RAW_FORMATS = Set.of("raw", "iso");

  /** Glance's disk formats qemu-img converts to raw, by qemu-img's name for them. */
  private static final Map<String, String> CONVERTIBLE =
      Map.of("qcow2", "qcow2", "vmdk", "vmdk", "vdi", "vdi", "vhd", "vpc", "vhdx", "vhdx");

  /**
   * Glance's own fields of an image, which are not its properties: the rest of the record is what
   * Cinder copies into {@code volume_glance_metadata} beside the attributes it names.
   */
  private static final Set<String> GLANCE_CORE =
      Set.of(
          "tags",
          "file",
          "schema",
          "self",
          "updated_at",
          "direct_url",
          "locations",
          "stores",
          "os_hidden",
          "os_hash_algo",
          "os_hash_value",
          "deleted",
          "deleted_at");

  private final VolumeDriver driver;
  private final BackendVolumes volumes;
  private final BackendSnapshots snapshots;
  private final ImageService images;
  private final QemuImg qemuImg;
  private final HostMessages messages;

  CreateVolumeFromSpecTask(
      VolumeDriver driver,
      BackendVolumes volumes,
      BackendSnapshots snapshots,
      ImageService images,
      QemuImg qemuImg,
      HostMessages messages) {
    this.driver = driver;
    this.volumes = volumes;
    this.snapshots = snapshots;
    this.images = images;
    this.messages = messages;
    this.qemuImg = qemuImg;
  }

  @Override
  public void execute(CreateVolumeContext context) {
    if (!driver.initialized()) {
      throw new VolumeDriverException("volume driver is not initialized");
    }
    VolumeSource source = context.spec.source();
    if (source == null) {
      createRawVolume(context);
    } else if (source.snapshotId() != null) {
      createFromSnapshot(context, source.snapshotId());
    } else if (source.sourceVolid() != null) {
      createFromSourceVolume(context, source.sourceVolid());
    } else if (source.imageId() != null) {
      createFromImage(context, source.imageId());
    } else {
      createRawVolume(context);
    }
  }

  /** Cinder's {@code _create_raw_volume}. */
  private void createRawVolume(CreateVolumeContext context) {
    context.providerLocation = driver.createVolume(context.volume).providerLocation();
  }

  /**
   * Cinder's {@code _create_from_snapshot}. The scheduler places the volume on the backend of its
   * snapshot; a snapshot this host does not hold is Cinder's {@code SnapshotNotFound}, which no
   * reschedule fixes.
   */
  private void createFromSnapshot(CreateVolumeContext context, String snapshotId) {
    BackendSnapshot snapshot =
        snapshots
            .find(snapshotId)
            .orElseThrow(() -> UnreschedulableException.snapshotNotFound(snapshotId));
    if (context.spec.size() < snapshot.volumeSize()) {
      throw new VolumeDriverException(
          "volume size "
              + context.spec.size()
              + " GiB is smaller than snapshot "
              + snapshotId
              + " ("
              + snapshot.volumeSize()
              + " GiB)");
    }
    context.providerLocation =
        driver
            .createVolumeFromSnapshot(
                context.volume,
                new DriverSnapshot(
                    snapshotId,
                    snapshot.volumeId(),
                    snapshot.volumeSize(),
                    snapshot.providerLocation()))
            .providerLocation();
  }

  /** Cinder's {@code _create_from_source_volume}: a clone of a volume this backend holds. */
  private void createFromSourceVolume(CreateVolumeContext context, String sourceVolid) {
    BackendVolume source =
        volumes
            .find(sourceVolid)
            .orElseThrow(() -> UnreschedulableException.volumeNotFound(sourceVolid));
    if (context.spec.size() < source.size()) {
      throw new VolumeDriverException(
          "volume size "
              + context.spec.size()
              + " GiB is smaller than source volume "
              + sourceVolid
              + " ("
              + source.size()
              + " GiB)");
    }
    String pool = HostAddress.parse(source.pool()).pool();
    context.providerLocation =
        driver
            .createClonedVolume(
                context.volume,
                new DriverVolume(sourceVolid, source.size(), pool, null, source.providerLocation()))
            .providerLocation();
  }

  /**
   * Cinder's {@code _create_from_image}: checks the image, creates a raw volume, copies the image
   * in, then records what the volume got from it. What fails here fails on any backend, so it is
   * not rescheduled.
   */
  private void createFromImage(CreateVolumeContext context, String imageId) {
    Image image =
        images.show(imageId).orElseThrow(() -> UnreschedulableException.imageNotFound(imageId));
    checkImage(context, image);
    createRawVolume(context);
    // Cinder's manager sets downloading for the copy (create_volume.py, _create_from_image).
    messages.volumeDownloading(
        context.requestContext,
        new VolumeDownloading(context.spec.volumeId(), context.pool.toString(), image.id()));
    try {
      copyImageToVolume(context, image);
    } catch (RuntimeException e) {
      // The volume goes to error or to another host: either way this copy is of no use.
      try {
        driver.deleteVolume(context.volume);
      } catch (RuntimeException cleanup) {
        LOG.warnf("cleanup of volume %s failed: %s", context.spec.volumeId(), cleanup);
      }
      throw e;
    }
    captureVolumeImageMetadata(context, image);
    handleBootableVolumeGlanceMeta(context, image);
  }

  /** What Cinder's API and {@code fetch_to_raw} check of an image before copying it. */
  private void checkImage(CreateVolumeContext context, Image image) {
    if (!image.active()) {
      throw UnreschedulableException.imageUnacceptable(
          image.id(), "status is " + image.status() + ", not active");
    }
    String format = image.diskFormat() == null ? "raw" : image.diskFormat();
    if (!RAW_FORMATS.contains(format)
        && !(CONVERTIBLE.containsKey(format) && qemuImg.available())) {
      throw UnreschedulableException.imageUnacceptable(
          image.id(), "disk format " + format + " cannot be written to a volume here");
    }
    int size = context.spec.size();
    if (image.minDisk() > size) {
      throw UnreschedulableException.imageUnacceptable(
          image.id(),
          "Volume size "
              + size
              + "GB cannot be smaller than the image minDisk size "
              + image.minDisk()
              + "GB.");
    }
    // A converted image's stored size says nothing of its size as a disk; qemu-img tells later.
    Long bytes =
        image.virtualSize() != null
            ? image.virtualSize()
            : RAW_FORMATS.contains(format) ? image.size() : null;
    checkFits(image.id(), bytes, size);
  }

  private static void checkFits(String imageId, Long bytes, int volumeSize) {
    if (bytes != null && bytes > volumeSize * GIB) {
      long imageGb = (bytes + GIB - 1) / GIB;
      throw UnreschedulableException.imageTooBig(
          imageId,
          "Size is " + imageGb + "GB and doesn't fit in a volume of size " + volumeSize + "GB.");
    }
  }

  /**
   * Cinder's {@code _copy_image_to_volume}: a raw image's bytes streamed into the volume; any other
   * format is downloaded to a scratch file, checked and converted to raw by qemu-img first
   * (Cinder's {@code fetch_to_raw}), then streamed in.
   */
  private void copyImageToVolume(CreateVolumeContext context, Image image) {
    String format = image.diskFormat() == null ? "raw" : image.diskFormat();
    try {
      if (RAW_FORMATS.contains(format)) {
        try (InputStream data = images.download(image.id())) {
          driver.copyImageToVolume(context.volume, data);
        }
      } else {
        copyConverted(context, image, CONVERTIBLE.get(format));
      }
    } catch (IOException e) {
      throw UnreschedulableException.imageCopyFailure(
          "image " + image.id() + " could not be read: " + e.getMessage(), e);
    } catch (VolumeDriverException e) {
      throw UnreschedulableException.imageCopyFailure(e.getMessage(), e);
    }
  }

  private void copyConverted(CreateVolumeContext context, Image image, String qemuFormat)
      throws IOException {
    Path scratch = Files.createTempDirectory("ember-image-");
    try {
      Path fetched = scratch.resolve("fetched");
      try (InputStream data = images.download(image.id())) {
        Files.copy(data, fetched);
      }
      QemuImg.Info info;
      try {
        info = qemuImg.info(fetched, qemuFormat);
      } catch (IOException e) {
        throw UnreschedulableException.imageUnacceptable(image.id(), e.getMessage());
      }
      checkFits(image.id(), info.virtualSize(), context.spec.size());
      Path raw = scratch.resolve("raw");
      qemuImg.convertToRaw(fetched, qemuFormat, raw);
      try (InputStream data = Files.newInputStream(raw)) {
        driver.copyImageToVolume(context.volume, data);
      }
    } finally {
      try (Stream<Path> files = Files.list(scratch)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(scratch);
    }
  }

  /**
   * Cinder's {@code _capture_volume_image_metadata}: the image's id and name, the attributes it
   * names, and every custom property, as strings (its {@code volume_glance_metadata} rows).
   */
  private static void captureVolumeImageMetadata(CreateVolumeContext context, Image image) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("image_id", image.id());
    putIfSet(metadata, "image_name", image.name());
    putIfSet(metadata, "checksum", image.checksum());
    putIfSet(metadata, "container_format", image.containerFormat());
    putIfSet(metadata, "disk_format", image.diskFormat());
    metadata.put("min_disk", String.valueOf(image.minDisk()));
    metadata.put("min_ram", String.valueOf(image.minRam()));
    putIfSet(metadata, "size", image.size());
    image
        .properties()
        .forEach(
            (key, value) -> {
              if (!GLANCE_CORE.contains(key) && value != null) {
                metadata.put(key, value instanceof String text ? text : Json.write(value));
              }
            });
    context.imageMetadata = Map.copyOf(metadata);
  }

  private static void putIfSet(Map<String, String> metadata, String key, Object value) {
    if (value != null) {
      metadata.put(key, String.valueOf(value));
    }
  }

  /**
   * Cinder's {@code _handle_bootable_volume_glance_meta}: a volume made from an image is bootable.
   */
  private static void handleBootableVolumeGlanceMeta(CreateVolumeContext context, Image image) {
    enableBootableFlag(context);
    LOG.debugf("volume %s bootable from image %s", context.spec.volumeId(), image.id());
  }

  /** Cinder's {@code _enable_bootable_flag}: here the flag travels in {@code volume.created}. */
  private static void enableBootableFlag(CreateVolumeContext context) {
    context.bootable = Boolean.TRUE;
  }
}
