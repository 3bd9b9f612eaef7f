package io.ember.volume.manager;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.contract.AdoptMigrationTarget;
import io.ember.model.contract.CompleteMigration;
import io.ember.model.contract.CreateMigrationTarget;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.MigrateVolume;
import io.ember.model.contract.MigrationTargetReady;
import io.ember.model.contract.VolumeMigrateFailed;
import io.ember.model.contract.VolumeMigrated;
import io.ember.model.contract.VolumeMigrationStatus;
import io.ember.model.jdbc.TransactionOutcome;
import io.ember.model.reply.ReplyFailedException;
import io.ember.volume.backend.BackendVolume;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.capability.CapabilityPublisher;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.ModelUpdate;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.outbound.HostMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The source host's side of Cinder's {@code migrate_volume}: the driver moves the volume when it
 * can; otherwise (or with {@code force_host_copy}) the generic way of {@code
 * _migrate_volume_generic}: a target volume on the destination host ({@code
 * create_migration_target}), the bytes sent to it over the data channel it opened (HTTP, not
 * Kafka), then the completion: the destination adopts the target as the volume and this host's copy
 * goes. Any failure before the completion leaves the source as it was: migration_status {@code
 * error}.
 */
@ApplicationScoped
public class MigrateVolumeHandler {

  private static final Logger LOG = Logger.getLogger(MigrateVolumeHandler.class);

  @Inject VolumeDriver driver;
  @Inject BackendVolumes volumes;
  @Inject HostMessages messages;
  @Inject CapabilityPublisher capabilities;
  @Inject TransactionSynchronizationRegistry transactions;
  @Inject VolumeHostConfig config;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * {@code migrate_volume}: the driver's move, else the request for a target on the destination.
   */
  public void handle(RequestContext context, MigrateVolume command) {
    OwnPool.require(command.volumeId(), "migrate_volume without a volume id");
    OwnPool.require(command.destPool(), "migrate_volume without a destination");
    HostAddress pool = OwnPool.of(command.pool(), config.host());
    String volumeId = command.volumeId();
    BackendVolume held = volumes.find(volumeId).orElse(null);
    if (held == null) {
      fail(context, volumeId, "Volume " + volumeId + " could not be found on " + config.host());
      return;
    }
    messages.volumeMigrationStatus(context, new VolumeMigrationStatus(volumeId, "migrating"));
    ModelUpdate moved;
    try {
      if (!driver.initialized()) {
        throw new VolumeDriverException("volume driver is not initialized");
      }
      moved =
          command.forceHostCopy() ? null : driver.migrateVolume(of(held, pool), command.destPool());
    } catch (RuntimeException e) {
      fail(context, volumeId, OwnPool.reason(e));
      return;
    }
    if (moved != null) {
      volumes.take(volumeId);
      volumes.record(volumeId, command.destPool(), held.size(), moved.providerLocation());
      messages.volumeMigrated(
          context, new VolumeMigrated(volumeId, command.destPool(), moved.providerLocation()));
      capabilities.changedAfterCommit();
      LOG.infof("volume %s moved by the driver to %s", volumeId, command.destPool());
      return;
    }
    String targetId = UUID.randomUUID().toString();
    messages.createMigrationTarget(
        context,
        new CreateMigrationTarget(
            volumeId,
            targetId,
            command.projectId(),
            held.size(),
            command.destPool(),
            config.host()));
    LOG.infof(
        "volume %s migrating by copy to %s (target %s)", volumeId, command.destPool(), targetId);
  }

