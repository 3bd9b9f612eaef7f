package io.ember.api.volumeops;

import io.ember.api.housekeeping.DeadlineSweeper;
import io.ember.api.outbound.HostCommands;
import io.ember.api.quota.QuotaService;
import io.ember.api.snapshot.SnapshotEvents;
import io.ember.api.usermessage.UserMessages;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volume.VolumeRows;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeCreated;
import io.ember.model.contract.VolumeDeleteFailed;
import io.ember.model.contract.VolumeDeleted;
import io.ember.model.contract.VolumeDownloading;
import io.ember.model.contract.VolumeExtendFailed;
import io.ember.model.contract.VolumeExtended;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The state changes that events cause. Each applies only from the status it expects, so a late or
 * replayed event cannot move a volume backwards.
 */
@ApplicationScoped
public class VolumeEvents {

  private static final Logger LOG = Logger.getLogger(VolumeEvents.class);

  @Inject VolumeRows rows;
  @Inject QuotaService quotas;
  @Inject VolumeQuotas volumeQuotas;
  @Inject UserMessages messages;
  @Inject HostCommands hostCommands;
  @Inject SnapshotEvents snapshotEvents;
  @Inject TransactionSynchronizationRegistry transactions;

  /**
   * What {@link #applyAhead} did in this transaction, for the events' own handling that follows:
   * the volumes it tried to make available and those it made so (each with whether it is a group's
   * member), the volumes it removed (by id, what each was) and the ones it tried to.
   */
  private record Ahead(
      Set<UUID> triedAvailable,
      Map<UUID, Boolean> madeAvailable,
      Set<UUID> triedRemoved,
      Map<UUID, VolumeRows.Changed> removed) {}

  /**
   * The common case of a poll's {@code volume.created} and {@code volume.deleted} events in one
   * statement each, ahead of the events' own handling ({@link #created}, {@link #deleted}), which
   * then only finishes what these did (a statement per event had been most of a large poll's time).
   * The caller names each volume at most once over both lists, and no volume that another event of
   * the poll is about: those take effect one by one, in order.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void applyAhead(List<VolumeCreated> created, List<VolumeDeleted> deleted) {
    List<VolumeRows.Created> toMake = new ArrayList<>();
    for (VolumeCreated event : created) {
      UUID id = Volume.parseId(event.volumeId());
      if (id != null && !carriesData(event)) {
        toMake.add(
            new VolumeRows.Created(id, event.pool(), event.providerLocation(), launchedAt(event)));
      }
    }
    List<UUID> toRemove =
        deleted.stream()
            .map(event -> Volume.parseId(event.volumeId()))
            .filter(Objects::nonNull)
            .toList();
    Set<UUID> tried = toMake.stream().map(VolumeRows.Created::id).collect(Collectors.toSet());
    transactions.putResource(
        Ahead.class,
        new Ahead(
            tried,
            toMake.isEmpty() ? Map.of() : rows.markAvailable(toMake),
            Set.copyOf(toRemove),
            toRemove.isEmpty() ? Map.of() : removeWithSnapshots(toRemove)));
  }

  private Ahead ahead() {
    Ahead ahead = (Ahead) transactions.getResource(Ahead.class);
    return ahead == null ? new Ahead(Set.of(), Map.of(), Set.of(), Map.of()) : ahead;
  }

  /**
   * A volume the host created: available, if it is still {@code creating}. {@code context} is the
   * acting context of the create, carried through the hops. Whether a group may have to follow
   * (false for a volume made available here that is no group's member: nearly all, and no query).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean created(RequestContext context, VolumeCreated event) {
    UUID id = Volume.parseId(event.volumeId());
    Boolean grouped = id == null || carriesData(event) ? null : madeAvailable(id, event);
    if (grouped != null) {
      LOG.infof("volume %s available on %s", id, event.pool());
      return grouped;
    }
    createdOneByOne(context, event);
    return true;
  }

  private void createdOneByOne(RequestContext context, VolumeCreated event) {
    Volume volume = find(event.volumeId());
    if (volume != null && volume.host == null && !beingCreated(volume)) {
      // Timed out before this came: the volume stays in error, but its delete must now reach
      // the backend that holds it.
      volume.host = event.pool();
      volume.providerLocation = event.providerLocation();
      writeNow();
      LOG.infof(
          "volume %s created after its deadline on %s, kept in %s",
          volume.id, volume.host, volume.status);
      return;
    }
    if (volume == null) {
      deleteOnTheHost(context, event);
      return;
    }
    if (!beingCreated(volume)) {
      LOG.infof("volume %s created event ignored (status %s)", event.volumeId(), volume.status);
      return;
    }
    volume.status = VolumeStatus.AVAILABLE.wire();
    volume.host = event.pool();
    volume.providerLocation = event.providerLocation();
    volume.launchedAt = launchedAt(event);
    if (event.bootable() != null) {
      volume.bootable = event.bootable();
    }
    if (!event.imageMetadata().isEmpty()) {
      volume.imageMetadata = new java.util.LinkedHashMap<>(event.imageMetadata());
    }
    volume.updatedAt = VolumeClock.now();
    writeNow();
    LOG.infof("volume %s available on %s", volume.id, volume.host);
  }

  /**
   * The host is copying an image into the volume: {@code downloading} (Cinder's manager sets it for
   * the copy), if it is still {@code creating}. It ends as any create does.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void downloading(VolumeDownloading event) {
    Volume volume = find(event.volumeId());
    if (volume == null || !VolumeStatus.CREATING.wire().equals(volume.status)) {
      LOG.infof(
          "volume %s downloading event ignored (status %s)", event.volumeId(), status(volume));
      return;
    }
    volume.status = VolumeStatus.DOWNLOADING.wire();
    volume.host = event.pool();
    volume.updatedAt = VolumeClock.now();
    writeNow();
    LOG.infof("volume %s downloading image %s on %s", volume.id, event.imageId(), volume.host);
  }

  /** {@code creating}, or {@code downloading} an image: a create whose result is still due. */
  private static boolean beingCreated(Volume volume) {
    return VolumeStatus.CREATING.wire().equals(volume.status)
        || VolumeStatus.DOWNLOADING.wire().equals(volume.status);
  }

