package io.ember.scheduler.flow;

import io.ember.model.flow.Task;
import io.ember.scheduler.outbound.SchedulerMessages;
import io.ember.scheduler.placement.NoValidBackendException;

/**
 * Does nothing on the way in; when no backend can take the volume, fails it: the {@code
 * create_failed} event (the API sets {@code error} and writes the user message) and Cinder's {@code
 * scheduler.create_volume} ERROR notification, both with the failure's reason.
 *
 * <p>Any other failure rolls back the inbox transaction (the request is retried or dead-lettered),
 * which would take back what a revert wrote: it is left alone.
 */
public final class NotifySchedulerFailureTask implements Task<CreateVolumeContext> {

  private final SchedulerMessages messages;

  public NotifySchedulerFailureTask(SchedulerMessages messages) {
    this.messages = messages;
  }

  @Override
  public void execute(CreateVolumeContext context) {}

  @Override
  public void revert(CreateVolumeContext context, Throwable cause) {
    if (cause instanceof NoValidBackendException noValidBackend) {
      messages.createFailed(context.request(), context.volume(), noValidBackend.getMessage());
    }
  }
}
