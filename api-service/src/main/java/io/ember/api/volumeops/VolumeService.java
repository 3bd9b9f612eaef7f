package io.ember.api.volumeops;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.attachment.AttachmentStates;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.auth.RequestIds;
import io.ember.api.batch.GroupCommit;
import io.ember.api.config.ApiConfig;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.QuotaExceeded;
import io.ember.api.flow.CreateVolumeContext;
import io.ember.api.flow.CreateVolumeFlow;
import io.ember.api.flow.MigrateVolumeFlow;
import io.ember.api.outbound.HostCommands;
import io.ember.api.outbound.SchedulerCommands;
import io.ember.api.outbound.VolumeNotifications;
import io.ember.api.quota.QuotaLedger;
import io.ember.api.quota.QuotaService;
import io.ember.api.snapshot.SnapshotService;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.volume.StatusReset;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volume.VolumeFields;
import io.ember.api.volume.VolumeRows;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.ScheduleExtend;
import io.ember.model.flow.FlowFailedException;
import io.ember.model.jdbc.TransientFailures;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hibernate.jpa.HibernateHints;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/** Volume operations of the API: create through the flow, delete with Cinder's state rules. */
@ApplicationScoped
public class VolumeService {

  private static final Logger LOG = Logger.getLogger(VolumeService.class);

  /** Cinder's message, word for word ({@code cinder/volume/api.py} delete). */
  static final String DELETE_REFUSED =
      "Volume status must be available or error or error_restoring or error_extending or"
          + " error_managing and must not be migrating, attached, belong to a group, have"
          + " snapshots, awaiting a transfer, or be disassociated from snapshots after volume"
          + " transfer.";

  private static final Set<String> DELETABLE =
      VolumeStatus.DELETABLE.stream().map(VolumeStatus::wire).collect(Collectors.toSet());

  @Inject CreateVolumeFlow createFlow;
  @Inject QuotaService quotas;
  @Inject VolumeQuotas volumeQuotas;
  @Inject VolumeRows rows;
  @Inject HostCommands hostCommands;
  @Inject SchedulerCommands scheduler;
  @Inject VolumeTypeCatalog types;
  @Inject VolumeNotifications notifications;
  @Inject ApiConfig config;
  @Inject SnapshotService snapshots;
  @Inject AttachmentStates attachmentStates;

  // Creates of one project serialize on its quota rows anyway; deletes of one project share the
  // commit: both run together with whatever else of the project waits (one lock of the quota rows,
  // one outbox insert, one commit).
  private GroupCommit<CreateVolumeContext, Volume> creates;
  private GroupCommit<DeleteRequest, Void> deletes;

  /** One {@code DELETE /volumes/{id}} waiting for its batch. */
  record DeleteRequest(String id, RequestContext caller) {}

  @PostConstruct
  void groupCommits() {
    creates = new GroupCommit<>("create", config.api().createBatchSize(), this::createAll);
    deletes = new GroupCommit<>("delete", config.api().deleteBatchSize(), this::deleteAll);
  }

  /** Creates one volume (with whatever other creates of the project are waiting). */
  public Volume create(JsonNode body, RequestContext caller) {
    return creates.submit(caller.projectId(), new CreateVolumeContext(body, caller));
  }

  /**
   * Runs each request's create flow in the batch's transaction, all of one project: entries, quota
   * and scheduler commands commit together. A request whose flow fails was reverted and leaves
   * nothing behind; the others go on.
   */
  private List<GroupCommit.Outcome<Volume>> createAll(List<CreateVolumeContext> requests) {
    QuotaLedger quota = quotas.open(requests.get(0).caller().projectId());
    List<GroupCommit.Outcome<Volume>> outcomes =
        eachAs(
            requests,
            CreateVolumeContext::caller,
            request -> {
              request.useQuota(quota);
              createFlow.build().run(request);
              Volume volume = request.volume();
              LOG.infof("volume %s (%s GB) creating, cast to scheduler", volume.id, volume.size);
              return volume;
            });
    quotas.close(quota);
    return outcomes;
  }

