package io.ember.api.flow;

import io.ember.api.outbound.SchedulerCommands;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.flow.Task;
import java.time.ZoneOffset;

/**
 * Casts the volume to the scheduler. The command goes to the outbox in the same transaction as the
 * entry and the quota, so it is sent exactly when they are committed (Cinder's dual write, fixed).
 */
public class VolumeCastTask implements Task<CreateVolumeContext> {

  private final SchedulerCommands scheduler;

  public VolumeCastTask(SchedulerCommands scheduler) {
    this.scheduler = scheduler;
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
            volume.createdAt.toInstant(ZoneOffset.UTC));
    scheduler.scheduleVolume(spec, context.caller);
  }
}
