package io.ember.api.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.attachment.Attachment;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.outbound.HostCalls;
import io.ember.api.qos.PyRepr;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volume.VolumeFields;
import io.ember.api.volumeops.VolumeMigrations;
import io.ember.api.volumeops.VolumeService;
import io.ember.model.RequestContext;
import io.ember.model.contract.CompleteMigration;
import io.ember.model.flow.Task;
import io.ember.model.reply.Reply;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * {@code os-migrate_volume_completion}, as Cinder's admin action and {@code volume/api.py} and
 * manager {@code migrate_volume_completion} have it: read the request → find both volumes (admin
 * only) → check their migration statuses → then one of three ends:
 *
 * <ul>
 *   <li>neither is migrating (Nova's swap): the new volume's id is the answer, and the source's
 *       attachments to move are read out for the caller, who detaches them and attaches the new
 *       volume in their place (Cinder's {@code volume/api.py} does it with its own detach and
 *       attach, after the flow);
 *   <li>{@code error}: the migration ends in {@code error}, the source keeps its data, the new
 *       volume is deleted;
 *   <li>else the call {@code migrate_volume_completion} to the source's host, which ends the
 *       migration as a copying one ends (the new volume's host adopts it as the volume, the old
 *       copy goes, {@code volume.migrated} follows); on its reply the new volume's row goes with
 *       its quota, since its data is the volume's now.
 * </ul>
 *
 * The answer is the id the volume keeps ({@code save_volume_id}).
 */
@ApplicationScoped
public class MigrationCompletionFlow {

  private static final Logger LOG = Logger.getLogger(MigrationCompletionFlow.class);

  static final String ACTION = "os-migrate_volume_completion";

  @Inject VolumeService volumes;
  @Inject HostCalls calls;

  /** What the tasks share. */
  public static final class Context implements CallFlow.Context {
    private final RequestContext caller;
    final String id;
    final JsonNode body;
    String newId;
    boolean error;
    Volume volume;
    Volume newVolume;

    /** The migration status the source had before the call (restored if the call fails). */
    String migrationStatus;

    boolean called;
    String saveVolumeId;

    /** Nova's swap without {@code error}: the source's attachments, to move to the new volume. */
    List<SwappedAttachment> swapped = List.of();

    public Context(String id, JsonNode body, RequestContext caller) {
      this.id = id;
      this.body = body;
      this.caller = caller;
    }

    @Override
    public RequestContext caller() {
      return caller;
    }

    @Override
    public void reply(Reply reply) {
      if (reply != null) {
        reply.resultAs(Object.class);
      }
    }

    public String saveVolumeId() {
      return saveVolumeId;
    }

    public String newVolumeId() {
      return newId;
    }

    public List<SwappedAttachment> swapped() {
      return swapped;
    }
  }

  /** Where one of the source's attachments pointed, for its move to the new volume. */
  public record SwappedAttachment(
      UUID id, String instanceUuid, String attachedHost, String mountpoint) {}

  public CallFlow<Context> build() {
    return CallFlow.of(
        "volume:migrate_volume_completion",
        List.of(
            new ExtractCompletionRequestTask(),
            new FindVolumesTask(),
            new CheckMigrationStatusesTask(),
            new EndFailedMigrationTask(),
            new MarkCompletingTask()),
        c ->
            c.called
                ? calls.completeMigration(
                    new CompleteMigration(
                        c.volume.id.toString(),
                        c.newVolume.id.toString(),
                        c.volume.projectId,
                        c.newVolume.size,
                        c.volume.host,
                        c.newVolume.host),
                    c.caller())
                : CompletableFuture.completedFuture(null),
        List.of(new RemoveNewVolumeRowTask()));
  }

  /**
   * Cinder's schema: {@code new_volume} a uuid, required; {@code error} a boolean, a string or null
   * (Ember reads a string as a boolean word, where Cinder takes any non-empty one as true).
   */
  static final class ExtractCompletionRequestTask implements Task<Context> {
    @Override
    public void execute(Context c) {
      JsonNode args = VolumeFields.actionObject(c.body, ACTION, Set.of("new_volume", "error"));
      JsonNode newVolume = args.get("new_volume");
      if (newVolume == null) {
        // Shown as Cinder shows it, a Python dict.
        throw CinderFault.badRequest(
            "Invalid input for field/attribute "
                + ACTION
                + ". Value: "
                + Echo.cap(PyRepr.of(args))
                + ". 'new_volume' is a required property");
      }
      if (!newVolume.isTextual()) {
        throw VolumeFields.invalidField(
            "new_volume", newVolume, Echo.cap(newVolume.toString()) + " is not of type 'string'");
      }
      if (Volume.parseId(newVolume.asText()) == null) {
        throw VolumeFields.invalidField(
            "new_volume", newVolume, "'" + Echo.cap(newVolume.asText()) + "' is not a 'uuid'");
      }
      c.newId = newVolume.asText();
      JsonNode error = args.get("error");
      if (error != null && !error.isNull()) {
        if (!error.isBoolean() && !error.isTextual()) {
          throw VolumeFields.invalidField(
              "error",
              error,
              Echo.cap(error.toString()) + " is not of type 'string', 'null', 'boolean'");
        }
        c.error = VolumeFields.flag("error", error);
      }
    }
  }

  /** The source locked (its 404 first), the admin rule, then the new volume locked (its 404). */
  final class FindVolumesTask implements Task<Context> {
    @Override
    public void execute(Context c) {
      c.volume = volumes.lockedForChange(c.id, c.caller());
      AdminPolicy.require(c.caller(), "migrate_volume_completion");
      c.newVolume = volumes.lockedForChange(c.newId, c.caller());
    }
  }

  /**
   * Cinder's {@code volume/api.py} rules: neither migrating is Nova's swap; else both must be, the
   * new one as {@code target:<source id>}.
   */
  static final class CheckMigrationStatusesTask implements Task<Context> {
    @Override
    public void execute(Context c) {
      String source = c.volume.migrationStatus;
      String target = c.newVolume.migrationStatus;
      if (source == null && target == null) {
        c.saveVolumeId = c.newVolume.id.toString();
        if (!c.error) {
          c.swapped =
              Attachment.<Attachment>list("volumeId = ?1 order by createdAt", c.volume.id).stream()
                  .map(
                      a ->
                          new SwappedAttachment(a.id, a.instanceUuid, a.attachedHost, a.mountpoint))
                  .toList();
        }
        LOG.infof(
            "volume %s: completion of a swap to %s, %d attachment(s) to move",
            c.volume.id, c.newVolume.id, c.swapped.size());
        return;
      }
      if (source == null) {
        throw CinderFault.invalidVolume("Source volume not mid-migration.");
      }
      if (target == null) {
        throw CinderFault.invalidVolume("Destination volume not mid-migration.");
      }
      String expected = "target:" + c.volume.id;
      if (!expected.equals(target)) {
        throw CinderFault.invalidVolume(
            "Destination has migration_status " + target + ", expected " + expected + ".");
      }
      c.saveVolumeId = c.volume.id.toString();
    }
  }

  /**
   * With {@code error}: the migration ends in {@code error} with the source as it was, and the new
   * volume is deleted (Cinder's manager does both; nothing of it needs the source's host).
   */
  final class EndFailedMigrationTask implements Task<Context> {
    @Override
    public void execute(Context c) {
      if (!c.error || c.volume.migrationStatus == null) {
        return;
      }
      VolumeMigrations.endMigration(c.volume, "error");
      volumes.deleteMigrationTarget(c.newVolume, c.caller());
      LOG.infof(
          "volume %s: migration completed with error, new volume %s deleted",
          c.volume.id, c.newVolume.id);
    }
  }

  /** A migration that succeeded is {@code completing} until the volume's host hands it over. */
  static final class MarkCompletingTask implements Task<Context> {
    @Override
    public void execute(Context c) {
      if (c.error || c.volume.migrationStatus == null) {
        return;
      }
      if (c.volume.host == null || c.newVolume.host == null) {
        throw CinderFault.invalidVolume(
            "Volume " + (c.volume.host == null ? c.volume.id : c.newVolume.id) + " has no host.");
      }
      c.migrationStatus = c.volume.migrationStatus;
      c.volume.migrationStatus = "completing";
      c.volume.updatedAt = VolumeClock.now();
      c.called = true;
    }

    @Override
    public void revert(Context c, Throwable cause) {
      if (!c.called) {
        return;
      }
      Volume volume = Volume.findById(c.volume.id);
      if (volume != null && "completing".equals(volume.migrationStatus)) {
        volume.migrationStatus = c.migrationStatus;
        volume.updatedAt = VolumeClock.now();
      }
    }
  }

  /**
   * The host took the new volume's data as the volume's: its row goes, and with it its quota (the
   * volume keeps its own charge).
   */
  final class RemoveNewVolumeRowTask implements Task<Context> {
    @Override
    public void execute(Context c) {
      if (!c.called) {
        return;
      }
      UUID newId = c.newVolume.id;
      Volume newVolume = Volume.findById(newId);
      if (newVolume != null) {
        volumes.removeAndRelease(newVolume);
      }
      LOG.infof(
          "volume %s: completion handed over, new volume %s's row removed", c.volume.id, newId);
    }
  }
}
