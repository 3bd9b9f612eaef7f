package io.ember.api.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.RequestIds;
import io.ember.api.fault.CinderFault;
import io.ember.api.flow.AcceptTransferContext;
import io.ember.api.flow.AcceptTransferFlow;
import io.ember.api.microversion.ApiVersion;
import io.ember.api.outbound.VolumeNotifications;
import io.ember.api.snapshot.Snapshot;
import io.ember.api.snapshot.SnapshotStatus;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.reply.ReplyFailedException;
import io.ember.model.reply.ReplyTimeoutException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.hibernate.jpa.HibernateHints;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Create, show and delete of volume transfers with the rules of Cinder's {@code transfer/api.py}:
 * the transfer row, the volume's status and the notifications commit together. Accept is {@link
 * io.ember.api.flow.AcceptTransferFlow}'s.
 */
@ApplicationScoped
public class TransferService {

  private static final Logger LOG = Logger.getLogger(TransferService.class);

  @Inject VolumeNotifications notifications;
  @Inject AcceptTransferFlow acceptFlow;

  /** A new transfer and the auth key that accepts it, shown this once. */
  public record Created(Transfer transfer, String authKey) {}

  /**
   * {@code POST /volume-transfers} (and {@code /os-volume-transfer}): the volume, available, goes
   * to {@code awaiting-transfer}. {@code legacy}: the old path, whose schema has no {@code
   * no_snapshots} and which never transfers an encrypted volume.
   */
  @Transactional
  public Created create(JsonNode body, RequestContext caller, ApiVersion version, boolean legacy) {
    TransferFields.Create request = TransferFields.create(body, !legacy && version.atLeast(55));
    Volume volume = lockedVolume(request.volumeId(), caller);
    if (!VolumeStatus.AVAILABLE.wire().equals(volume.status)) {
      throw CinderFault.invalidVolume("status must be available");
    }
    if (volume.encryptionKeyId != null) {
      if (legacy || !version.atLeast(70)) {
        throw CinderFault.invalidVolume("transferring encrypted volume is not supported");
      }
      if (request.noSnapshots()) {
        throw CinderFault.invalidVolume(
            "transferring an encrypted volume without its snapshots is not supported");
      }
    }
    if (!request.noSnapshots()) {
      for (Snapshot snapshot : snapshotsOf(volume.id)) {
        if (!SnapshotStatus.AVAILABLE.equals(snapshot.status)) {
          throw CinderFault.invalidSnapshot(
              "snapshot: " + snapshot.id + " status must be available");
        }
      }
    }
    notifications.usage(caller, volume, "volume.transfer.create.start");
    String salt = TransferKeys.random(TransferKeys.SALT_LENGTH);
    String authKey = TransferKeys.random(TransferKeys.KEY_LENGTH);
    Transfer transfer = new Transfer();
    transfer.id = UUID.randomUUID();
    transfer.volumeId = volume.id;
    transfer.name = request.name();
    transfer.salt = salt;
    transfer.cryptHash = TransferKeys.hash(salt, authKey);
    transfer.noSnapshots = request.noSnapshots();
    transfer.sourceProjectId = volume.projectId;
    // To the microsecond the database keeps: the create answer shows what a later show does.
    transfer.createdAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
    transfer.persist();
    // Cinder's end payload is of the volume as it loaded it, before the status change.
    notifications.usage(caller, volume, "volume.transfer.create.end");
    volume.status = VolumeStatus.AWAITING_TRANSFER.wire();
    volume.updatedAt = transfer.createdAt;
    LOG.infof("volume %s offered for transfer as %s", volume.id, transfer.id);
    return new Created(transfer, authKey);
  }