  /**
   * Runs {@code work} for each request under its own request id. A request refused on its own (a
   * {@link CinderFault}, or a create flow that reverted what it did) fails alone; anything else
   * fails the batch, and so does a flow that the database rolled back with everything else.
   */
  private static <Q, R> List<GroupCommit.Outcome<R>> eachAs(
      List<Q> requests, Function<Q, RequestContext> caller, Function<Q, R> work) {
    List<GroupCommit.Outcome<R>> outcomes = new ArrayList<>(requests.size());
    Object ownRequestId = MDC.get(RequestIds.MDC_KEY);
    try {
      for (Q request : requests) {
        MDC.put(RequestIds.MDC_KEY, caller.apply(request).requestId());
        try {
          outcomes.add(GroupCommit.Outcome.of(work.apply(request)));
        } catch (CinderFault refused) {
          outcomes.add(GroupCommit.Outcome.failed(refused));
        } catch (FlowFailedException reverted) {
          if (TransientFailures.isTransient(reverted)) {
            throw reverted;
          }
          outcomes.add(
              GroupCommit.Outcome.failed(
                  reverted.getCause() instanceof RuntimeException cause ? cause : reverted));
        }
      }
    } finally {
      if (ownRequestId == null) {
        MDC.remove(RequestIds.MDC_KEY);
      } else {
        MDC.put(RequestIds.MDC_KEY, ownRequestId);
      }
    }
    return outcomes;
  }

  /**
   * {@code GET /volumes/{id}}: as {@link #get}, loaded read-only (no snapshot of its state is kept
   * for a change check that would never come).
   */
  public Volume show(String id, RequestContext caller) {
    UUID uuid = Volume.parseId(id);
    return visible(
        id,
        uuid == null
            ? null
            : Volume.<Volume>find("id", uuid)
                .withHint(HibernateHints.HINT_READ_ONLY, true)
                .firstResult(),
        caller);
  }

  /** The volume if the caller may see it, else Cinder's 404. */
  public Volume get(String id, RequestContext caller) {
    UUID uuid = Volume.parseId(id);
    return visible(id, uuid == null ? null : Volume.findById(uuid), caller);
  }

  /** As {@link #get}, with the row locked until the transaction ends: a status change follows. */
  public Volume lockedForChange(String id, RequestContext caller) {
    UUID uuid = Volume.parseId(id);
    return visible(
        id, uuid == null ? null : Volume.findById(uuid, LockModeType.PESSIMISTIC_WRITE), caller);
  }

  private static Volume visible(String id, Volume volume, RequestContext caller) {
    if (volume == null || !(caller.isAdmin() || volume.projectId.equals(caller.projectId()))) {
      throw CinderFault.volumeNotFound(id);
    }
    return volume;
  }

  /**
   * {@code PUT /volumes/{id}}: name, description (also as Cinder's legacy {@code display_*}) and
   * metadata, refused during maintenance; announced with {@code volume.update.start/end}.
   */
  @Transactional
  public Volume update(String id, JsonNode body, RequestContext caller) {
    JsonNode changes = body == null ? null : body.get("volume");
    if (changes == null || !body.isObject()) {
      throw CinderFault.badRequest("'volume' is a required property");
    }
    if (!changes.isObject()) {
      throw VolumeFields.invalidField(
          "volume",
          changes,
          io.ember.api.fault.Echo.cap(changes.toString()) + " is not of type 'object'");
    }
    Volume volume = get(id, caller);
    if (VolumeStatus.MAINTENANCE.wire().equals(volume.status)) {
      throw CinderFault.invalidVolume("The volume cannot be updated during maintenance.");
    }
    notifications.usage(caller, volume, "volume.update.start");
    for (String field : new String[] {"name", "display_name"}) {
      if (changes.has(field)) {
        volume.name = VolumeFields.optionalString(changes, field);
      }
    }
    for (String field : new String[] {"description", "display_description"}) {
      if (changes.has(field)) {
        volume.description = VolumeFields.optionalString(changes, field);
      }
    }
    if (changes.has("metadata")) {
      volume.metadata = VolumeFields.metadata(changes.get("metadata"));
    }
    volume.updatedAt = VolumeClock.now();
    notifications.usage(caller, volume, "volume.update.end");
    LOG.infof("volume %s updated", volume.id);
    return volume;
  }

  /** Starts deleting one volume (with whatever other deletes of the project are waiting). */
  public void delete(String id, RequestContext caller) {
    deletes.submit(caller.projectId(), new DeleteRequest(id, caller));
  }