  /**
   * Whether the host decided the volume's bootable flag or gave it image metadata: such an event
   * takes the entity path (the one-statement path writes neither).
   */
  private static boolean carriesData(VolumeCreated event) {
    return event.bootable() != null || !event.imageMetadata().isEmpty();
  }

  /**
   * Whether the volume is now available, by {@link #applyAhead} or by one statement now: null if
   * not, else whether it is a group's member.
   */
  private Boolean madeAvailable(UUID id, VolumeCreated event) {
    Ahead ahead = ahead();
    if (ahead.triedAvailable().contains(id)) {
      return ahead.madeAvailable().get(id);
    }
    VolumeRows.Created volume =
        new VolumeRows.Created(id, event.pool(), event.providerLocation(), launchedAt(event));
    return rows.markAvailable(List.of(volume)).get(id);
  }

  /**
   * The volume is gone here (deleted while the create was on its way, say by a force delete of a
   * volume still {@code creating}, or of one timed out into {@code error}): its quota was given
   * back then, so nothing may be released now, but the backend holds it and must free it. The host
   * deletes it and answers {@code volume.deleted}, which finds no row and is ignored.
   */
  private void deleteOnTheHost(RequestContext context, VolumeCreated event) {
    if (event.pool() == null || event.pool().isBlank()) {
      LOG.warnf(
          "volume %s created on unknown pool %s after it was deleted: left alone",
          event.volumeId(), event.pool());
      return;
    }
    String projectId = context == null ? null : context.projectId();
    hostCommands.delete(
        new DeleteVolume(event.volumeId(), projectId, event.pool(), 0, null, Map.of()), context);
    LOG.infof(
        "volume %s created on %s after it was deleted: deleting it there",
        event.volumeId(), event.pool());
  }

  /**
   * Writes an entity change at once rather than at commit: a later event of the same poll may
   * change the row with one statement ({@link VolumeRows}), which must neither run behind this
   * change nor be overwritten by it at the flush.
   */
  private static void writeNow() {
    Volume.flush();
  }

