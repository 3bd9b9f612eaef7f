package io.ember.api.housekeeping;

import io.ember.api.attachment.AttachmentStates;
import io.ember.api.auth.RequestIds;
import io.ember.api.config.ApiConfig;
import io.ember.api.snapshot.SnapshotService;
import io.ember.api.snapshot.SnapshotStatus;
import io.ember.api.usermessage.UserMessages;
import io.ember.api.volumeops.ImageUploads;
import io.ember.model.VolumeStatus;
import io.ember.model.jdbc.OncePerCycle;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * No volume stays in {@code creating} or {@code deleting} (nor {@code uploading} or {@code
 * retyping}, which go back to their previous status) forever: one whose result never came back (a
 * command dead-lettered, a host gone for good) goes to {@code error} / {@code error_deleting} at
 * its deadline, the create with a user message saying so. The quota stays with the volume, as for
 * any volume in an error status; a result that comes after the deadline still counts (a late delete
 * result removes the volume, a late create result records where it lives).
 */
@ApplicationScoped
public class DeadlineSweeper {

  private static final Logger LOG = Logger.getLogger(DeadlineSweeper.class);

  @Inject EntityManager em;
  @Inject UserMessages messages;
  @Inject ApiConfig config;
  @Inject AttachmentStates attachments;
  @Inject ImageUploads uploads;
  @Inject OncePerCycle cycles;

  @Scheduled(
      every = "${ember.deadlines.sweep-every:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void sweep() {
    if (!cycles.claim("deadline-sweep", config.deadlines().sweepEvery())) {
      return; // another api replica sweeps this cycle
    }
    QuarkusTransaction.requiringNew().run(this::timeOutCreates);
    QuarkusTransaction.requiringNew().run(this::timeOutDeletes);
    QuarkusTransaction.requiringNew().run(this::timeOutSnapshots);
    QuarkusTransaction.requiringNew().run(this::timeOutReverts);
    QuarkusTransaction.requiringNew().run(this::timeOutExtends);
    QuarkusTransaction.requiringNew().run(this::timeOutAttachmentCalls);
    QuarkusTransaction.requiringNew().run(this::timeOutMigrations);
    List<String> abandonedImages = QuarkusTransaction.requiringNew().call(this::timeOutUploads);
    abandonedImages.forEach(uploads::deleteQuietly);
    QuarkusTransaction.requiringNew().run(this::timeOutRetypes);
    QuarkusTransaction.requiringNew().run(this::timeOutGroups);
  }

  /**
   * Groups too: one still {@code creating} at the create deadline (never placed, or made from a
   * source and not all its volumes came) goes to {@code error}, as does one still {@code deleting}
   * at the delete deadline (Cinder's manager sets {@code error} when a group delete fails); so does
   * a group snapshot still {@code creating} (its snapshots time out without telling it). A group
   * snapshot still {@code deleting} goes to {@code error_deleting}, as its snapshots do at the same
   * deadline (a late delete of its last snapshot still removes it). The quota stays with the group
   * until it is deleted; a late {@code group.created} finds it no longer creating and is ignored.
   */
  private void timeOutGroups() {
    Duration creating = config.deadlines().creating();
    Duration deleting = config.deadlines().deleting();
    expireGroups("groups", "creating", "error", "created_at", creating, "create");
    expireGroups("groups", "deleting", "error", "updated_at", deleting, "delete");
    expireGroups("group_snapshots", "creating", "error", "created_at", creating, "create");
    expireGroups("group_snapshots", "deleting", "error_deleting", "updated_at", deleting, "delete");
  }

  private void expireGroups(
      String table, String from, String to, String since, Duration deadline, String operation) {
    @SuppressWarnings("unchecked")
    List<Object[]> expired =
        em.createNativeQuery(
                "update "
                    + table
                    + " set status = :to, updated_at = now() at time zone 'utc'"
                    + " where status = :from and "
                    + since
                    + " < now() at time zone 'utc' - make_interval(secs => :secs)"
                    + " returning id, request_id")
            .setParameter("from", from)
            .setParameter("to", to)
            .setParameter("secs", deadline.toMillis() / 1000.0)
            .getResultList();
    for (Object[] row : expired) {
      MDC.put(RequestIds.MDC_KEY, row[1] == null ? "-" : row[1]);
      LOG.warnf(
          "%s %s: no %s result within %d s, now %s",
          table.equals("groups") ? "group" : "group snapshot",
          row[0],
          operation,
          deadline.toSeconds(),
          to);
      MDC.remove(RequestIds.MDC_KEY);
    }
  }

  /**
   * An extend with no result: {@code error_extending}, as when the host reports a failure. The size
   * charged for it stays until a late result settles it ({@code VolumeEvents} still applies one
   * from there) or the quota audit finds it backed by no volume.
   */
  private void timeOutExtends() {
    expire(
        VolumeStatus.EXTENDING,
        VolumeStatus.ERROR_EXTENDING,
        "updated_at",
        config.deadlines().extending(),
        "extend");
  }

