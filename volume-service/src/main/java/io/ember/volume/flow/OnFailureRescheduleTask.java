package io.ember.volume.flow;

import io.ember.model.contract.Retry;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.flow.Task;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.outbound.HostMessages;
import java.util.Map;
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
    if (cause instanceof UnreschedulableException) {
      // Cinder's no-reschedule list: another backend would fail the same way.
      new OnFailureChangeStatusTask(messages).revert(context, cause);
      return;
    }
    preReschedule(context);
    reschedule(context, cause);
    postReschedule(context);
    context.failureOutcome = "rescheduled";
  }

  /**
   * Cinder's {@code _pre_reschedule} clears the volume row's {@code host} and stamps {@code
   * scheduled_at}. Here the API's record has no host until a create is announced, so what is reset
   * is this host's part of the flow: the provider location and what an image gave the volume; the
   * spec goes back as the API sent it (its source host stays: a clone must land where its source
   * is).
   */
  private static void preReschedule(CreateVolumeContext context) {
    context.providerLocation = null;
    context.bootable = null;
    context.imageMetadata = Map.of();
  }

  /** Cinder's {@code _reschedule}: back to the scheduler with this host among the tried ones. */
  private void reschedule(CreateVolumeContext context, Throwable cause) {
    Retry retry = context.command.retry() == null ? Retry.first() : context.command.retry();
    messages.reschedule(
        context.requestContext,
        new ScheduleVolume(context.spec, retry.failedOn(host, CreateVolumeContext.reason(cause))));
  }

  /** Cinder's {@code _post_reschedule}: best effort, the volume leaves this host either way. */
  private void postReschedule(CreateVolumeContext context) {
    try {
      driver.deleteVolume(context.volume);
    } catch (RuntimeException e) {
      LOG.warnf("cleanup of volume %s after failed create failed: %s", context.spec.volumeId(), e);
    }
  }
}
