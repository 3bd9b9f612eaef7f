package io.ember.api.flow;

import io.ember.api.attachment.AttachmentCall;
import io.ember.api.attachment.AttachmentStates;
import io.ember.api.fault.CinderFault;
import io.ember.api.outbound.HostCalls;
import io.ember.api.volume.Volume;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.ConnectVolume;
import io.ember.model.contract.DisconnectVolume;
import io.ember.model.contract.MessageType;
import io.ember.model.flow.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Legacy {@code os-initialize_connection} and {@code os-terminate_connection}: calls that change no
 * status here (the attach that follows does), so nothing to undo: find the volume's host → the call
 * → its answer.
 */
@ApplicationScoped
public class LegacyConnectionFlow {

  @Inject AttachmentStates states;
  @Inject HostCalls calls;

  public CallFlow<AttachmentCall> initialize() {
    return CallFlow.of(
        "initialize_connection",
        List.of(new FindHostTask()),
        call ->
            calls.connect(
                MessageType.INITIALIZE_CONNECTION,
                new ConnectVolume(
                    call.volumeId.toString(),
                    call.projectId,
                    call.pool,
                    null,
                    call.connector,
                    call.mode,
                    call.qosSpecs,
                    call.encrypted),
                call.caller()),
        List.of(new ReadConnectionTask()));
  }

  public CallFlow<AttachmentCall> terminate() {
    return CallFlow.of(
        "terminate_connection",
        List.of(new FindHostTask()),
        call ->
            calls.disconnect(
                MessageType.TERMINATE_CONNECTION,
                new DisconnectVolume(
                    call.volumeId.toString(),
                    call.projectId,
                    call.pool,
                    null,
                    call.connector,
                    call.force),
                call.caller()),
        List.of(new CheckAnswerTask()));
  }

  /** The volume's host and what the call carries; refused in maintenance or when not placed. */
  final class FindHostTask implements Task<AttachmentCall> {
    @Override
    public void execute(AttachmentCall call) {
      Volume volume = Volume.findById(call.volumeId);
      if (volume == null) {
        throw CinderFault.volumeNotFound(call.volumeId);
      }
      if (VolumeStatus.MAINTENANCE.wire().equals(volume.status)) {
        throw CinderFault.invalidVolume("Volume " + volume.id + " status must not be maintenance.");
      }
      if (volume.host == null) {
        throw CinderFault.invalidVolume("Volume " + volume.id + " has no host.");
      }
      states.describe(call, volume);
    }
  }

  final class ReadConnectionTask implements Task<AttachmentCall> {
    @Override
    public void execute(AttachmentCall call) {
      states.recordConnection(call);
    }
  }

  final class CheckAnswerTask implements Task<AttachmentCall> {
    @Override
    public void execute(AttachmentCall call) {
      call.reply().resultAs(Object.class);
    }
  }
}
