package io.ember.volume.manager;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.contract.CopyVolumeToImage;
import io.ember.model.contract.VolumeUploadFailed;
import io.ember.model.contract.VolumeUploaded;
import io.ember.model.image.Image;
import io.ember.model.image.ImageService;
import io.ember.model.image.SparseOutput;
import io.ember.volume.backend.BackendVolume;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.image.QemuImg;
import io.ember.volume.outbound.HostMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code copy_volume_to_image} of Cinder's volume rpcapi: the driver copies the volume's bytes out
 * (raw), qemu-img converts them when another disk format was asked for, and the image store takes
 * them, turning the image the API registered {@code queued} to {@code active}. On failure the
 * unfinished image is deleted (Cinder's {@code _delete_image}) and the API told, which puts the
 * volume back. An image already {@code active} (a command re-sent after its result was lost) is
 * announced again without a second copy.
 */
@ApplicationScoped
public class CopyVolumeToImageHandler {

  private static final Logger LOG = Logger.getLogger(CopyVolumeToImageHandler.class);

  /** qemu-img's output format for each disk format Cinder's upload accepts, raw aside. */
  private static final Map<String, String> QEMU_FORMATS =
      Map.of("qcow2", "qcow2", "vmdk", "vmdk", "vdi", "vdi", "vhd", "vpc", "vhdx", "vhdx");

  private final QemuImg qemuImg = new QemuImg();

  @Inject VolumeDriver driver;
  @Inject BackendVolumes volumes;
  @Inject HostMessages messages;
  @Inject ImageService images;
  @Inject VolumeHostConfig config;

  public void handle(RequestContext context, CopyVolumeToImage command) {
    OwnPool.require(command.volumeId(), "copy_volume_to_image without a volume id");
    OwnPool.require(command.imageId(), "copy_volume_to_image without an image id");
    HostAddress pool = OwnPool.of(command.pool(), config.host());
    String volumeId = command.volumeId();
    String imageId = command.imageId();
    try {
      Optional<Image> image = images.show(imageId);
      if (image.isPresent() && image.get().active()) {
        messages.volumeUploaded(context, new VolumeUploaded(volumeId, imageId));
        LOG.infof("image %s of volume %s is already active: announced again", imageId, volumeId);
        return;
      }
      if (image.isEmpty()) {
        throw new VolumeDriverException("image " + imageId + " no longer exists");
      }
      upload(pool, command);
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      deleteUnfinished(imageId);
      messages.volumeUploadFailed(context, new VolumeUploadFailed(volumeId, imageId, reason));
      LOG.warnf("upload of volume %s to image %s failed: %s", volumeId, imageId, reason);
      return;
    }
    messages.volumeUploaded(context, new VolumeUploaded(volumeId, imageId));
    LOG.infof("volume %s uploaded to image %s as %s", volumeId, imageId, command.diskFormat());
  }

  private void upload(HostAddress pool, CopyVolumeToImage command) throws IOException {
    if (!driver.initialized()) {
      throw new VolumeDriverException("volume driver is not initialized");
    }
    String volumeId = command.volumeId();
    BackendVolume held =
        volumes
            .find(volumeId)
            .orElseThrow(
                () ->
                    new VolumeDriverException(
                        "Volume " + volumeId + " could not be found on " + config.host() + "."));
    String format = command.diskFormat() == null ? "raw" : command.diskFormat();
    String qemuFormat = QEMU_FORMATS.get(format);
    if (!"raw".equals(format) && (qemuFormat == null || !qemuImg.available())) {
      throw new VolumeDriverException(
          "disk format " + format + " cannot be written here (qemu-img is needed)");
    }
    DriverVolume volume =
        new DriverVolume(volumeId, held.size(), pool.pool(), null, held.providerLocation());
    Path raw = Files.createTempFile("ember-upload-" + volumeId, ".raw");
    Path converted = null;
    try {
      try (OutputStream out = new SparseOutput(raw)) {
        driver.copyVolumeToImage(volume, out);
      }
      Path data = raw;
      if (!"raw".equals(format)) {
        converted = Files.createTempFile("ember-upload-" + volumeId, "." + format);
        qemuImg.convert(raw, "raw", qemuFormat, converted);
        data = converted;
      }
      try (InputStream in = Files.newInputStream(data)) {
        images.upload(command.imageId(), in);
      }
    } finally {
      Files.deleteIfExists(raw);
      if (converted != null) {
        Files.deleteIfExists(converted);
      }
    }
  }

  /** Deletes the image unless it became active; a store that fails here is logged, not fatal. */
  private void deleteUnfinished(String imageId) {
    try {
      Optional<Image> image = images.show(imageId);
      if (image.isPresent() && !image.get().active()) {
        images.delete(imageId);
      }
    } catch (RuntimeException e) {
      LOG.warnf("image %s could not be deleted after a failed upload: %s", imageId, e.getMessage());
    }
  }
}
