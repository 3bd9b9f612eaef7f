package io.ember.scheduler.flow;

import io.ember.model.contract.ContractException;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Retry;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.flow.Task;

/**
 * Reads the request spec out of the {@code schedule_volume} message. A message that does not carry
 * one is a contract violation: it is dead-lettered, not failed into the volume.
 */
public final class ExtractSchedulerSpecTask implements Task<CreateVolumeContext> {

  @Override
  public void execute(CreateVolumeContext context) {
    if (context.request().messageType() != MessageType.SCHEDULE_VOLUME) {
      throw new ContractException(
          "the scheduler takes "
              + MessageType.SCHEDULE_VOLUME.wire()
              + ", not "
              + context.request().type());
    }
    ScheduleVolume request = context.request().payloadAs(ScheduleVolume.class);
    VolumeSpec volume = request.volume();
    if (volume == null || volume.volumeId() == null || volume.size() <= 0) {
      throw new ContractException("schedule_volume needs a volume with an id and a positive size");
    }
    context.setRequestSpec(volume, request.retry() == null ? Retry.first() : request.retry());
  }
}
