package io.ember.api.attachment;

import com.fasterxml.jackson.core.type.TypeReference;
import io.ember.api.fault.CinderFault;
import io.ember.api.qos.QosSpecs;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.ConnectionInfo;
import io.ember.model.contract.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The status rules of attachments and of the volumes they belong to (Cinder's {@code volume/api.py}
 * attach and detach paths), each applied on locked rows in the caller's transaction. The flows'
 * tasks and the deadline sweeper share them, so a call that never answers is undone the same way
 * whoever notices.
 */
@ApplicationScoped
public class AttachmentStates {

  private static final Logger LOG = Logger.getLogger(AttachmentStates.class);

  private static final String AVAILABLE = VolumeStatus.AVAILABLE.wire();
  private static final String IN_USE = VolumeStatus.IN_USE.wire();
  private static final String DOWNLOADING = VolumeStatus.DOWNLOADING.wire();
  private static final String MAINTENANCE = VolumeStatus.MAINTENANCE.wire();
  private static final String VOLUME_RESERVED = VolumeStatus.RESERVED.wire();
  private static final String VOLUME_ATTACHING = VolumeStatus.ATTACHING.wire();
  private static final String VOLUME_DETACHING = VolumeStatus.DETACHING.wire();

  @Inject VolumeTypeCatalog types;

  /** The attachment, its row locked; Cinder's 404 when there is none the caller may see. */
  @Transactional(Transactional.TxType.MANDATORY)
  public Attachment locked(UUID id, String project, boolean admin) {
    Attachment attachment =
        id == null ? null : Attachment.findById(id, LockModeType.PESSIMISTIC_WRITE);
    if (attachment == null || !(admin || attachment.projectId.equals(project))) {
      throw notFound(id);
    }
    return attachment;
  }