  /**
   * An upload with no result: the volume back to the status it had (Cinder's start-up cleanup of
   * {@code uploading} does the same), and the image it was going to, unless it became active, is
   * deleted after the commit. A late result finds the volume no longer uploading and is ignored.
   *
   * @return the ids of the abandoned images
   */
  private List<String> timeOutUploads() {
    return backToPrevious(
        VolumeStatus.UPLOADING, config.deadlines().uploading(), "upload", "upload_image_id");
  }

  /**
   * A retype with no result: the volume keeps its type and goes back to the status it had (Cinder
   * leaves {@code retyping} to an operator). Its quota never moved, so nothing is given back.
   */
  private void timeOutRetypes() {
    backToPrevious(
        VolumeStatus.RETYPING, config.deadlines().retyping(), "retype", "retype_type_id");
  }

  /**
   * One conditional update of the volumes in {@code from} past {@code deadline}: back to their
   * previous status, {@code column} (what the operation was about) cleared; its old values.
   */
  private List<String> backToPrevious(
      VolumeStatus from, Duration deadline, String operation, String column) {
    @SuppressWarnings("unchecked")
    List<Object[]> expired =
        em.createNativeQuery(
                "update volumes v set status = coalesce(v.previous_status, 'available'),"
                    + " previous_status = null, "
                    + column
                    + " = null, updated_at = now() at time zone 'utc', status_reason = :reason"
                    + " from volumes old where old.id = v.id and v.status = '"
                    + from.wire()
                    + "' and v.updated_at < now() at time zone 'utc' - make_interval(secs => :secs)"
                    + " returning v.id, v.request_id, v.status, old."
                    + column)
            .setParameter("secs", deadline.toMillis() / 1000.0)
            .setParameter(
                "reason", "no " + operation + " result within " + deadline.toSeconds() + " s")
            .getResultList();
    List<String> about = new ArrayList<>();
    for (Object[] row : expired) {
      MDC.put(RequestIds.MDC_KEY, row[1] == null ? "-" : row[1]);
      LOG.warnf(
          "volume %s: no %s result within %d s, back to %s",
          row[0], operation, deadline.toSeconds(), row[2]);
      MDC.remove(RequestIds.MDC_KEY);
      if (row[3] != null) {
        about.add(row[3].toString());
      }
    }
    return about;
  }

  /**
   * Snapshots get the same treatment: {@code creating} to {@code error} (its quota stays until it
   * is deleted), {@code deleting} to {@code error_deleting}; a late result still applies from there
   * only as far as a delete goes (a late {@code snapshot.deleted} removes it).
   */
  private void timeOutSnapshots() {
    expireSnapshots(
        SnapshotStatus.CREATING,
        SnapshotStatus.ERROR,
        "created_at",
        config.deadlines().creating(),
        "create");
    expireSnapshots(
        SnapshotStatus.DELETING,
        SnapshotStatus.ERROR_DELETING,
        "updated_at",
        config.deadlines().deleting(),
        "delete");
    expireSnapshots(
        SnapshotStatus.UNMANAGING,
        SnapshotStatus.ERROR_DELETING,
        "updated_at",
        config.deadlines().deleting(),
        "unmanage");
  }

  /**
   * An attachment call ({@code attachment_update}, {@code attachment_delete}, legacy attach or
   * detach) whose API process died while waiting for the host: the attachment and its volume go
   * back to the statuses they had, as the live process does at the reply's deadline.
   */
  private void timeOutAttachmentCalls() {
    Duration deadline = config.deadlines().attaching();
    @SuppressWarnings("unchecked")
    List<java.util.UUID> stuck =
        em.createNativeQuery(
                "select id from volume_attachments where attach_status in ('attaching',"
                    + " 'detaching') and previous_status is not null and updated_at < now() at"
                    + " time zone 'utc' - make_interval(secs => :secs)",
                java.util.UUID.class)
            .setParameter("secs", deadline.toMillis() / 1000.0)
            .getResultList();
    for (java.util.UUID id : stuck) {
      attachments.rollBack(id, "no reply within " + deadline.toSeconds() + " s");
    }
  }

  /**
   * A revert with no result: the volume to {@code error} (its bytes are in doubt, as when the host
   * reports a failure) and the snapshot back to {@code available}.
   */
  private void timeOutReverts() {
    Duration deadline = config.deadlines().reverting();
    @SuppressWarnings("unchecked")
    List<Object> volumes =
        em.createNativeQuery(
                "update volumes set status = 'error', updated_at = now() at time zone 'utc',"
                    + " status_reason = :reason where status = '"
                    + SnapshotService.REVERTING
                    + "' and updated_at < now() at time zone 'utc' - make_interval(secs => :secs)"
                    + " returning id")
            .setParameter("secs", deadline.toMillis() / 1000.0)
            .setParameter("reason", "no revert result within " + deadline.toSeconds() + " s")
            .getResultList();
    for (Object volume : volumes) {
      LOG.warnf("volume %s: no revert result within %d s, now error", volume, deadline.toSeconds());
    }
    expireSnapshots(
        SnapshotStatus.RESTORING, SnapshotStatus.AVAILABLE, "updated_at", deadline, "revert");
  }