  /**
   * Starts each delete of a batch in its transaction. The common case (a placed volume that may go)
   * is one conditional update for the whole batch; each request then sends its command, or, when
   * its volume was not changed, is checked on the locked row, so a concurrent change cannot slip
   * between the check and the write, and gets its own error. A refused one wrote nothing, so the
   * others commit as if it had not been there.
   */
  private List<GroupCommit.Outcome<Void>> deleteAll(List<DeleteRequest> requests) {
    Map<UUID, VolumeRows.Changed> marked = rows.markDeleting(firstDeletionOfEach(requests));
    return eachAs(
        requests,
        DeleteRequest::caller,
        request -> {
          deleteOne(request.id(), request.caller(), marked);
          return null;
        });
  }

  /**
   * The batch's volumes for the one update, each as its first request asks; a later request for the
   * same volume finds it {@code deleting} and is refused, as it would be in a later batch.
   */
  private static List<VolumeRows.Deletion> firstDeletionOfEach(List<DeleteRequest> requests) {
    Map<UUID, VolumeRows.Deletion> first = new LinkedHashMap<>();
    for (DeleteRequest request : requests) {
      UUID uuid = Volume.parseId(request.id());
      if (uuid != null) {
        RequestContext caller = request.caller();
        first.putIfAbsent(
            uuid, new VolumeRows.Deletion(uuid, caller.projectId(), caller.isAdmin()));
      }
    }
    return List.copyOf(first.values());
  }

  /**
   * Starts deleting one volume: the command to the host of a volume the batch's update set {@code
   * deleting} (taken from {@code marked}, so only its first request sends it), else the checks on
   * the locked row. A volume never placed on a host is removed right here.
   */
  private void deleteOne(String id, RequestContext caller, Map<UUID, VolumeRows.Changed> marked) {
    UUID uuid = Volume.parseId(id);
    VolumeRows.Changed mine = uuid == null ? null : marked.remove(uuid);
    if (mine != null) {
      castDelete(mine, caller);
      return;
    }
    Volume volume = lockedForChange(id, caller);
    if (!DELETABLE.contains(volume.status) || migrating(volume) || volume.groupId != null) {
      throw CinderFault.invalidVolume(DELETE_REFUSED);
    }
    startDelete(volume, caller);
  }

  /**
   * {@code os-force_delete}: as {@link #delete} without the status check (an admin's way out of
   * {@code error_deleting}, or of any status); an attached volume is still refused.
   */
  @Transactional
  public void forceDelete(String id, RequestContext caller) {
    Volume volume = lockedForChange(id, caller);
    AdminPolicy.require(caller, "force_delete");
    startDelete(volume, caller);
  }

  /** {@code os-reset_status}: the fields an admin sets directly, announced as Cinder does. */
  @Transactional
  public void resetStatus(String id, StatusReset reset, RequestContext caller) {
    Volume volume = lockedForChange(id, caller);
    AdminPolicy.require(caller, "reset_status");
    notifications.statusUpdate(caller, volume, reset.asUpdate(), "volumes.reset_status.start");
    if (reset.status() != null) {
      volume.status = reset.status();
    }
    if (reset.attachStatus() != null) {
      volume.attachStatus = reset.attachStatus();
    }
    if (reset.migrationStatus() != null) {
      volume.migrationStatus =
          "none".equals(reset.migrationStatus()) ? null : reset.migrationStatus();
    }
    if ("detached".equals(reset.attachStatus())) {
      attachmentStates.clearForReset(volume);
    }
    volume.updatedAt = VolumeClock.now();
    notifications.statusUpdate(caller, volume, reset.asUpdate(), "volumes.reset_status.end");
    LOG.infof("volume %s reset to %s", volume.id, reset);
  }

  /**
   * {@code DELETE /volumes/{id}?cascade=true}: the volume's snapshots are deleted first (each
   * {@code delete_snapshot} sent ahead of the volume's {@code delete_volume}, on the same key, so
   * the host takes them in that order). Refused, with nothing changed, as a plain delete is, or
   * when a snapshot is neither available nor in error.
   */
  @Transactional
  public void deleteCascade(String id, RequestContext caller) {
    Volume volume = lockedForChange(id, caller);
    // The plain delete's checks too (the chaos run found a migrating volume deleted this way),
    // before its snapshots are marked.
    if (!DELETABLE.contains(volume.status)
        || migrating(volume)
        || volume.groupId != null
        || "attached".equals(volume.attachStatus)
        || !snapshots.deleteAllOf(volume, caller)) {
      throw CinderFault.invalidVolume(DELETE_REFUSED);
    }
    startDelete(volume, caller, true);
  }