  public static CinderFault notFound(Object id) {
    return CinderFault.notFound("VolumeAttachment " + id + " could not be found.");
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public Volume lockedVolume(UUID id) {
    return Volume.findById(id, LockModeType.PESSIMISTIC_WRITE);
  }

  /** Whether the volume's type allows several attachments ({@code multiattach="<is> True"}). */
  public boolean multiattach(Volume volume) {
    return types.isMultiattach(volume.volumeTypeId);
  }

  /**
   * Attachment create (3.27): the volume to {@code reserved}, from {@code available} or {@code
   * downloading} (and {@code in-use} when multiattach), and a {@code reserved} attachment.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Attachment reserve(AttachmentCall call, Volume volume) {
    List<String> allowed =
        multiattach(volume)
            ? List.of(AVAILABLE, IN_USE, DOWNLOADING)
            : List.of(AVAILABLE, DOWNLOADING);
    if (!allowed.contains(volume.status) || volume.host == null) {
      throw CinderFault.invalidVolume(
          "Volume "
              + volume.id
              + " status must be "
              + String.join(" or ", allowed)
              + " to reserve, but the current status is "
              + volume.status
              + ".");
    }
    Attachment attachment = newAttachment(call, volume, Attachment.RESERVED);
    attachment.persist();
    volume.status = VOLUME_RESERVED;
    readonlyKnown(volume);
    volume.updatedAt = VolumeClock.now();
    call.attachmentId = attachment.id;
    target(call, volume);
    return attachment;
  }

  /**
   * Before {@code attachment_update}: the attachment (reserved, or connected already) and its
   * volume to {@code attaching}, their statuses kept to go back to.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void markAttaching(AttachmentCall call) {
    Attachment attachment =
        locked(call.attachmentId, call.caller().projectId(), call.caller().isAdmin());
    Volume volume = lockedVolume(attachment.volumeId);
    if (MAINTENANCE.equals(volume.status)) {
      throw CinderFault.invalidVolume("Volume " + volume.id + " status must not be maintenance.");
    }
    if (attachment.previousStatus != null
        || !(Attachment.RESERVED.equals(attachment.attachStatus) || attachment.connected())) {
      throw CinderFault.invalidVolume(
          "Attachment "
              + attachment.id
              + " status must be reserved, attaching or attached to update, but it is "
              + attachment.attachStatus
              + ".");
    }
    call.before = copy(attachment);
    attachment.previousStatus = attachment.attachStatus;
    attachment.attachStatus = Attachment.ATTACHING;
    attachment.updatedAt = VolumeClock.now();
    if (VOLUME_RESERVED.equals(volume.status) || VOLUME_ATTACHING.equals(volume.status)) {
      volume.previousStatus = volume.status;
      volume.status = VOLUME_ATTACHING;
      volume.updatedAt = VolumeClock.now();
    }
    target(call, volume);
  }

  /** After {@code attachment_update}: the connection kept, as the attachment view shows it. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void recordConnection(AttachmentCall call) {
    ConnectionInfo connection = call.reply().resultAs(ConnectionInfo.class);
    call.connection = connection;
    if (call.attachmentId == null) {
      return;
    }
    Attachment attachment = Attachment.findById(call.attachmentId, LockModeType.PESSIMISTIC_WRITE);
    attachment.connectionInfo = shownConnection(connection, call.attachmentId);
    attachment.connector = Json.write(call.connector);
    Object host = call.connector.get("host");
    attachment.attachedHost = host == null ? null : host.toString();
    Object mountpoint = call.connector.get("mountpoint");
    attachment.mountpoint = mountpoint == null ? "na" : mountpoint.toString();
    attachment.previousStatus = null;
    attachment.updatedAt = VolumeClock.now();
    Volume volume = lockedVolume(attachment.volumeId);
    if (VOLUME_ATTACHING.equals(volume.status)) {
      volume.previousStatus = null;
    }
  }

  /**
   * Legacy {@code os-attach}: the volume {@code available} (or {@code attaching} after {@code
   * os-reserve}, or {@code in-use} when multiattach) to {@code attaching}, with a new attachment in
   * {@code attaching} that undoing removes.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void addAttachment(AttachmentCall call, Volume volume) {
    if (MAINTENANCE.equals(volume.status)) {
      throw CinderFault.invalidVolume("The volume cannot be attached in maintenance mode.");
    }
    List<String> allowed =
        multiattach(volume)
            ? List.of(AVAILABLE, VOLUME_ATTACHING, IN_USE)
            : List.of(AVAILABLE, VOLUME_ATTACHING);
    if (!allowed.contains(volume.status) || volume.host == null) {
      throw CinderFault.invalidVolume(
          "Volume status must be "
              + String.join(" or ", allowed)
              + " to attach, but the status is "
              + volume.status
              + ".");
    }
    if ("True".equals(volume.adminMetadata.get("readonly")) && !"ro".equals(call.mode)) {
      throw CinderFault.badRequest(
          "Invalid attaching mode '" + call.mode + "' for volume " + volume.id + ".");
    }
    Attachment attachment = newAttachment(call, volume, Attachment.ATTACHING);
    attachment.attachedHost = call.hostName;
    attachment.mountpoint = call.mountpoint;
    attachment.previousStatus = Attachment.NONE;
    attachment.persist();
    volume.previousStatus = volume.status;
    volume.status = VOLUME_ATTACHING;
    volume.updatedAt = VolumeClock.now();
    call.attachmentId = attachment.id;
    target(call, volume);
  }

  /**
   * Attachment complete (3.44), and the end of a legacy attach: the attachment {@code attached},
   * the volume {@code in-use}.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Volume attached(Attachment attachment) {
    attachment.attachStatus = Attachment.ATTACHED;
    attachment.previousStatus = null;
    attachment.attachTime = VolumeClock.now();
    attachment.updatedAt = attachment.attachTime;
    Volume volume = lockedVolume(attachment.volumeId);
    volume.status = IN_USE;
    volume.attachStatus = Attachment.ATTACHED;
    volume.previousStatus = null;
    readonlyKnown(volume);
    if (attachment.attachMode != null && attachment.connectionInfo == null) {
      // Legacy attach: Cinder keeps the mode in the admin metadata the volume body shows.
      Map<String, String> admin = new LinkedHashMap<>(volume.adminMetadata);
      admin.put("attached_mode", attachment.attachMode);
      volume.adminMetadata = admin;
    }
    volume.updatedAt = VolumeClock.now();
    return volume;
  }

  /**
   * Before a detach call: the attachment and its volume to {@code detaching}, their statuses kept
   * to go back to.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void markDetaching(AttachmentCall call, Attachment attachment) {
    Volume volume = lockedVolume(attachment.volumeId);
    if (attachment.previousStatus != null) {
      throw new CinderFault(
          409, "Attachment " + attachment.id + " is busy with another request; retry later.");
    }
    call.before = copy(attachment);
    attachment.previousStatus = attachment.attachStatus;
    attachment.attachStatus = Attachment.DETACHING;
    attachment.updatedAt = VolumeClock.now();
    volume.previousStatus = volume.status;
    volume.status = VOLUME_DETACHING;
    volume.updatedAt = VolumeClock.now();
    target(call, volume);
  }

  /**
   * The attachment is gone (its connection closed, or it never had one): the row removed and the
   * volume's status from what remains.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Volume remove(Attachment attachment) {
    Volume volume = lockedVolume(attachment.volumeId);
    attachment.delete();
    Attachment.flush();
    settle(volume);
    return volume;
  }

  /**
   * An admin's {@code os-reset_status} to attach_status {@code detached}, after its fields are set:
   * as Cinder's reset, every attachment of the volume is gone and {@code attached_mode} with them;
   * if there were any, the volume is {@code available} and detached (its status kept while a
   * migration is under way or an upload runs, as Cinder keeps it). So no volume shown detached
   * carries an attached attachment.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void clearForReset(Volume volume) {
    long removed = Attachment.delete("volumeId", volume.id);
    dropAttachedMode(volume);
    if (removed == 0) {
      return;
    }
    boolean moving =
        volume.migrationStatus != null
            && !"success".equals(volume.migrationStatus)
            && !"error".equals(volume.migrationStatus);
    if (!moving && !"uploading".equals(volume.status)) {
      volume.status = AVAILABLE;
    }
    volume.attachStatus = "detached";
    volume.previousStatus = null;
  }

  /** A detached volume keeps no {@code attached_mode} in its admin metadata. */
  private static void dropAttachedMode(Volume volume) {
    Map<String, String> admin = new LinkedHashMap<>(volume.adminMetadata);
    if (admin.remove("attached_mode") != null) {
      volume.adminMetadata = admin;
    }
  }

  /** The volume's status from its attachments: in-use, attaching, reserved, or available. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void settle(Volume volume) {
    List<Attachment> left = Attachment.list("volumeId", volume.id);
    if (left.stream().anyMatch(a -> Attachment.ATTACHED.equals(a.attachStatus))) {
      volume.status = IN_USE;
      volume.attachStatus = Attachment.ATTACHED;
    } else {
      volume.attachStatus = "detached";
      if (left.stream().anyMatch(a -> Attachment.ATTACHING.equals(a.attachStatus))) {
        volume.status = VOLUME_ATTACHING;
      } else if (left.stream().anyMatch(a -> Attachment.RESERVED.equals(a.attachStatus))) {
        volume.status = VOLUME_RESERVED;
      } else {
        volume.status = AVAILABLE;
      }
      dropAttachedMode(volume);
    }
    volume.previousStatus = null;
    volume.updatedAt = VolumeClock.now();
  }

  /**
   * Undoes a call that failed or never answered: the attachment back to the status it had (a legacy
   * attach's new row removed), the volume back to its own. Nothing when no call is in flight
   * (already undone, or answered meanwhile).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void rollBack(UUID attachmentId, String why) {
    Attachment attachment = Attachment.findById(attachmentId, LockModeType.PESSIMISTIC_WRITE);
    if (attachment == null || attachment.previousStatus == null) {
      return;
    }
    Volume volume = lockedVolume(attachment.volumeId);
    if (Attachment.NONE.equals(attachment.previousStatus)) {
      attachment.delete();
    } else {
      attachment.attachStatus = attachment.previousStatus;
      attachment.previousStatus = null;
      attachment.updatedAt = VolumeClock.now();
    }
    if (volume != null
        && volume.previousStatus != null
        && (VOLUME_ATTACHING.equals(volume.status) || VOLUME_DETACHING.equals(volume.status))) {
      volume.status = volume.previousStatus;
      volume.previousStatus = null;
      volume.updatedAt = VolumeClock.now();
    }
    LOG.infof(
        "attachment %s of volume %s rolled back to %s (%s)",
        attachmentId,
        attachment.volumeId,
        attachment.previousStatus == null ? attachment.attachStatus : "nothing: removed",
        why);
  }

  /** Where the call goes and what it carries, from the volume (a call that changes no status). */
  public void describe(AttachmentCall call, Volume volume) {
    target(call, volume);
  }

  private void target(AttachmentCall call, Volume volume) {
    call.pool = volume.host;
    call.projectId = volume.projectId;
    call.encrypted = volume.encryptionKeyId != null || types.isEncrypted(volume.volumeTypeId);
    QosSpecs qos = volume.volumeTypeId == null ? null : types.qosOf(volume.volumeTypeId);
    call.qosSpecs = qos != null && !QosSpecs.BACK_END.equals(qos.consumer()) ? qos.specs() : null;
    if (call.mode == null) {
      call.mode = "True".equals(volume.adminMetadata.get("readonly")) ? "ro" : "rw";
    }
  }

  /** Cinder records {@code readonly=False} on a volume's first attach. */
  private static void readonlyKnown(Volume volume) {
    if (!volume.adminMetadata.containsKey("readonly")) {
      Map<String, String> admin = new LinkedHashMap<>(volume.adminMetadata);
      admin.put("readonly", "False");
      volume.adminMetadata = admin;
    }
  }

  private static Attachment newAttachment(AttachmentCall call, Volume volume, String status) {
    Attachment attachment = new Attachment();
    attachment.id = UUID.randomUUID();
    attachment.volumeId = volume.id;
    attachment.projectId = volume.projectId;
    attachment.instanceUuid = call.instanceUuid;
    attachment.attachMode = call.mode;
    attachment.attachStatus = status;
    attachment.createdAt = VolumeClock.now();
    attachment.updatedAt = attachment.createdAt;
    return attachment;
  }

  private static Attachment copy(Attachment from) {
    Attachment to = new Attachment();
    to.id = from.id;
    to.volumeId = from.volumeId;
    to.projectId = from.projectId;
    to.instanceUuid = from.instanceUuid;
    to.attachedHost = from.attachedHost;
    to.mountpoint = from.mountpoint;
    to.attachMode = from.attachMode;
    to.attachStatus = from.attachStatus;
    to.connectionInfo = from.connectionInfo;
    to.attachTime = from.attachTime;
    to.detachTime = from.detachTime;
    to.createdAt = from.createdAt;
    return to;
  }

  /**
   * A connection as an attachment shows it (JSON): the driver's data with {@code
   * driver_volume_type} and {@code attachment_id} beside it, as Cinder keeps it.
   */
  public static String shownConnection(ConnectionInfo connection, UUID attachmentId) {
    Map<String, Object> shown = new LinkedHashMap<>(connection.data());
    shown.put("driver_volume_type", connection.driverVolumeType());
    shown.put("attachment_id", attachmentId.toString());
    return Json.write(shown);
  }

  /** A connector or connection kept as JSON, read back. */
  public static Map<String, Object> readJson(String json) {
    if (json == null) {
      return null;
    }
    try {
      return Json.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (Exception e) {
      throw new IllegalStateException("unreadable attachment JSON", e);
    }
  }
}