  /**
   * A migration with no progress: migration_status {@code error}, and a volume locked in {@code
   * maintenance} back to its status before. The source copy is where the volume's record says; a
   * late {@code volume.migrated} still moves the record to where the data went. A retype's
   * migration keeps its {@code previous_status} for the retype's deadline, which puts the volume
   * back.
   */
  private void timeOutMigrations() {
    Duration deadline = config.deadlines().migrating();
    @SuppressWarnings("unchecked")
    List<Object> volumes =
        em.createNativeQuery(
                "update volumes set migration_status = 'error',"
                    + " status = case when status = 'maintenance' and previous_status is not null"
                    + " then previous_status else status end,"
                    // A retype's migration: its status comes back with the retype's deadline.
                    + " previous_status = case when status = 'retyping' then previous_status end,"
                    + " updated_at = now() at time zone 'utc'"
                    + " where migration_status in ('starting', 'migrating', 'completing')"
                    + " and updated_at < now() at time zone 'utc' - make_interval(secs => :secs)"
                    + " returning id")
            .setParameter("secs", deadline.toMillis() / 1000.0)
            .getResultList();
    for (Object volume : volumes) {
      LOG.warnf(
          "volume %s: no migration progress within %d s, migration_status error",
          volume, deadline.toSeconds());
    }
  }

  private void expireSnapshots(
      String from, String to, String since, Duration deadline, String operation) {
    @SuppressWarnings("unchecked")
    List<Object> expired =
        em.createNativeQuery(
                "update snapshots set status = :to, updated_at = now() at time zone 'utc',"
                    + " status_reason = :reason where status = :from and "
                    + since
                    + " < now() at time zone 'utc' - make_interval(secs => :secs)"
                    + " returning id")
            .setParameter("to", to)
            .setParameter("from", from)
            .setParameter("secs", deadline.toMillis() / 1000.0)
            .setParameter(
                "reason", "no " + operation + " result within " + deadline.toSeconds() + " s")
            .getResultList();
    for (Object snapshot : expired) {
      LOG.warnf(
          "snapshot %s: no %s result within %d s, now %s",
          snapshot, operation, deadline.toSeconds(), to);
    }
  }

  /** A create with no result, {@code downloading} an image included: {@code error}, as Cinder's. */
  private void timeOutCreates() {
    for (VolumeStatus from : List.of(VolumeStatus.CREATING, VolumeStatus.DOWNLOADING)) {
      for (Object[] row :
          expire(from, VolumeStatus.ERROR, "created_at", config.deadlines().creating(), "create")) {
        messages.volumeError(
            (String) row[1],
            row[0].toString(),
            (String) row[2],
            UserMessages.Failure.UNKNOWN_ERROR);
      }
    }
  }

  private void timeOutDeletes() {
    expire(
        VolumeStatus.DELETING,
        VolumeStatus.ERROR_DELETING,
        "updated_at",
        config.deadlines().deleting(),
        "delete");
    // Manage and unmanage take the create's and the delete's deadlines.
    expire(
        VolumeStatus.MANAGING,
        VolumeStatus.ERROR_MANAGING,
        "created_at",
        config.deadlines().creating(),
        "manage");
    expire(
        VolumeStatus.UNMANAGING,
        VolumeStatus.ERROR_UNMANAGING,
        "updated_at",
        config.deadlines().deleting(),
        "unmanage");
  }

  /** Whether {@code statusReason} is this sweep's, for {@code operation} ("extend" ...). */
  public static boolean timedOut(String statusReason, String operation) {
    return statusReason != null && statusReason.startsWith(reason(operation, ""));
  }

  private static String reason(String operation, Object seconds) {
    return "no " + operation + " result within " + seconds;
  }

  /** One conditional update: a result arriving meanwhile either wins or finds the new status. */
  private List<Object[]> expire(
      VolumeStatus from, VolumeStatus to, String since, Duration deadline, String operation) {
    @SuppressWarnings("unchecked")
    List<Object[]> expired =
        em.createNativeQuery(
                "update volumes set status = :to, updated_at = now() at time zone 'utc',"
                    + " status_reason = :reason where status = '"
                    // a literal (an enum's wire name), so the planner can use the partial index
                    + from.wire()
                    + "' and "
                    + since
                    + " < now() at time zone 'utc' - make_interval(secs => :secs)"
                    + " returning id, project_id, request_id")
            .setParameter("to", to.wire())
            .setParameter("secs", deadline.toMillis() / 1000.0)
            .setParameter("reason", reason(operation, deadline.toSeconds() + " s"))
            .getResultList();
    for (Object[] row : expired) {
      MDC.put(RequestIds.MDC_KEY, row[2] == null ? "-" : row[2]);
      LOG.warnf(
          "volume %s: no %s result within %d s, now %s",
          row[0], operation, deadline.toSeconds(), to.wire());
      MDC.remove(RequestIds.MDC_KEY);
    }
    return expired;
  }
}