  /** {@code migration_target_ready}: send the bytes, then {@link #complete}. */
  public void targetReady(RequestContext context, MigrationTargetReady ready) {
    String volumeId = ready.volumeId();
    if (ready.error() != null) {
      fail(context, volumeId, "creating the migration target failed: " + ready.error());
      return;
    }
    BackendVolume held = volumes.find(volumeId).orElse(null);
    if (held == null) {
      LOG.infof("volume %s: migration target ready, but the source copy is gone", volumeId);
      return;
    }
    HostAddress pool = OwnPool.of(held.pool(), config.host());
    DriverVolume source = of(held, pool);
    try {
      send(source, ready);
    } catch (IOException | RuntimeException e) {
      messages.deleteMigrationTarget(
          context,
          volumeId,
          new DeleteVolume(
              ready.targetId(), ready.projectId(), ready.destPool(), ready.size(), null, null));
      fail(context, volumeId, "copying to the migration target failed: " + reason(e));
      return;
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException("interrupted after copying volume " + volumeId);
    }
    messages.volumeMigrationStatus(context, new VolumeMigrationStatus(volumeId, "completing"));
    complete(
        context,
        source,
        new AdoptMigrationTarget(
            volumeId, ready.targetId(), ready.projectId(), ready.size(), ready.destPool()));
    LOG.infof("volume %s copied to %s, completing", volumeId, ready.destPool());
  }

  /**
   * The call {@code migrate_volume_completion} (an admin's, or Nova's at the end of a swap): the
   * new volume already holds the bytes, so the migration ends as a copying one does. A volume this
   * host does not hold is refused (400) and nothing changes.
   */
  public Object completion(RequestContext context, CompleteMigration command) {
    OwnPool.require(command.newVolumeId(), "migrate_volume_completion without a new volume");
    OwnPool.require(command.newPool(), "migrate_volume_completion without the new volume's pool");
    String volumeId = command.volumeId();
    BackendVolume held = volumes.find(volumeId).orElse(null);
    if (held == null) {
      throw new ReplyFailedException(
          "Invalid volume: Volume " + volumeId + " could not be found on " + config.host() + ".",
          400);
    }
    complete(
        context,
        of(held, OwnPool.of(held.pool(), config.host())),
        new AdoptMigrationTarget(
            volumeId,
            command.newVolumeId(),
            command.projectId(),
            command.size(),
            command.newPool()));
    LOG.infof(
        "volume %s: completion called, %s adopts %s",
        volumeId, command.newPool(), command.newVolumeId());
    return null;
  }

  /**
   * The end of every generic migration: the destination adopts the target as the volume, and this
   * host's copy goes once this transaction (with the adopt command) has committed, so a crash
   * before never loses the volume; one after leaves at worst a stray copy on this backend.
   */
  private void complete(RequestContext context, DriverVolume source, AdoptMigrationTarget adopt) {
    messages.adoptMigrationTarget(context, adopt);
    volumes.take(adopt.volumeId());
    TransactionOutcome.afterCommit(transactions, () -> deleteSourceCopy(source));
    capabilities.changedAfterCommit();
  }

  /** The volume's bytes, streamed to the destination's channel with its one-time token. */
  private void send(DriverVolume source, MigrationTargetReady ready) throws IOException {
    long length = (long) source.size() << 30;
    try (SeekableByteChannel in = driver.openVolume(source, false)) {
      InputStream bytes = Channels.newInputStream(in);
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(ready.url()))
              .header(MigrationChannels.TOKEN_HEADER, ready.token())
              .header("Content-Type", "application/octet-stream")
              .PUT(
                  HttpRequest.BodyPublishers.fromPublisher(
                      HttpRequest.BodyPublishers.ofInputStream(() -> bytes), length))
              .build();
      HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() / 100 != 2) {
        throw new IOException("the destination answered HTTP " + answer.statusCode());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while copying", e);
    }
  }

  private void deleteSourceCopy(DriverVolume source) {
    try {
      driver.deleteVolume(source);
      LOG.infof("volume %s: source copy deleted from %s", source.id(), config.host());
    } catch (RuntimeException e) {
      LOG.warnf("volume %s: source copy left on the backend: %s", source.id(), OwnPool.reason(e));
    }
  }

  private void fail(RequestContext context, String volumeId, String reason) {
    messages.volumeMigrateFailed(context, new VolumeMigrateFailed(volumeId, reason));
    LOG.warnf("migration of volume %s failed: %s", volumeId, reason);
  }

  private static DriverVolume of(BackendVolume held, HostAddress pool) {
    return new DriverVolume(
        held.volumeId(), held.size(), pool.pool(), null, held.providerLocation());
  }

  /** The failure and its cause, e.g. {@code IOException (EOFException: ...)}. */
  private static String reason(Exception e) {
    String own = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    return cause == null || cause == e ? own : own + " (" + cause + ")";
  }
}
