package io.ember.api.flow;

import io.ember.api.config.ApiConfig;
import io.ember.api.keymanager.KeyManager;
import io.ember.api.outbound.SchedulerCommands;
import io.ember.api.snapshot.Snapshot;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeRows;
import io.ember.model.RequestContext;
import io.ember.model.flow.LinearFlow;
import io.ember.model.image.Image;
import io.ember.model.image.ImageService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The api side of create-volume, assembled in one place as Cinder's {@code get_flow()}: extract and
 * validate → reserve quota → entry in {@code creating} → commit quota → cast to the scheduler. The
 * caller runs it in a database transaction, possibly together with other creates of the project.
 */
@ApplicationScoped
public class CreateVolumeFlow {

  @Inject ApiConfig config;
  @Inject VolumeRows rows;
  @Inject SchedulerCommands scheduler;
  @Inject VolumeTypeCatalog types;
  @Inject ImageService images;
  @Inject KeyManager keys;

  public LinearFlow<CreateVolumeContext> build() {
    return LinearFlow.of(
        "volume:create_api",
        new ExtractVolumeRequestTask(
            config.availabilityZones(),
            config.defaultAvailabilityZone(),
            config.defaultVolumeType(),
            new ExtractVolumeRequestTask.Lookups(
                (nameOrId, caller) -> types.usable(nameOrId, caller.projectId(), caller.isAdmin()),
                types::byId,
                types::isEncrypted,
                new Sources(),
                keys)),
        new VolumeGroupTask(),
        new QuotaReserveTask(),
        new EntryCreateTask(rows),
        new QuotaCommitTask(),
        new VolumeCastTask(scheduler, typeId -> Optional.ofNullable(types.qosOf(typeId))));
  }

  /** The sources as the database holds them, each seen only by its project and admins. */
  private final class Sources implements CreateSources {

    @Override
    public SourceSnapshot snapshot(UUID id, RequestContext caller) {
      Snapshot snapshot = Snapshot.findById(id);
      if (snapshot == null || !visible(snapshot.projectId, caller)) {
        return null;
      }
      Volume volume = Volume.findById(snapshot.volumeId);
      return new SourceSnapshot(
          snapshot.id,
          snapshot.status,
          snapshot.volumeSize,
          snapshot.volumeTypeId,
          volume == null ? null : of(volume));
    }

    @Override
    public SourceVolume volume(UUID id, RequestContext caller) {
      Volume volume = Volume.findById(id);
      return volume == null || !visible(volume.projectId, caller) ? null : of(volume);
    }

    @Override
    public Optional<Image> image(String id) {
      return images.show(id);
    }

    @Override
    public List<Image> imagesNamed(String name) {
      return images.findByName(name);
    }

    private static boolean visible(String projectId, RequestContext caller) {
      return caller.isAdmin() || projectId.equals(caller.projectId());
    }

    private static SourceVolume of(Volume v) {
      return new SourceVolume(
          v.id,
          v.status,
          v.size,
          v.volumeTypeId,
          v.availabilityZone,
          v.host,
          v.bootable,
          v.encryptionKeyId);
    }
  }
}
