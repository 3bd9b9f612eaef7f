package io.ember.api.flow;

import io.ember.api.fault.CinderFault;
import io.ember.api.fault.QuotaExceeded;
import io.ember.api.keymanager.KeyManager;
import io.ember.api.outbound.HostCalls;
import io.ember.api.outbound.VolumeNotifications;
import io.ember.api.quota.QuotaLedger;
import io.ember.api.quota.QuotaService;
import io.ember.api.quota.Reservation;
import io.ember.api.snapshot.Snapshot;
import io.ember.api.snapshot.SnapshotQuotas;
import io.ember.api.snapshot.SnapshotStatus;
import io.ember.api.transfer.Transfer;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volumeops.VolumeQuotas;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.AcceptTransfer;
import io.ember.model.flow.FlowFailedException;
import io.ember.model.flow.LinearFlow;
import io.ember.model.flow.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Accepting a volume transfer, assembled in one place as Cinder's {@code transfer/api.py} accept
 * runs it, in two transactions around the volume host's {@code accept_transfer} call (a
 * request-reply: no thread waits for it).
 *
 * <ol>
 *   <li>{@link #prepare}: find the transfer → check the auth key → refuse the giver's own accept →
 *       check the receiver's quota (a 413 sends nothing) → check the volume → notify {@code
 *       volume.transfer.accept.start} → send {@code accept_transfer} to the host.
 *   <li>{@link #complete}, on the host's reply: lock the rows and check them again → move the quota
 *       from giver to receiver → give the volume (and its snapshots, unless {@code no_snapshots})
 *       to the receiver → remove the transfer → notify {@code volume.transfer.accept.end}. One
 *       transaction: a refusal here (a 413 in the receiver, a transfer deleted meanwhile) changes
 *       nothing.
 * </ol>
 *
 * No reply by the deadline fails the call before {@link #complete} runs: nothing has changed, the
 * volume is still awaiting the transfer and the transfer can be accepted again.
 */
@ApplicationScoped
public class AcceptTransferFlow {

  private static final Logger LOG = Logger.getLogger(AcceptTransferFlow.class);

  @Inject QuotaService quotas;
  @Inject VolumeQuotas volumeQuotas;
  @Inject SnapshotQuotas snapshotQuotas;
  @Inject VolumeNotifications notifications;
  @Inject HostCalls hostCalls;
  @Inject KeyManager keys;

  /**
   * The first transaction; the context's {@link AcceptTransferContext#hostReply} completes with the
   * host's reply. (Not returned: a {@code @Transactional} method that returns a stage keeps its
   * transaction open until the stage completes, and the call would never leave the outbox.)
   */
  @Transactional
  public void prepare(AcceptTransferContext context) {
    run(
        LinearFlow.of(
            "transfer:accept_prepare",
            new FindTransferTask(),
            new CheckAuthKeyTask(),
            new RefuseOwnTransferTask(),
            new CheckReceiverQuotaTask(),
            new CheckVolumeTask(),
            new NotifyTask("volume.transfer.accept.start"),
            new CallHostTask()),
        context);
  }

  /** The second transaction, once the host accepted. */
  @Transactional
  public void complete(AcceptTransferContext context) {
    run(
        LinearFlow.of(
            "transfer:accept_commit",
            new RecheckTask(),
            new MoveQuotaTask(),
            new ChangeOwnerTask(),
            new RemoveTransferTask(),
            new NotifyTask("volume.transfer.accept.end")),
        context);
    LOG.infof(
        "volume %s transferred from %s to %s",
        context.volumeId, context.giver, context.caller.projectId());
  }

  /** Runs a flow; a refusal of one of its tasks is answered as it is. */
  private static void run(LinearFlow<AcceptTransferContext> flow, AcceptTransferContext context) {
    try {
      flow.run(context);
    } catch (FlowFailedException failed) {
      if (failed.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw failed;
    }
  }

  /** The transfer, whichever project offers it (Cinder reads it elevated), else its 404. */
  static final class FindTransferTask implements Task<AcceptTransferContext> {
    @Override
    public void execute(AcceptTransferContext c) {
      UUID id = Volume.parseId(c.transferId);
      Transfer transfer = id == null ? null : Transfer.findById(id);
      if (transfer == null) {
        throw Transfer.notFound(c.transferId);
      }
      c.transfer = transfer;
      c.giver = transfer.sourceProjectId;
      c.volumeId = transfer.volumeId;
      c.noSnapshots = transfer.noSnapshots;
      c.transferName = transfer.name;
    }
  }

  /** Cinder's InvalidAuthKey: the key's hash under the transfer's salt must be the stored one. */
  static final class CheckAuthKeyTask implements Task<AcceptTransferContext> {
    @Override
    public void execute(AcceptTransferContext c) {
      if (!c.transfer.acceptsKey(c.authKey)) {
        throw CinderFault.badRequest(
            "Invalid auth key: Attempt to transfer " + c.transfer.id + " with invalid auth key.");
      }
    }
  }

  /**
   * A project cannot accept what it offers (Cinder lets it, moving quota from the project to
   * itself; Ember refuses, so a mistaken accept never looks like a transfer).
   */
  static final class RefuseOwnTransferTask implements Task<AcceptTransferContext> {
    @Override
    public void execute(AcceptTransferContext c) {
      if (c.giver.equals(c.caller.projectId())) {
        throw CinderFault.invalidVolume(
            "Transfer "
                + c.transfer.id
                + " cannot be accepted by project "
                + c.giver
                + ", which offers it.");
      }
    }
  }

  /**
   * The receiver's quota, checked before anything is sent (Cinder reserves here): the volume's
   * charge, then its snapshots'. The reservations are only a check and go back at once; {@link
   * MoveQuotaTask} charges for good.
   */
  final class CheckReceiverQuotaTask implements Task<AcceptTransferContext> {
    @Override
    public void execute(AcceptTransferContext c) {
      c.volume = Volume.findById(c.volumeId);
      c.charges = charges(c.volume, c.noSnapshots ? List.of() : snapshotsOf(c, false));
      QuotaLedger receiver = quotas.open(c.caller.projectId());
      List<Reservation> held = new ArrayList<>();
      try {
        for (Map<String, Integer> charge : c.charges) {
          held.add(receiver.reserve(charge));
        }
      } catch (QuotaExceeded over) {
        throw asAcceptAnswers(over);
      } finally {
        held.forEach(receiver::rollback);
      }
    }
  }

  /** Cinder's volume API checks: not in maintenance, still awaiting the transfer, placed. */
  static final class CheckVolumeTask implements Task<AcceptTransferContext> {
    @Override
    public void execute(AcceptTransferContext c) {
      Volume volume = c.volume;
      if (VolumeStatus.MAINTENANCE.wire().equals(volume.status)) {
        throw CinderFault.invalidVolume("The volume cannot accept transfer in maintenance mode.");
      }
      if (!VolumeStatus.AWAITING_TRANSFER.wire().equals(volume.status) || volume.host == null) {
        throw notAwaiting(c);
      }
      c.pool = volume.host;
    }
  }

  /** A volume usage notification of the volume as the transaction has it. */
  final class NotifyTask implements Task<AcceptTransferContext> {
    private final String eventType;

    NotifyTask(String eventType) {
      this.eventType = eventType;
    }

    @Override
    public void execute(AcceptTransferContext c) {
      notifications.usage(c.caller, c.volume, eventType);
    }

    @Override
    public String name() {
      return "Notify(" + eventType + ")";
    }
  }

  /** {@code accept_transfer} to the volume's host, sent when the transaction commits. */
  final class CallHostTask implements Task<AcceptTransferContext> {
    @Override
    public void execute(AcceptTransferContext c) {
      c.hostReply =
          hostCalls.acceptTransfer(
              new AcceptTransfer(
                  c.volumeId.toString(),
                  c.giver,
                  c.pool,
                  c.caller.userId(),
                  c.caller.projectId(),
                  c.noSnapshots),
              c.caller);
      LOG.infof("transfer %s: accept_transfer sent to %s", c.transferId, c.pool);
    }
  }

  /**
   * The rows locked and checked again: the transfer may have been deleted or accepted, the volume
   * changed, a snapshot started deleting while the host worked.
   */
  final class RecheckTask implements Task<AcceptTransferContext> {
    @Override
    public void execute(AcceptTransferContext c) {
      Transfer transfer =
          Transfer.findById(UUID.fromString(c.transferId), LockModeType.PESSIMISTIC_WRITE);
      if (transfer == null) {
        throw Transfer.notFound(c.transferId);
      }
      c.transfer = transfer;
      Volume volume = Volume.findById(c.volumeId, LockModeType.PESSIMISTIC_WRITE);
      c.volume = volume;
      if (volume == null
          || !VolumeStatus.AWAITING_TRANSFER.wire().equals(volume.status)
          || !c.giver.equals(volume.projectId)) {
        throw notAwaiting(c);
      }
      c.charges = charges(volume, c.noSnapshots ? List.of() : snapshotsOf(c, true));
    }
  }

  /** Cinder's quota commit for both projects, as one statement each, in this transaction. */
  final class MoveQuotaTask implements Task<AcceptTransferContext> {
    @Override
    public void execute(AcceptTransferContext c) {
      try {
        quotas.move(c.giver, c.caller.projectId(), c.charges);
      } catch (QuotaExceeded over) {
        throw asAcceptAnswers(over);
      }
    }
  }

  /**
   * Cinder's {@code transfer_accept}: the volume (available again) and, unless {@code
   * no_snapshots}, its snapshots now belong to the accepting user and project; an encrypted
   * volume's key is handed over (a copy owned by the receiver, the giver's deleted), as Cinder's
   * key transfer.
   */
  final class ChangeOwnerTask implements Task<AcceptTransferContext> {
    @Override
    public void execute(AcceptTransferContext c) {
      Volume volume = c.volume;
      volume.projectId = c.caller.projectId();
      volume.userId = c.caller.userId();
      volume.status = VolumeStatus.AVAILABLE.wire();
      volume.updatedAt = VolumeClock.now();
      if (volume.encryptionKeyId != null) {
        UUID giversKey = volume.encryptionKeyId;
        volume.encryptionKeyId = keys.copy(giversKey, volume.projectId);
        keys.delete(giversKey);
      }
      if (!c.noSnapshots) {
        for (Snapshot snapshot : snapshotsOf(c, true)) {
          snapshot.projectId = volume.projectId;
          snapshot.userId = volume.userId;
          snapshot.updatedAt = volume.updatedAt;
        }
      }
    }
  }

  /** An accepted transfer is gone from every answer, as Cinder's soft-deleted row. */
  static final class RemoveTransferTask implements Task<AcceptTransferContext> {
    @Override
    public void execute(AcceptTransferContext c) {
      c.transfer.delete();
    }
  }

  /**
   * What the receiver is charged: the volume (volumes, gigabytes, its type's), then, when there are
   * any, the snapshots (snapshots, their gigabytes, each under the type it was charged to when
   * taken, which a retype since does not change: its delete gives back that type's), each a
   * separate reservation as Cinder makes them.
   */
  private List<Map<String, Integer>> charges(Volume volume, List<Snapshot> snapshots) {
    List<Map<String, Integer>> charges = new ArrayList<>();
    charges.add(volumeQuotas.of(volume.size, volume.volumeTypeId));
    if (!snapshots.isEmpty()) {
      Map<String, Integer> snapshotCharge = new LinkedHashMap<>();
      for (Snapshot snapshot : snapshots) {
        snapshotQuotas
            .of(snapshot.volumeSize, snapshot.volumeTypeId)
            .forEach((resource, d) -> snapshotCharge.merge(resource, d, Integer::sum));
      }
      charges.add(snapshotCharge);
    }
    return charges;
  }

  /**
   * The volume's snapshots; when {@code mustBeAvailable}, each must be (Cinder's {@code
   * transfer_accept} refuses a snapshot in any other status).
   */
  private static List<Snapshot> snapshotsOf(AcceptTransferContext c, boolean mustBeAvailable) {
    List<Snapshot> snapshots =
        Snapshot.<Snapshot>find("volumeId = ?1 order by createdAt, id", c.volumeId)
            .withLock(LockModeType.PESSIMISTIC_WRITE)
            .list();
    if (mustBeAvailable) {
      for (Snapshot snapshot : snapshots) {
        if (!SnapshotStatus.AVAILABLE.equals(snapshot.status)) {
          throw CinderFault.invalidSnapshot(
              "Transfer "
                  + c.transferId
                  + ": Snapshot "
                  + snapshot.id
                  + " is not in the expected available state.");
        }
      }
    }
    return snapshots;
  }

  private static CinderFault notAwaiting(AcceptTransferContext c) {
    return CinderFault.invalidVolume(
        "Transfer "
            + c.transferId
            + ": Volume id "
            + c.volumeId
            + " expected in awaiting-transfer state.");
  }

  /**
   * Cinder's accept answers a gigabytes 413 itself, with the bare message; the other quota errors
   * reach its fault middleware, which prefixes the exception's name.
   */
  private static CinderFault asAcceptAnswers(QuotaExceeded over) {
    String prefix = "VolumeSizeExceedsAvailableQuota: ";
    return over.getMessage().startsWith(prefix)
        ? new CinderFault(413, over.getMessage().substring(prefix.length()))
        : over;
  }
}
