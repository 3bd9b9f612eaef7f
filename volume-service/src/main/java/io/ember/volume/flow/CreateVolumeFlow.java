package io.ember.volume.flow;

import io.ember.model.RequestContext;
import io.ember.model.contract.CreateVolume;
import io.ember.model.flow.LinearFlow;
import io.ember.model.flow.Task;
import io.ember.model.image.ImageService;
import io.ember.volume.backend.BackendSnapshots;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.image.QemuImg;
import io.ember.volume.outbound.HostMessages;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The manager's create flow, assembled in one place as Cinder's {@code
 * volume/flows/manager/create_volume.py get_flow}.
 */
@Singleton
public class CreateVolumeFlow {

  static final String NAME = "volume:create_manager";

  private final VolumeDriver driver;
  private final BackendVolumes volumes;
  private final BackendSnapshots snapshots;
  private final ImageService images;
  private final HostMessages messages;
  private final QemuImg qemuImg = new QemuImg();
  private final String host;

  @Inject
  CreateVolumeFlow(
      VolumeDriver driver,
      BackendVolumes volumes,
      BackendSnapshots snapshots,
      ImageService images,
      HostMessages messages,
      VolumeHostConfig config) {
    this(driver, volumes, snapshots, images, messages, config.host());
  }

  /** The flow of {@code host}, its parts given directly, as tests build it. */
  public CreateVolumeFlow(
      VolumeDriver driver,
      BackendVolumes volumes,
      BackendSnapshots snapshots,
      ImageService images,
      HostMessages messages,
      String host) {
    this.driver = driver;
    this.volumes = volumes;
    this.snapshots = snapshots;
    this.images = images;
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

  /** The tasks in the order they run; on a failure, those before it revert in reverse order. */
  LinearFlow<CreateVolumeContext> get(boolean allowReschedule) {
    return LinearFlow.of(
        NAME,
        List.of(
            // Also Cinder's ExtractVolumeRefTask: no volume rows here; the command has the spec.
            new ExtractVolumeSpecTask(host),
            onFailure(allowReschedule),
            new NotifyVolumeActionTask(messages, "create.start"),
            new CreateVolumeFromSpecTask(driver, volumes, snapshots, images, qemuImg, messages),
            new CreateVolumeOnFinishTask(volumes, messages)));
  }

  /**
   * The task whose revert, when a later task fails, reschedules the volume or reports it failed.
   */
  private Task<CreateVolumeContext> onFailure(boolean allowReschedule) {
    return allowReschedule
        ? new OnFailureRescheduleTask(driver, messages, host)
        : new OnFailureChangeStatusTask(messages);
  }
}
