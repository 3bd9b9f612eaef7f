package io.ember.volume.manager;

import io.ember.model.RequestContext;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.VolumeCreated;
import io.ember.model.flow.FlowFailedException;
import io.ember.volume.backend.BackendVolume;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.capability.CapabilityPublisher;
import io.ember.volume.flow.CreateVolumeContext;
import io.ember.volume.flow.CreateVolumeFlow;
import io.ember.volume.flow.UnreschedulableException;
import io.ember.volume.outbound.HostMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * {@code create_volume} of Cinder's volume rpcapi. Runs inside the inbox transaction: the backend
 * record and every outgoing message commit together with the inbox entry.
 */
@ApplicationScoped
public class CreateVolumeHandler {

  private static final Logger LOG = Logger.getLogger(CreateVolumeHandler.class);

  @Inject CreateVolumeFlow flow;
  @Inject BackendVolumes volumes;
  @Inject HostMessages messages;
  @Inject CapabilityPublisher capabilities;

  public void handle(RequestContext context, CreateVolume command) {
    String volumeId = command.volume() == null ? null : command.volume().volumeId();
    BackendVolume held = volumeId == null ? null : volumes.find(volumeId).orElse(null);
    if (held != null) {
      announceAgain(context, held);
      capabilities.acknowledgeAfterCommit(held.pool(), volumeId);
    } else {
      run(context, command);
      capabilities.acknowledgeAfterCommit(command.pool(), volumeId);
    }
  }

  private void run(RequestContext context, CreateVolume command) {
    String volumeId = command.volume().volumeId();
    try {
      CreateVolumeContext done = flow.run(context, command);
      LOG.infof("created volume %s on %s at %s", volumeId, command.pool(), done.providerLocation());
    } catch (FlowFailedException failure) {
      if (failure.getCause() instanceof ContractException invalid) {
        throw invalid;
      }
      if (failure.getSuppressed().length > 0) {
        // The failure could not be announced: roll back rather than leave the volume creating.
        throw failure;
      }
      LOG.warnf(
          "create of volume %s on %s failed in %s: %s; %s",
          volumeId,
          command.pool(),
          failure.taskName(),
          failure.getCause().getMessage(),
          command.allowReschedule() && !(failure.getCause() instanceof UnreschedulableException)
              ? "rescheduled"
              : "volume goes to error");
    }
  }

  /**
   * A create replayed with a new message id (the inbox catches the same id) for a volume the
   * backend already holds: answer it from the record instead of creating it twice.
   */
  private void announceAgain(RequestContext context, BackendVolume held) {
    messages.volumeCreated(
        context,
        new VolumeCreated(held.volumeId(), held.pool(), held.providerLocation(), held.createdAt()));
    LOG.infof("volume %s already on %s: announced again", held.volumeId(), held.pool());
  }
}
