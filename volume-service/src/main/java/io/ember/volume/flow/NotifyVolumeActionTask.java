package io.ember.volume.flow;

import io.ember.model.VolumeStatus;
import io.ember.model.contract.VolumeUsage;
import io.ember.model.flow.Task;
import io.ember.volume.outbound.HostMessages;

/** Emits the notification {@code volume.<action>} with the volume's usage info. */
final class NotifyVolumeActionTask implements Task<CreateVolumeContext> {

  private final HostMessages messages;
  private final String action;

  NotifyVolumeActionTask(HostMessages messages, String action) {
    this.messages = messages;
    this.action = action;
  }

  @Override
  public void execute(CreateVolumeContext context) {
    messages.notify(
        context.requestContext,
        "volume." + action,
        VolumeUsage.of(context.spec, context.pool.toString(), VolumeStatus.CREATING.wire(), null));
  }

  @Override
  public String name() {
    return "NotifyVolumeActionTask(" + action + ")";
  }
}
