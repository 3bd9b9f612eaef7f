package io.ember.volume.flow;

import io.ember.model.VolumeStatus;
import io.ember.model.contract.VolumeCreated;
import io.ember.model.contract.VolumeUsage;
import io.ember.model.flow.Task;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.outbound.HostMessages;
import java.time.Instant;

/**
 * Records what the backend now holds, then tells the API the volume is ready ({@code
 * volume.created}) and emits {@code volume.create.end}.
 */
final class CreateVolumeOnFinishTask implements Task<CreateVolumeContext> {

  private final BackendVolumes volumes;
  private final HostMessages messages;

  CreateVolumeOnFinishTask(BackendVolumes volumes, HostMessages messages) {
    this.volumes = volumes;
    this.messages = messages;
  }

  @Override
  public void execute(CreateVolumeContext context) {
    String pool = context.pool.toString();
    volumes.record(context.spec.volumeId(), pool, context.spec.size(), context.providerLocation);
    Instant launchedAt = Instant.now();
    messages.volumeCreated(
        context.requestContext,
        new VolumeCreated(
            context.spec.volumeId(),
            pool,
            context.providerLocation,
            launchedAt,
            context.bootable,
            context.imageMetadata));
    messages.notify(
        context.requestContext,
        "volume.create.end",
        VolumeUsage.of(context.spec, pool, VolumeStatus.AVAILABLE.wire(), launchedAt));
  }
}
