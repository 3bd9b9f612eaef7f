package io.ember.api.volumeops;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.config.ApiConfig;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.outbound.HostCommands;
import io.ember.api.type.VolumeType;
import io.ember.api.usermessage.UserMessages;
import io.ember.api.view.VolumeTypeView;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volume.VolumeFields;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.CopyVolumeToImage;
import io.ember.model.contract.VolumeUploadFailed;
import io.ember.model.contract.VolumeUploaded;
import io.ember.model.image.Image;
import io.ember.model.image.ImageService;
import io.ember.model.image.ImageStoreException;
import io.ember.model.image.NewImage;
import io.ember.model.jdbc.TransactionOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * {@code os-volume_upload_image}: Cinder's {@code copy_volume_to_image}. The image is registered
 * {@code queued} in the image store, the volume set {@code uploading} (its status kept in {@code
 * previous_status}) and {@code copy_volume_to_image} sent to its host in one transaction; the
 * host's result puts the volume back where it was.
 */
@ApplicationScoped
public class ImageUploads {

  private static final Logger LOG = Logger.getLogger(ImageUploads.class);

  static final String ACTION = "os-volume_upload_image";

  /** Cinder's schema's {@code disk_format} enum, in its order (its message lists them so). */
  static final List<String> DISK_FORMATS =
      List.of("raw", "vmdk", "vdi", "qcow2", "vhd", "vhdx", "ploop");

  static final List<String> VISIBILITIES = List.of("community", "public", "private", "shared");

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  @Inject VolumeService volumes;
  @Inject ImageService images;
  @Inject HostCommands hostCommands;
  @Inject ApiConfig config;
  @Inject UserMessages messages;
  @Inject TransactionSynchronizationRegistry transactions;

  /** The action's body, checked as Cinder's schema (and its 3.1 variant) checks it. */
  record Request(
      String imageName,
      boolean force,
      String diskFormat,
      String containerFormat,
      String visibility,
      boolean isProtected) {

    static Request parse(JsonNode request, boolean v31) {
      JsonNode body = request.get(ACTION);
      if (body == null || !body.isObject()) {
        throw VolumeFields.invalidField(
            ACTION, body, Echo.cap(String.valueOf(body)) + " is not of type 'object'");
      }
      Set<String> allowed =
          v31
              ? Set.of(
                  "image_name",
                  "force",
                  "disk_format",
                  "container_format",
                  "visibility",
                  "protected")
              : Set.of("image_name", "force", "disk_format", "container_format");
      for (String name : (Iterable<String>) body::fieldNames) {
        if (!allowed.contains(name)) {
          throw VolumeFields.invalidField(
              ACTION,
              body,
              "Additional properties are not allowed ('" + Echo.cap(name) + "' was unexpected)");
        }
      }
      JsonNode name = body.get("image_name");
      if (name == null) {
        throw VolumeFields.invalidField(ACTION, body, "'image_name' is a required property");
      }
      String imageName = text("image_name", name);
      if (imageName.isEmpty()) {
        throw VolumeFields.invalidField("image_name", name, "'' is too short");
      }
      if (imageName.length() > 255) {
        throw VolumeFields.invalidField(
            "image_name", name, "'" + Echo.cap(imageName) + "' is too long");
      }
      boolean force = body.has("force") && VolumeFields.flag("force", body.get("force"));
      String diskFormat = oneOf("disk_format", body.get("disk_format"), DISK_FORMATS, "raw");
      String containerFormat =
          body.has("container_format")
              ? text("container_format", body.get("container_format"))
              : "bare";
      if (containerFormat.length() > 255) {
        throw VolumeFields.invalidField(
            "container_format",
            body.get("container_format"),
            "'" + Echo.cap(containerFormat) + "' is too long");
      }
      // Before 3.1 Cinder sends no visibility and Glance's own default applies.
      String visibility =
          v31 ? oneOf("visibility", body.get("visibility"), VISIBILITIES, "private") : "shared";
      boolean isProtected =
          v31 && body.has("protected") && VolumeFields.flag("protected", body.get("protected"));
      return new Request(imageName, force, diskFormat, containerFormat, visibility, isProtected);
    }

    private static String text(String field, JsonNode value) {
      if (!value.isTextual()) {
        throw VolumeFields.invalidField(
            field, value, Echo.cap(value.toString()) + " is not of type 'string'");
      }
      return value.asText();
    }

    private static String oneOf(String field, JsonNode value, List<String> values, String absent) {
      if (value == null) {
        return absent;
      }
      String given = text(field, value);
      if (!values.contains(given)) {
        throw VolumeFields.invalidField(
            field,
            value,
            "'"
                + Echo.cap(given)
                + "' is not one of ["
                + String.join(", ", values.stream().map(v -> "'" + v + "'").toList())
                + "]");
      }
      return given;
    }
  }