  /**
   * {@code POST .../{id}/accept}: {@link AcceptTransferFlow}'s first transaction now, its second on
   * the volume host's reply; the stage completes with what the answer shows (the transfer's id and
   * name, the volume), or fails with the refusal. No thread waits in between.
   */
  public CompletionStage<Transfer> accept(String id, JsonNode body, RequestContext caller) {
    AcceptTransferContext context =
        new AcceptTransferContext(id, TransferFields.authKey(body), caller);
    acceptFlow.prepare(context);
    return context
        .hostReply()
        .handle(
            (accepted, failure) -> {
              Object outer = MDC.get(RequestIds.MDC_KEY);
              MDC.put(RequestIds.MDC_KEY, caller.requestId());
              try {
                if (failure != null) {
                  throw hostFailed(id, failure);
                }
                acceptFlow.complete(context);
                return context.answer();
              } finally {
                if (outer == null) {
                  MDC.remove(RequestIds.MDC_KEY);
                } else {
                  MDC.put(RequestIds.MDC_KEY, outer);
                }
              }
            });
  }

  /**
   * The host's call failed: nothing changed, the volume still awaits the transfer. Its fault is
   * answered as Cinder answers a remote error; no reply in time, as Cinder's MessagingTimeout (a
   * 500).
   */
  private static CinderFault hostFailed(String id, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ReplyFailedException refused) {
      LOG.warnf(
          "transfer %s: the volume host refused accept_transfer: %s", id, refused.getMessage());
      return new CinderFault(refused.code(), refused.getMessage());
    }
    if (cause instanceof ReplyTimeoutException late) {
      LOG.warnf("transfer %s: %s; nothing changed", id, late.getMessage());
    } else {
      LOG.errorf(cause, "transfer %s: accept_transfer failed; nothing changed", id);
    }
    return new CinderFault(
        500, "The server has either erred or is incapable of performing the requested operation.");
  }

  /** {@code GET .../{id}}: a transfer of a volume of the caller's project (any, for an admin). */
  public Transfer show(String id, RequestContext caller) {
    UUID uuid = Volume.parseId(id);
    Transfer transfer =
        uuid == null
            ? null
            : Transfer.<Transfer>find("id", uuid)
                .withHint(HibernateHints.HINT_READ_ONLY, true)
                .firstResult();
    return visible(id, transfer, caller);
  }

  /**
   * {@code DELETE .../{id}}: the transfer goes and its volume, if still awaiting it, is available
   * again; announced {@code volume.transfer.delete.start/end}.
   */
  @Transactional
  public void delete(String id, RequestContext caller) {
    UUID uuid = Volume.parseId(id);
    Transfer transfer =
        visible(
            id,
            uuid == null ? null : Transfer.findById(uuid, LockModeType.PESSIMISTIC_WRITE),
            caller);
    Volume volume = Volume.findById(transfer.volumeId, LockModeType.PESSIMISTIC_WRITE);
    // Both payloads are of the volume as Cinder loads it first, still awaiting the transfer.
    notifications.usage(caller, volume, "volume.transfer.delete.start");
    notifications.usage(caller, volume, "volume.transfer.delete.end");
    if (VolumeStatus.AWAITING_TRANSFER.wire().equals(volume.status)) {
      volume.status = VolumeStatus.AVAILABLE.wire();
      volume.updatedAt = VolumeClock.now();
    } else {
      LOG.warnf("transfer %s deleted, its volume %s was %s", id, volume.id, volume.status);
    }
    transfer.delete();
    LOG.infof("transfer %s of volume %s deleted", transfer.id, volume.id);
  }

  /** The transfer if it exists and the caller may see it, else Cinder's 404. */
  private static Transfer visible(String id, Transfer transfer, RequestContext caller) {
    if (transfer == null
        || !(caller.isAdmin() || transfer.sourceProjectId.equals(caller.projectId()))) {
      throw Transfer.notFound(id);
    }
    return transfer;
  }

  /** The volume's snapshots, locked: their status must hold until the transaction ends. */
  private static List<Snapshot> snapshotsOf(UUID volumeId) {
    return Snapshot.<Snapshot>find("volumeId = ?1 order by createdAt, id", volumeId)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .list();
  }

  private static Volume lockedVolume(String id, RequestContext caller) {
    UUID uuid = Volume.parseId(id);
    Volume volume = uuid == null ? null : Volume.findById(uuid, LockModeType.PESSIMISTIC_WRITE);
    if (volume == null || !(caller.isAdmin() || volume.projectId.equals(caller.projectId()))) {
      throw CinderFault.volumeNotFound(id);
    }
    return volume;
  }
}
