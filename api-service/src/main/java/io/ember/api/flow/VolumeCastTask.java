package io.ember.api.flow;

import io.ember.api.outbound.SchedulerCommands;
import io.ember.api.qos.QosSpecs;
import io.ember.model.contract.VolumeSource;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.flow.Task;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Casts the volume to the scheduler. The command goes to the outbox in the same transaction as the
 * entry and the quota, so it is sent exactly when they are committed (Cinder's dual write, fixed).
 */
public class VolumeCastTask implements Task<CreateVolumeContext> {

  /** The QoS spec associated with a volume type, if any. */
  @FunctionalInterface
  public interface TypeQos {
    Optional<QosSpecs> of(UUID typeId);
  }

  private final SchedulerCommands scheduler;
  private final TypeQos typeQos;

  /** Without QoS specs: no volume carries any. */
  public VolumeCastTask(SchedulerCommands scheduler) {
    this(scheduler, typeId -> Optional.empty());
  }

  public VolumeCastTask(SchedulerCommands scheduler, TypeQos typeQos) {
    this.scheduler = scheduler;
    this.typeQos = typeQos;
  }

  @Override
  public void execute(CreateVolumeContext context) {
    var volume = context.volume;
    VolumeSpec spec =
        new VolumeSpec(
            volume.id.toString(),
            volume.projectId,
            volume.userId,
            volume.size,
            volume.name,
            volume.availabilityZone,
            volume.volumeTypeId == null ? null : volume.volumeTypeId.toString(),
            context.type == null ? null : context.type.extraSpecs(),
            volume.metadata,
            volume.createdAt.toInstant(ZoneOffset.UTC),
            volume.volumeTypeId == null ? null : backEndQos(volume.volumeTypeId),
            source(context));
    scheduler.scheduleVolume(spec, context.caller);
  }

  /** Where the data comes from; the scheduler keeps a copy on the backend of its source. */
  private static VolumeSource source(CreateVolumeContext context) {
    if (context.snapshotId != null) {
      return VolumeSource.snapshot(context.snapshotId.toString(), context.sourceHost);
    }
    if (context.sourceVolid != null) {
      return VolumeSource.volume(context.sourceVolid.toString(), context.sourceHost);
    }
    if (context.imageId != null) {
      return VolumeSource.image(context.imageId);
    }
    // A raw volume of a group goes to the group's backend (Cinder's resource_backend).
    return context.sourceHost == null ? null : VolumeSource.group(context.sourceHost);
  }

  /**
   * The type's QoS for the driver: only a {@code back-end} or {@code both} spec; a {@code
   * front-end} one is for the consumer at attach and stays here.
   */
  private io.ember.model.contract.QosSpecs backEndQos(UUID typeId) {
    return typeQos
        .of(typeId)
        .filter(q -> !QosSpecs.FRONT_END.equals(q.consumer()))
        .map(
            q ->
                new io.ember.model.contract.QosSpecs(
                    q.id().toString(), q.name(), q.consumer(), q.specs()))
        .orElse(null);
  }
}