  /**
   * Starts the upload; the answer's {@code os-volume_upload_image} object as Cinder's.
   *
   * @param v31 whether the request's microversion is 3.1 or later ({@code visibility}, {@code
   *     protected})
   */
  @Transactional
  public Map<String, Object> upload(
      String id, JsonNode request, boolean v31, boolean admin, RequestContext caller) {
    Request asked = Request.parse(request, v31);
    Volume volume = volumes.lockedForChange(id, caller);
    AdminPolicy.require(
        caller, "volume_extension:volume_actions:upload_image", AdminPolicy.Level.MEMBER);
    if (volume.encryptionKeyId != null
        && (!"raw".equals(asked.diskFormat()) || !"bare".equals(asked.containerFormat()))) {
      throw CinderFault.badRequest(
          "An encrypted volume uploaded as an image must use 'raw' disk_format and 'bare'"
              + " container_format, which are the defaults for these options.");
    }
    if ("public".equals(asked.visibility())) {
      AdminPolicy.require(
          caller, "volume_extension:volume_actions:upload_public", AdminPolicy.Level.ADMIN);
    }
    boolean force = asked.force();
    if (force && !config.api().enableForceUpload()) {
      LOG.infof("volume %s: force upload to image is disabled, force ignored", volume.id);
      force = false;
    }
    Set<String> expected =
        force
            ? Set.of(VolumeStatus.AVAILABLE.wire(), VolumeStatus.IN_USE.wire())
            : Set.of(VolumeStatus.AVAILABLE.wire());
    if (!expected.contains(volume.status) || volume.host == null) {
      throw CinderFault.invalidVolume(
          "Volume "
              + volume.id
              + " status must be "
              + (force ? "available or in-use" : "available"));
    }
    Image image;
    try {
      image =
          images.create(
              new NewImage(
                  asked.imageName(),
                  asked.diskFormat(),
                  asked.containerFormat(),
                  asked.visibility(),
                  asked.isProtected(),
                  minDisk(volume),
                  volume.projectId));
    } catch (ImageStoreException e) {
      LOG.warnf("volume %s: the image store refused a new image: %s", volume.id, e.getMessage());
      throw CinderFault.badRequest(e.getMessage());
    }
    String imageId = image.id();
    // Registered outside the transaction: a rollback must not leave it queued for ever.
    TransactionOutcome.afterRollback(transactions, () -> deleteQuietly(imageId));
    volume.previousStatus = volume.status;
    volume.status = VolumeStatus.UPLOADING.wire();
    volume.uploadImageId = imageId;
    volume.updatedAt = VolumeClock.now();
    hostCommands.copyVolumeToImage(
        new CopyVolumeToImage(
            volume.id.toString(),
            volume.projectId,
            volume.host,
            imageId,
            asked.diskFormat(),
            asked.containerFormat()),
        caller);
    LOG.infof(
        "volume %s uploading to image %s (%s) on %s",
        volume.id, imageId, asked.diskFormat(), volume.host);
    return answer(volume, image, admin);
  }

  /** The volume's own {@code min_disk} from the image it came from, else none. */
  private static int minDisk(Volume volume) {
    try {
      return Integer.parseInt(volume.imageMetadata.getOrDefault("min_disk", "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Map<String, Object> answer(Volume volume, Image image, boolean admin) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", volume.id.toString());
    m.put("updated_at", volume.updatedAt.format(TIME));
    m.put("status", volume.status);
    m.put("display_description", volume.description);
    m.put("size", volume.size);
    VolumeType type = volume.volumeTypeId == null ? null : VolumeType.findById(volume.volumeTypeId);
    m.put("volume_type", type == null ? null : new VolumeTypeView(admin).show(type));
    m.put("image_id", image.id());
    m.put("container_format", image.containerFormat());
    m.put("disk_format", image.diskFormat());
    m.put("image_name", image.name());
    m.put("protected", image.isProtected());
    m.put("visibility", image.visibility());
    return m;
  }

  /**
   * The host copied the bytes: the volume back to its status before the upload. Applies only to the
   * upload in flight, so a late or replayed event cannot move the volume.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void uploaded(VolumeUploaded event) {
    Volume volume = inFlight(event.volumeId(), event.imageId(), "uploaded");
    if (volume == null) {
      return;
    }
    backFromUploading(volume);
    LOG.infof("volume %s uploaded to image %s, %s", volume.id, event.imageId(), volume.status);
  }

  /**
   * The upload failed (the host deleted the unfinished image): the volume back to its status before
   * the upload, and Cinder's user message.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void uploadFailed(VolumeUploadFailed event) {
    Volume volume = inFlight(event.volumeId(), event.imageId(), "upload_failed");
    if (volume == null) {
      return;
    }
    backFromUploading(volume);
    messages.volumeError(
        volume.projectId,
        volume.id.toString(),
        volume.requestId,
        UserMessages.Failure.UPLOAD_FAILED);
    LOG.infof(
        "volume %s upload to image %s failed (%s), %s",
        volume.id, event.imageId(), event.reason(), volume.status);
  }

  private static Volume inFlight(String volumeId, String imageId, String what) {
    UUID id = Volume.parseId(volumeId);
    Volume volume = id == null ? null : Volume.findById(id);
    if (volume == null
        || !VolumeStatus.UPLOADING.wire().equals(volume.status)
        || !String.valueOf(imageId).equals(volume.uploadImageId)) {
      LOG.infof(
          "volume %s %s event for image %s ignored (status %s)",
          volumeId, what, imageId, volume == null ? "gone" : volume.status);
      return null;
    }
    return volume;
  }

  private static void backFromUploading(Volume volume) {
    volume.status =
        volume.previousStatus == null ? VolumeStatus.AVAILABLE.wire() : volume.previousStatus;
    volume.previousStatus = null;
    volume.uploadImageId = null;
    volume.updatedAt = VolumeClock.now();
    // Written now: a later event of the same poll may change the row with one statement.
    Volume.flush();
  }

  /** Deletes an image the upload will not finish; a store that fails is logged, not fatal. */
  public void deleteQuietly(String imageId) {
    try {
      images.show(imageId).filter(i -> !i.active()).ifPresent(i -> images.delete(imageId));
    } catch (RuntimeException e) {
      LOG.warnf("image %s could not be deleted: %s", imageId, e.getMessage());
    }
  }
}
