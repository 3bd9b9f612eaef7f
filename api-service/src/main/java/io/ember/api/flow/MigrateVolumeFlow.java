package io.ember.api.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.outbound.SchedulerCommands;
import io.ember.api.service.ServiceAdmin;
import io.ember.api.snapshot.SnapshotService;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volume.VolumeFields;
import io.ember.api.volumeops.VolumeService;
import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.MigrateVolumeToHost;
import io.ember.model.contract.ServiceRecord;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.flow.LinearFlow;
import io.ember.model.flow.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The api side of {@code os-migrate_volume}, as Cinder's {@code volume/api.py} {@code
 * migrate_volume}: find the volume → admin only → read the request → the destination's service is
 * up and enabled → mark the volume {@code starting} (and {@code maintenance} with {@code
 * lock_volume}) → cast {@code migrate_volume_to_host} to the scheduler. The caller's transaction
 * holds the row lock, the change and the outbox row together: all or nothing.
 */
@ApplicationScoped
public class MigrateVolumeFlow {

  private static final Logger LOG = Logger.getLogger(MigrateVolumeFlow.class);

  /** Cinder's {@code AVAILABLE_MIGRATION_STATUS}: a volume in one of these is not migrating. */
  public static final Set<String> NOT_MIGRATING = Set.of("deleting", "error", "success");

  @Inject VolumeService volumes;
  @Inject SnapshotService snapshots;
  @Inject ServiceAdmin services;
  @Inject VolumeTypeCatalog types;
  @Inject SchedulerCommands scheduler;

  /** What the tasks share. */
  public static final class Context {
    final String id;
    final JsonNode body;
    final RequestContext caller;
    final boolean clusterAllowed;
    Volume volume;
    String host;
    boolean forceHostCopy;
    boolean lockVolume;

    /**
     * @param clusterAllowed 3.16+: {@code cluster} may name the destination instead of {@code host}
     */
    public Context(String id, JsonNode body, RequestContext caller, boolean clusterAllowed) {
      this.id = id;
      this.body = body;
      this.caller = caller;
      this.clusterAllowed = clusterAllowed;
    }
  }

  public LinearFlow<Context> build() {
    return LinearFlow.of(
        "volume:migrate_api",
        new FindVolumeTask(),
        new ExtractMigrateRequestTask(),
        new CheckDestinationServiceTask(),
        new MarkMigrationStartingTask(),
        new MigrateCastTask());
  }

  /** The locked row (Cinder's 404 when the caller cannot see it), then the admin rule. */
  final class FindVolumeTask implements Task<Context> {
    @Override
    public void execute(Context c) {
      c.volume = volumes.lockedForChange(c.id, c.caller);
      AdminPolicy.require(c.caller, "migrate_volume");
    }
  }

  /**
   * Cinder's {@code migrate_volume} schemas: {@code host} required, two optional flags; from 3.16
   * {@code host} may be null and {@code cluster} may name the destination, one of the two exactly.
   * Ember has no clusters, so a cluster is never an available service.
   */
  static final class ExtractMigrateRequestTask implements Task<Context> {
    @Override
    public void execute(Context c) {
      String action = "os-migrate_volume";
      JsonNode args;
      JsonNode hostNode;
      if (c.clusterAllowed) {
        args = VolumeFields.actionObject(c.body, action, CLUSTER_FIELDS);
        hostNode = args.get("host");
        JsonNode cluster = args.get("cluster");
        boolean hasHost = hostNode != null && !hostNode.isNull();
        boolean hasCluster = cluster != null && !cluster.isNull();
        if (hasHost == hasCluster) {
          throw CinderFault.badRequest("One and only one of cluster and host must be set.");
        }
        if (hasCluster) {
          if (!cluster.isTextual()) {
            throw VolumeFields.invalidField(
                "cluster", cluster, Echo.cap(cluster.toString()) + " is not of type 'string'");
          }
          throw CinderFault.badRequest(
              "Invalid host: No available service named '" + Echo.cap(cluster.asText()) + "'");
        }
      } else {
        hostNode = VolumeFields.actionField(c.body, action, "host", OPTIONAL_FIELDS);
        args = c.body.get(action);
      }
      if (!hostNode.isTextual()) {
        throw VolumeFields.invalidField(
            "host", hostNode, Echo.cap(hostNode.toString()) + " is not of type 'string'");
      }
      if (hostNode.asText().length() > 255) {
        throw VolumeFields.invalidField(
            "host", hostNode, "'" + Echo.cap(hostNode.asText()) + "' is too long");
      }
      c.host = hostNode.asText();
      c.forceHostCopy =
          args.has("force_host_copy")
              && VolumeFields.flag("force_host_copy", args.get("force_host_copy"));
      c.lockVolume =
          args.has("lock_volume") && VolumeFields.flag("lock_volume", args.get("lock_volume"));
    }
  }

