package io.ember.volume.flow;

import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.flow.Task;
import io.ember.volume.outbound.HostMessages;

/**
 * Does nothing on the way in; when a later task fails and rescheduling is not allowed, tells the
 * API the volume could not be created (it goes to {@code error}).
 */
final class OnFailureChangeStatusTask implements Task<CreateVolumeContext> {

  private final HostMessages messages;

  OnFailureChangeStatusTask(HostMessages messages) {
    this.messages = messages;
  }

  @Override
  public void execute(CreateVolumeContext context) {}

  @Override
  public void revert(CreateVolumeContext context, Throwable cause) {
    messages.volumeCreateFailed(
        context.requestContext,
        new VolumeCreateFailed(
            context.spec.volumeId(), context.pool.toString(), CreateVolumeContext.reason(cause)));
    context.failureOutcome = "error";
  }
}
