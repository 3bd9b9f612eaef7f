package io.ember.api.volumeops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ember.api.attachment.AttachmentService;
import io.ember.api.attachment.NovaUsageCheck;
import io.ember.api.flow.MigrateVolumeFlow;
import io.ember.api.flow.MigrationCompletionFlow;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.VolumeMigrateFailed;
import io.ember.model.contract.VolumeMigrated;
import io.ember.model.contract.VolumeMigrationStatus;
import io.ember.model.contract.VolumeRetypeFailed;
import io.ember.model.contract.VolumeRetyped;
import io.ember.model.flow.FlowFailedException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Volume migration in the API: {@code os-migrate_volume} through its flow, and what the scheduler
 * and the hosts report about it. A result applies only while the volume is migrating, so a late or
 * replayed one cannot move it backwards; a {@code volume.migrated} always records where the data
 * now is, even after the deadline gave up on it.
 *
 * <p>A volume {@code retyping} migrates when its pool cannot take the new type ({@code
 * migration_policy} {@code on-demand}): its migration's end is its retype's end, as in Cinder's
 * manager.
 */
@ApplicationScoped
public class VolumeMigrations {

  private static final Logger LOG = Logger.getLogger(VolumeMigrations.class);

  /** The migration statuses of a migration in flight, in their order. */
  public static final Set<String> IN_FLIGHT = Set.of("starting", "migrating", "completing");

  @Inject MigrateVolumeFlow flow;
  @Inject MigrationCompletionFlow completion;
  @Inject Retypes retypes;
  @Inject AttachmentService attachments;

  /** {@code os-migrate_volume}: 202 once the volume is {@code starting} and the cast is written. */
  @Transactional
  public void migrate(String id, JsonNode body, boolean clusterAllowed, RequestContext caller) {
    try {
      flow.build().run(new MigrateVolumeFlow.Context(id, body, caller, clusterAllowed));
    } catch (FlowFailedException failed) {
      if (failed.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw failed;
    }
  }

  /**
   * {@code os-migrate_volume_completion}: the id the volume keeps, once the source's host has
   * handed the volume over (a request-reply call; no thread waits for it), or Cinder's refusal.
   */
  public Uni<String> complete(String id, JsonNode body, RequestContext caller) {
    return completion
        .build()
        .run(new MigrationCompletionFlow.Context(id, body, caller))
        .flatMap(
            done ->
                moveAttachments(id, done.newVolumeId(), done.swapped(), caller)
                    .replaceWith(done.saveVolumeId()));
  }

  /**
   * Nova's swap, as Cinder's API ends it: each of the source's attachments detached (the legacy
   * {@code os-detach}, through its host), then the new volume attached where the last one was,
   * read-write. One after another, each a call of its own: a failure stops there and is the answer,
   * what was done before it stays done (as in Cinder).
   */
  private Uni<Void> moveAttachments(
      String sourceId,
      String newId,
      List<MigrationCompletionFlow.SwappedAttachment> swapped,
      RequestContext caller) {
    if (swapped.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (MigrationCompletionFlow.SwappedAttachment a : swapped) {
      ObjectNode detach =
          JsonNodeFactory.instance.objectNode().put("attachment_id", a.id().toString());
      chain =
          chain.flatMap(
              x ->
                  attachments.detach(
                      sourceId, detach, caller, false, NovaUsageCheck.Requester.INTERNAL));
    }
    MigrationCompletionFlow.SwappedAttachment last = swapped.get(swapped.size() - 1);
    ObjectNode attach = JsonNodeFactory.instance.objectNode();
    attach.put("instance_uuid", last.instanceUuid());
    attach.put("host_name", last.attachedHost());
    attach.put("mountpoint", last.mountpoint());
    attach.put("mode", "rw");
    return chain
        .flatMap(x -> attachments.attach(newId, attach, caller))
        .invoke(
            () ->
                LOG.infof(
                    "volume %s: swap to %s moved %d attachment(s)",
                    sourceId, newId, swapped.size()));
  }

  /** The host moved the migration on ({@code migrating}, {@code completing}). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void statusChanged(VolumeMigrationStatus event) {
    Volume volume = find(event.volumeId());
    if (volume == null || !(inFlight(volume) || retyping(volume))) {
      LOG.infof(
          "volume %s migration status %s ignored (now %s)",
          event.volumeId(), event.migrationStatus(), migration(volume));
      return;
    }
    volume.migrationStatus = event.migrationStatus();
    volume.updatedAt = VolumeClock.now();
    Volume.flush();
    LOG.infof("volume %s migration %s", volume.id, event.migrationStatus());
  }

  /**
   * The volume lives on its new pool now: host and provider location change, the id stays; the
   * status it had before (not {@code maintenance}) comes back. Its quota never changed, unless the
   * migration was a retype's: then the volume takes its new type and its per-type quota moves.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void migrated(RequestContext context, VolumeMigrated event) {
    Volume volume = find(event.volumeId());
    if (volume == null) {
      LOG.infof("volume %s migrated event ignored (gone)", event.volumeId());
      return;
    }
    String from = volume.host;
    volume.host = event.pool();
    volume.providerLocation = event.providerLocation();
    if (retyping(volume)) {
      retypes.retyped(
          context, new VolumeRetyped(volume.id.toString(), volume.retypeTypeId.toString()));
    }
    endMigration(volume, "success");
    LOG.infof("volume %s migrated from %s to %s", volume.id, from, volume.host);
  }

  /**
   * The migration did not happen: the volume stays where it was, usable; a retype's migration fails
   * the retype (the volume keeps its type).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void failed(RequestContext context, VolumeMigrateFailed event) {
    Volume volume = find(event.volumeId());
    boolean retype = volume != null && retyping(volume);
    if (volume == null || !(inFlight(volume) || retype)) {
      LOG.infof("volume %s migrate_failed ignored (now %s)", event.volumeId(), migration(volume));
      return;
    }
    if (retype) {
      retypes.retypeFailed(
          new VolumeRetypeFailed(
              volume.id.toString(), volume.retypeTypeId.toString(), event.reason(), false));
    }
    endMigration(volume, "error");
    LOG.infof("volume %s migration error: %s", volume.id, event.reason());
  }

  /** Whether a migration is under way (Set.of refuses to look up a null status). */
  private static boolean inFlight(Volume volume) {
    return volume.migrationStatus != null && IN_FLIGHT.contains(volume.migrationStatus);
  }

  /** A volume whose retype is migrating it (the scheduler chose another pool). */
  private static boolean retyping(Volume volume) {
    return VolumeStatus.RETYPING.wire().equals(volume.status) && volume.retypeTypeId != null;
  }

  /**
   * As Cinder's manager at the end of {@code migrate_volume}: a volume locked in {@code
   * maintenance} gets its previous status back.
   */
  public static void endMigration(Volume volume, String migrationStatus) {
    if ("maintenance".equals(volume.status) && volume.previousStatus != null) {
      volume.status = volume.previousStatus;
    }
    if (inFlight(volume)) {
      volume.previousStatus = null;
    }
    volume.migrationStatus = migrationStatus;
    volume.updatedAt = VolumeClock.now();
    Volume.flush();
  }

  private static Volume find(String id) {
    UUID uuid = Volume.parseId(id);
    return uuid == null ? null : Volume.findById(uuid);
  }

  private static String migration(Volume volume) {
    return volume == null ? "gone" : String.valueOf(volume.migrationStatus);
  }
}
