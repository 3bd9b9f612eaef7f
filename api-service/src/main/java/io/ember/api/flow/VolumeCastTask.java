package io.ember.api.flow;

import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Retry;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.flow.Task;
import io.ember.model.outbox.Outbox;
import java.time.ZoneOffset;

/**
 * Casts the volume to the scheduler. The command goes to the outbox in the same transaction as the
 * entry and the quota, so it is sent exactly when they are committed (Cinder's dual write, fixed).
 */
public class VolumeCastTask implements Task<CreateVolumeRequest> {

  private final Outbox outbox;
  private final Topics topics;

  public VolumeCastTask(Outbox outbox, Topics topics) {
    this.outbox = outbox;
    this.topics = topics;
  }

  @Override
  public void execute(CreateVolumeRequest request) {
    var volume = request.volume;
    VolumeSpec spec =
        new VolumeSpec(
            volume.id.toString(),
            volume.projectId,
            volume.userId,
            volume.size,
            volume.name,
            volume.availabilityZone,
            null,
            null,
            volume.metadata,
            volume.createdAt.toInstant(ZoneOffset.UTC));
    outbox.send(
        topics.schedulerRequests(),
        Envelope.of(
            MessageType.SCHEDULE_VOLUME,
            spec.volumeId(),
            request.caller,
            new ScheduleVolume(spec, Retry.first())));
  }
}
