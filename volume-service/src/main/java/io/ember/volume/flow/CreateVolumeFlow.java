package io.ember.volume.flow;

import io.ember.model.RequestContext;
import io.ember.model.contract.CreateVolume;
import io.ember.model.flow.LinearFlow;
import io.ember.model.flow.Task;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.messaging.OutgoingMessages;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The manager's create flow, assembled in one place as Cinder's {@code
 * volume/flows/manager/create_volume.py get_flow}.
 */
@Singleton
public class CreateVolumeFlow {

  static final String NAME = "volume:create_manager";

  private final VolumeDriver driver;
  private final BackendVolumes volumes;
  private final OutgoingMessages messages;
  private final String host;

  @Inject
  public CreateVolumeFlow(
      VolumeDriver driver,
      BackendVolumes volumes,
      OutgoingMessages messages,
      @ConfigProperty(name = "ember.host") String host) {
    this.driver = driver;
    this.volumes = volumes;
    this.messages = messages;
    this.host = host;
  }

  /**
   * Runs the flow for {@code command}.
   *
   * @return the flow's context, to see what it did
   * @throws io.ember.model.flow.FlowFailedException after the failure task's revert has rescheduled
   *     the volume or reported it failed
   */
  public CreateVolumeContext run(RequestContext requestContext, CreateVolume command) {
    CreateVolumeContext context = new CreateVolumeContext(requestContext, command);
    get(command.allowReschedule()).run(context);
    return context;
  }

  LinearFlow<CreateVolumeContext> get(boolean allowReschedule) {
    Task<CreateVolumeContext> onFailure =
        allowReschedule
            ? new OnFailureRescheduleTask(driver, messages, host)
            : new OnFailureChangeStatusTask(messages);
    return LinearFlow.of(
        NAME,
        List.of(
            new ExtractVolumeSpecTask(host),
            onFailure,
            new NotifyVolumeActionTask(messages, "create.start"),
            new CreateVolumeFromSpecTask(driver),
            new CreateVolumeOnFinishTask(volumes, messages)));
  }
}