  private static LocalDateTime launchedAt(VolumeCreated event) {
    return event.launchedAt() == null
        ? VolumeClock.now()
        : LocalDateTime.ofInstant(event.launchedAt(), ZoneOffset.UTC);
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void createFailed(VolumeCreateFailed event) {
    Volume volume = find(event.volumeId());
    if (volume == null || !beingCreated(volume)) {
      LOG.infof("volume %s create_failed ignored (status %s)", event.volumeId(), status(volume));
      return;
    }
    volume.status = VolumeStatus.ERROR.wire();
    volume.host = event.pool();
    volume.statusReason = truncate(event.reason());
    volume.updatedAt = VolumeClock.now();
    writeNow();
    messages.volumeError(
        volume.projectId,
        volume.id.toString(),
        volume.requestId,
        event.pool() == null
            ? UserMessages.Failure.NO_VALID_BACKEND
            : UserMessages.Failure.DRIVER_CREATE_FAILED);
    LOG.infof("volume %s error: %s", volume.id, event.reason());
  }

  /**
   * A volume the host deleted: its row gone, its quota given back. The group it was in, or null.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public UUID deleted(VolumeDeleted event) {
    UUID id = Volume.parseId(event.volumeId());
    VolumeRows.Changed removed = id == null ? null : removed(id);
    if (removed == null) {
      LOG.infof("volume %s deleted event ignored (already gone)", event.volumeId());
      return null;
    }
    quotas.release(removed.projectId(), volumeQuotas.of(removed.size(), removed.volumeTypeId()));
    LOG.infof("volume %s deleted, quota released", id);
    return removed.groupId();
  }

  /** What the volume was before its row went: by {@link #applyAhead}, or by one statement now. */
  private VolumeRows.Changed removed(UUID id) {
    Ahead ahead = ahead();
    if (ahead.triedRemoved().contains(id)) {
      return ahead.removed().get(id);
    }
    return removeWithSnapshots(List.of(id)).get(id);
  }

  /**
   * Removes the volumes' rows, and first whatever snapshots of theirs are still recorded (a host
   * that deleted a volume holds none of its snapshots any more), their quota given back too.
   */
  private Map<UUID, VolumeRows.Changed> removeWithSnapshots(List<UUID> ids) {
    snapshotEvents.removeAllOf(ids);
    return rows.remove(ids);
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void deleteFailed(VolumeDeleteFailed event) {
    Volume volume = find(event.volumeId());
    boolean unmanaging = volume != null && VolumeStatus.UNMANAGING.wire().equals(volume.status);
    if (volume == null || !(unmanaging || VolumeStatus.DELETING.wire().equals(volume.status))) {
      return;
    }
    volume.status =
        unmanaging ? VolumeStatus.ERROR_UNMANAGING.wire() : VolumeStatus.ERROR_DELETING.wire();
    volume.statusReason = truncate(event.reason());
    volume.updatedAt = VolumeClock.now();
    writeNow();
    LOG.infof("volume %s %s: %s", volume.id, volume.status, event.reason());
  }

  /**
   * The host grew the volume: its new size, and back to the status it had before {@code extending}.
   * The added size was charged when the extend began. A result after the extend's deadline still
   * counts: the volume did grow.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void extended(VolumeExtended event) {
    Volume volume = find(event.volumeId());
    if (volume == null || !extending(volume)) {
      LOG.infof("volume %s extended event ignored (status %s)", event.volumeId(), status(volume));
      return;
    }
    volume.size = event.newSize();
    volume.status =
        volume.previousStatus == null ? VolumeStatus.AVAILABLE.wire() : volume.previousStatus;
    volume.previousStatus = null;
    volume.statusReason = null;
    volume.updatedAt = VolumeClock.now();
    writeNow();
    LOG.infof("volume %s extended to %s GB, %s", volume.id, volume.size, volume.status);
  }

  /**
   * The volume was not grown, and the size charged for the extend is given back. The backend's
   * failure leaves it {@code error_extending} (Cinder's manager); the scheduler's refusal, no room
   * on its pool, puts it back to the status it had, as Cinder's scheduler does. Either way the user
   * gets Cinder's message for the extend.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void extendFailed(VolumeExtendFailed event) {
    Volume volume = find(event.volumeId());
    if (volume == null || !extending(volume)) {
      LOG.infof(
          "volume %s extend_failed event ignored (status %s)", event.volumeId(), status(volume));
      return;
    }
    int added = event.newSize() - volume.size;
    if (event.noValidBackend()) {
      volume.status =
          volume.previousStatus == null ? VolumeStatus.AVAILABLE.wire() : volume.previousStatus;
      volume.statusReason = null;
    } else {
      volume.status = VolumeStatus.ERROR_EXTENDING.wire();
      volume.statusReason = truncate(event.reason());
    }
    volume.previousStatus = null;
    volume.updatedAt = VolumeClock.now();
    writeNow();
    if (added > 0) {
      Map<String, Integer> deltas =
          new java.util.LinkedHashMap<>(volumeQuotas.of(added, volume.volumeTypeId));
      deltas.keySet().removeIf(resource -> resource.startsWith(QuotaService.VOLUMES));
      quotas.release(volume.projectId, deltas);
    }
    messages.volumeError(
        volume.projectId,
        volume.id.toString(),
        volume.requestId,
        event.noValidBackend()
            ? UserMessages.Failure.EXTEND_NO_VALID_BACKEND
            : UserMessages.Failure.EXTEND_DRIVER_FAILED);
    LOG.infof("volume %s extend failed (%s), %s", volume.id, event.reason(), volume.status);
  }

  /** {@code extending}, or past its deadline into {@code error_extending} with no result yet. */
  private static boolean extending(Volume volume) {
    return VolumeStatus.EXTENDING.wire().equals(volume.status)
        || (VolumeStatus.ERROR_EXTENDING.wire().equals(volume.status)
            && DeadlineSweeper.timedOut(volume.statusReason, "extend"));
  }

  private static Volume find(String id) {
    UUID uuid = Volume.parseId(id);
    return uuid == null ? null : Volume.findById(uuid);
  }

  private static String status(Volume volume) {
    return volume == null ? "gone" : volume.status;
  }

  private static String truncate(String reason) {
    return reason == null || reason.length() <= 1024 ? reason : reason.substring(0, 1024);
  }
}
