package io.ember.volume.flow;

import io.ember.model.contract.Retry;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.flow.Task;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.outbound.HostMessages;
import org.jboss.logging.Logger;

/**
 * Does nothing on the way in; when a later task fails, cleans up what the backend may have left and
 * sends the volume back to the scheduler with this host among the tried ones, so it is not chosen
 * again.
 */
final class OnFailureRescheduleTask implements Task<CreateVolumeContext> {

  private static final Logger LOG = Logger.getLogger(OnFailureRescheduleTask.class);

  private final VolumeDriver driver;
  private final HostMessages messages;
  private final String host;

  OnFailureRescheduleTask(VolumeDriver driver, HostMessages messages, String host) {
    this.driver = driver;
    this.messages = messages;
    this.host = host;
  }

  @Override
  public void execute(CreateVolumeContext context) {}

  @Override
  public void revert(CreateVolumeContext context, Throwable cause) {
    try {
      driver.deleteVolume(context.volume);
    } catch (RuntimeException e) {
      // Best effort, as Cinder's _post_reschedule: the volume leaves this host either way.
      LOG.warnf("cleanup of volume %s after failed create failed: %s", context.spec.volumeId(), e);
    }
    Retry retry = context.command.retry() == null ? Retry.first() : context.command.retry();
    messages.reschedule(
        context.requestContext,
        new ScheduleVolume(context.spec, retry.failedOn(host, CreateVolumeContext.reason(cause))));
    context.failureOutcome = "rescheduled";
  }
}
