package io.ember.volume.flow;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.ManageExisting;
import io.ember.model.contract.VolumeManageFailed;
import io.ember.model.contract.VolumeManaged;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.contract.VolumeUsage;
import io.ember.model.flow.LinearFlow;
import io.ember.model.flow.Task;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.outbound.HostMessages;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The manager's manage-existing flow, as Cinder's {@code volume/flows/manager/manage_existing.py}:
 * size the backend object (quota is the API's, charged when it hears the size), adopt it under the
 * volume's id, record it and tell the API. Any failure reports {@code volume.manage_failed}, and
 * the volume goes to {@code error_managing}.
 */
@Singleton
public class ManageExistingFlow {

  static final String NAME = "volume:manage_existing_manager";

  private static final Logger LOG = Logger.getLogger(ManageExistingFlow.class);

  private final LinearFlow<Context> flow;

  /** What the tasks share. */
  public static final class Context {
    final RequestContext requestContext;
    final ManageExisting command;
    final HostAddress pool;
    int size;
    String providerLocation;

    public Context(RequestContext requestContext, ManageExisting command, HostAddress pool) {
      this.requestContext = requestContext;
      this.command = command;
      this.pool = pool;
    }

    DriverVolume driverVolume() {
      VolumeSpec spec = command.volume();
      return new DriverVolume(
          spec.volumeId(), size, pool.pool(), spec.metadata(), null, spec.qosSpecs());
    }

    VolumeUsage usage(String status) {
      VolumeSpec spec = command.volume();
      VolumeSpec sized =
          new VolumeSpec(
              spec.volumeId(),
              spec.projectId(),
              spec.userId(),
              size,
              spec.name(),
              spec.availabilityZone(),
              spec.volumeTypeId(),
              spec.extraSpecs(),
              spec.metadata(),
              spec.createdAt(),
              spec.qosSpecs());
      return VolumeUsage.of(sized, pool.toString(), status, null);
    }
  }

  @Inject
  public ManageExistingFlow(VolumeDriver driver, BackendVolumes volumes, HostMessages messages) {
    this.flow =
        LinearFlow.of(
            NAME,
            new OnFailureManageErrorTask(messages),
            new NotifyManageStartTask(messages),
            new ManageExistingGetSizeTask(driver),
            new ManageExistingTask(driver),
            new ManageOnFinishTask(volumes, messages));
  }

  /**
   * Runs the flow in the caller's (inbox) transaction.
   *
   * @throws io.ember.model.flow.FlowFailedException after the failure was reported to the API
   */
  public void run(Context context) {
    flow.run(context);
  }

  /** First, so that its revert sees every failure after it: {@code volume.manage_failed}. */
  static final class OnFailureManageErrorTask implements Task<Context> {
    private final HostMessages messages;

    OnFailureManageErrorTask(HostMessages messages) {
      this.messages = messages;
    }

    @Override
    public void execute(Context context) {}

    @Override
    public void revert(Context context, Throwable cause) {
      String reason =
          cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      String volumeId = context.command.volume().volumeId();
      messages.volumeManageFailed(
          context.requestContext,
          new VolumeManageFailed(volumeId, context.pool.toString(), reason));
      LOG.warnf("manage of volume %s on %s failed: %s", volumeId, context.pool, reason);
    }
  }

  /** {@code volume.manage_existing.start}. */
  static final class NotifyManageStartTask implements Task<Context> {
    private final HostMessages messages;

    NotifyManageStartTask(HostMessages messages) {
      this.messages = messages;
    }

    @Override
    public void execute(Context context) {
      messages.notify(
          context.requestContext,
          "volume.manage_existing.start",
          context.usage(VolumeStatus.MANAGING.wire()));
    }
  }

  /** Cinder's {@code PrepareForQuotaReservationTask}: the driver sizes the object. */
  static final class ManageExistingGetSizeTask implements Task<Context> {
    private final VolumeDriver driver;

    ManageExistingGetSizeTask(VolumeDriver driver) {
      this.driver = driver;
    }

    @Override
    public void execute(Context context) {
      if (!driver.initialized()) {
        throw new VolumeDriverException("volume driver is not initialized");
      }
      context.size = driver.manageExistingGetSize(context.driverVolume(), context.command.ref());
    }
  }

  /** The driver adopts the object under the volume's id. */
  static final class ManageExistingTask implements Task<Context> {
    private final VolumeDriver driver;

    ManageExistingTask(VolumeDriver driver) {
      this.driver = driver;
    }

    @Override
    public void execute(Context context) {
      context.providerLocation =
          driver.manageExisting(context.driverVolume(), context.command.ref()).providerLocation();
    }
  }

  /**
   * The host's record of the volume, {@code volume.managed} to the API (which makes it available
   * and charges its size) and {@code volume.manage_existing.end}.
   */
  static final class ManageOnFinishTask implements Task<Context> {
    private final BackendVolumes volumes;
    private final HostMessages messages;

    ManageOnFinishTask(BackendVolumes volumes, HostMessages messages) {
      this.volumes = volumes;
      this.messages = messages;
    }

    @Override
    public void execute(Context context) {
      String volumeId = context.command.volume().volumeId();
      volumes.record(volumeId, context.pool.toString(), context.size, context.providerLocation);
      messages.volumeManaged(
          context.requestContext,
          new VolumeManaged(
              volumeId, context.pool.toString(), context.size, context.providerLocation));
      messages.notify(
          context.requestContext,
          "volume.manage_existing.end",
          context.usage(VolumeStatus.AVAILABLE.wire()));
      LOG.infof(
          "volume %s managed on %s: %s GB at %s",
          volumeId, context.pool, context.size, context.providerLocation);
    }
  }
}