  static final Set<String> OPTIONAL_FIELDS = Set.of("force_host_copy", "lock_volume");
  static final Set<String> CLUSTER_FIELDS =
      Set.of("host", "cluster", "force_host_copy", "lock_volume");

  /** Cinder looks the destination's volume service up: it must be up and enabled. */
  final class CheckDestinationServiceTask implements Task<Context> {
    @Override
    public void execute(Context c) {
      String backendHost;
      try {
        backendHost = HostAddress.parse(c.host).backendHost();
      } catch (IllegalArgumentException empty) {
        throw noService(c.host);
      }
      boolean usable =
          services.list(Optional.empty(), Optional.of(ServiceRecord.VOLUME_BINARY)).stream()
              .anyMatch(s -> s.host().equals(backendHost) && s.up() && !s.disabled());
      if (!usable) {
        throw noService(c.host);
      }
    }

    private CinderFault noService(String host) {
      return CinderFault.badRequest(
          "Invalid host: No available service named '" + Echo.cap(host) + "'");
    }
  }

  /**
   * Cinder's conditional update: available or in-use, not migrating, no snapshots, in no group,
   * another host. The old status is kept in {@code previous_status} for the end of the migration.
   */
  final class MarkMigrationStartingTask implements Task<Context> {
    @Override
    public void execute(Context c) {
      Volume v = c.volume;
      boolean placedElsewhere = v.host != null && !v.host.equals(c.host);
      boolean usable =
          VolumeStatus.AVAILABLE.wire().equals(v.status)
              || VolumeStatus.IN_USE.wire().equals(v.status);
      boolean migrating = v.migrationStatus != null && !NOT_MIGRATING.contains(v.migrationStatus);
      if (!usable
          || migrating
          || !placedElsewhere
          || v.groupId != null
          || snapshots.volumeHasSnapshots(v.id)) {
        throw CinderFault.invalidVolume(
            "Volume "
                + v.id
                + " status must be available or in-use, must not be migrating, have snapshots,"
                + " be replicated, be part of a group and destination host/cluster must be"
                + " different than the current one");
      }
      v.previousStatus = v.status;
      v.migrationStatus = "starting";
      if (c.lockVolume && VolumeStatus.AVAILABLE.wire().equals(v.status)) {
        v.status = VolumeStatus.MAINTENANCE.wire();
      }
      v.updatedAt = VolumeClock.now();
    }

    @Override
    public void revert(Context c, Throwable cause) {
      Volume v = c.volume;
      v.status = v.previousStatus;
      v.previousStatus = null;
      v.migrationStatus = null;
    }
  }

  /** The request to the scheduler, with what its filters need of the volume. */
  final class MigrateCastTask implements Task<Context> {
    @Override
    public void execute(Context c) {
      Volume v = c.volume;
      VolumeTypeCatalog.Entry type = v.volumeTypeId == null ? null : types.byId(v.volumeTypeId);
      VolumeSpec spec = v.spec(type == null ? null : type.extraSpecs());
      scheduler.migrateVolumeToHost(
          new MigrateVolumeToHost(spec, v.host, c.host, c.forceHostCopy), c.caller);
      LOG.infof(
          "volume %s migration starting from %s to %s (force_host_copy=%s, lock_volume=%s)",
          v.id, v.host, c.host, c.forceHostCopy, c.lockVolume);
    }
  }
}