  /**
   * Deletes the new volume of a migration that ended in error (its {@code target:} status would
   * refuse a user's delete), quota given back when the host is done.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void deleteMigrationTarget(Volume volume, RequestContext caller) {
    startDelete(volume, caller);
  }

  private void startDelete(Volume volume, RequestContext caller) {
    startDelete(volume, caller, false);
  }

  /**
   * Starts deleting a volume of a group being deleted with its volumes ({@code delete-volumes}):
   * the group's checks were made on its locked rows.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void deleteGroupMember(Volume volume, RequestContext caller) {
    startDelete(volume, caller);
  }

  private void startDelete(Volume volume, RequestContext caller, boolean snapshotsGoing) {
    if ("attached".equals(volume.attachStatus)
        || (!snapshotsGoing && snapshots.volumeHasSnapshots(volume.id))) {
      throw CinderFault.invalidVolume(DELETE_REFUSED);
    }
    volume.status = VolumeStatus.DELETING.wire();
    volume.updatedAt = VolumeClock.now();
    if (volume.host == null) {
      notifications.usage(caller, volume, "volume.delete.start");
      removeAndRelease(volume);
      notifications.usage(caller, volume, "volume.delete.end");
      LOG.infof("volume %s deleted (never scheduled)", volume.id);
      return;
    }
    castDelete(
        new VolumeRows.Changed(
            volume.id,
            volume.projectId,
            volume.host,
            volume.size,
            volume.volumeTypeId,
            volume.name,
            volume.metadata,
            volume.groupId),
        caller);
  }

  /**
   * Cinder's delete with {@code unmanage_only}, on the locked row: the delete's checks, and a
   * volume with an encryption key refused (Cinder raises its bare {@code Invalid}); {@code
   * unmanaging} and {@code unmanage_volume} to the host, whose {@code volume.deleted} removes the
   * row and gives the quota back. A volume never placed on a host is removed at once.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void startUnmanage(Volume volume, RequestContext caller) {
    if (volume.encryptionKeyId != null) {
      throw CinderFault.badRequest("Unacceptable parameters.");
    }
    if (!DELETABLE.contains(volume.status)
        || migrating(volume)
        || volume.groupId != null
        || "attached".equals(volume.attachStatus)
        || snapshots.volumeHasSnapshots(volume.id)) {
      throw CinderFault.invalidVolume(DELETE_REFUSED);
    }
    volume.status = VolumeStatus.UNMANAGING.wire();
    volume.updatedAt = VolumeClock.now();
    if (volume.host == null) {
      removeAndRelease(volume);
      LOG.infof("volume %s unmanaged (never scheduled)", volume.id);
      return;
    }
    hostCommands.unmanage(
        new DeleteVolume(
            volume.id.toString(),
            volume.projectId,
            volume.host,
            volume.size,
            volume.name,
            volume.metadata),
        caller);
    LOG.infof("volume %s unmanaging on %s", volume.id, volume.host);
  }

  /** The {@code delete_volume} command to the host of a volume now {@code deleting}. */
  private void castDelete(VolumeRows.Changed volume, RequestContext caller) {
    String id = volume.id().toString();
    hostCommands.delete(
        new DeleteVolume(
            id, volume.projectId(), volume.host(), volume.size(), volume.name(), volume.metadata()),
        caller);
    LOG.infof("volume %s deleting on %s", id, volume.host());
  }

  /** Removes the row and gives its quota back (Cinder keeps quota until a volume is gone). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void removeAndRelease(Volume volume) {
    volume.delete();
    quotas.release(volume.projectId, volumeQuotas.of(volume.size, volume.volumeTypeId));
  }

  /**
   * {@code os-extend}: Cinder's {@code _extend}. The added size is charged (gigabytes and the
   * type's) and committed in the transaction that sets {@code extending} (the old status kept in
   * {@code previous_status}) and sends {@code extend_volume} to the scheduler, which checks the
   * volume's pool has room and passes it to the host: all or nothing. An attached volume may grow
   * from 3.42.
   */
  @Transactional
  public void extend(String id, int newSize, boolean attachedAllowed, RequestContext caller) {
    AdminPolicy.require(caller, "volume:extend", AdminPolicy.Level.MEMBER);
    Volume volume = lockedForChange(id, caller);
    String expected =
        attachedAllowed && VolumeStatus.IN_USE.wire().equals(volume.status)
            ? VolumeStatus.IN_USE.wire()
            : VolumeStatus.AVAILABLE.wire();
    if (newSize <= volume.size) {
      throw CinderFault.invalidInput(
          "New size for extend must be greater than current size. (current: "
              + volume.size
              + ", extended: "
              + newSize
              + ").");
    }
    if (!expected.equals(volume.status) || volume.host == null) {
      throw CinderFault.invalidVolume(
          "Volume "
              + volume.id
              + " status must be '{'status': '"
              + expected
              + "'}' to extend, currently "
              + volume.status
              + ".");
    }
    int perVolume =
        quotas.limits(volume.projectId).getOrDefault(QuotaService.PER_VOLUME_GIGABYTES, -1);
    if (perVolume >= 0 && newSize > perVolume) {
      throw QuotaExceeded.perVolume(newSize, perVolume);
    }
    int added = newSize - volume.size;
    QuotaLedger quota = quotas.open(volume.projectId);
    quota.commit(quota.reserve(extendDeltas(volume, added)));
    quotas.close(quota);
    volume.previousStatus = volume.status;
    volume.status = VolumeStatus.EXTENDING.wire();
    volume.updatedAt = VolumeClock.now();
    VolumeTypeCatalog.Entry type =
        volume.volumeTypeId == null ? null : types.byId(volume.volumeTypeId);
    scheduler.scheduleExtend(
        new ScheduleExtend(
            volume.spec(type == null ? null : type.extraSpecs()),
            volume.host,
            newSize,
            volume.previousStatus),
        caller);
    LOG.infof(
        "volume %s extending from %s to %s GB on %s, cast to scheduler",
        volume.id, volume.size, newSize, volume.host);
  }

  /** What growing {@code volume} by {@code added} GiB is charged: gigabytes, also of its type. */
  public Map<String, Integer> extendDeltas(Volume volume, int added) {
    Map<String, Integer> deltas = new LinkedHashMap<>(volumeQuotas.of(added, volume.volumeTypeId));
    deltas.keySet().removeIf(resource -> resource.startsWith(QuotaService.VOLUMES));
    return deltas;
  }

  /** {@code os-set_bootable}: Cinder's {@code volume_api.update} of the flag. */
  @Transactional
  public Volume setBootable(String id, boolean bootable, RequestContext caller) {
    AdminPolicy.require(caller, "volume:update", AdminPolicy.Level.MEMBER);
    Volume volume = get(id, caller);
    refuseInMaintenance(volume);
    volume.bootable = bootable;
    volume.updatedAt = VolumeClock.now();
    LOG.infof("volume %s bootable=%s", volume.id, bootable);
    return volume;
  }

  /**
   * {@code os-update_readonly_flag}: only an available volume; kept in its admin metadata as Python
   * prints the flag ({@code "True"}/{@code "False"}), where its metadata view shows it.
   */
  @Transactional
  public void updateReadonlyFlag(String id, boolean readonly, RequestContext caller) {
    AdminPolicy.require(caller, "volume:update_readonly_flag", AdminPolicy.Level.MEMBER);
    Volume volume = lockedForChange(id, caller);
    if (!VolumeStatus.AVAILABLE.wire().equals(volume.status)) {
      throw CinderFault.invalidVolume(
          "Volume "
              + volume.id
              + " status must be available to update readonly flag, but current status is: "
              + volume.status
              + ".");
    }
    Map<String, String> admin = new LinkedHashMap<>(volume.adminMetadata);
    admin.put("readonly", readonly ? "True" : "False");
    volume.adminMetadata = admin;
    volume.updatedAt = VolumeClock.now();
    LOG.infof("volume %s readonly=%s", volume.id, readonly);
  }

  /** Cinder's delete check: a volume whose migration has not ended may not go. */
  private static boolean migrating(Volume volume) {
    return volume.migrationStatus != null
        && !MigrateVolumeFlow.NOT_MIGRATING.contains(volume.migrationStatus);
  }

  private static void refuseInMaintenance(Volume volume) {
    if (VolumeStatus.MAINTENANCE.wire().equals(volume.status)) {
      throw CinderFault.invalidVolume("The volume cannot be updated during maintenance.");
    }
  }
}
