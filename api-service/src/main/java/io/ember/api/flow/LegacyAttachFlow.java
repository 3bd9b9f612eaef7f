package io.ember.api.flow;

import io.ember.api.attachment.Attachment;
import io.ember.api.attachment.AttachmentCall;
import io.ember.api.attachment.AttachmentStates;
import io.ember.api.fault.CinderFault;
import io.ember.api.outbound.HostCalls;
import io.ember.api.outbound.VolumeNotifications;
import io.ember.api.volume.Volume;
import io.ember.model.contract.AttachVolume;
import io.ember.model.flow.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Legacy {@code os-attach}: a new attachment in {@code attaching} (the volume too) → {@code
 * attach_volume} to the volume's host → attachment {@code attached}, volume {@code in-use}. The
 * host's refusal or silence removes the attachment and puts the volume's status back.
 */
@ApplicationScoped
public class LegacyAttachFlow {

  @Inject AttachmentStates states;
  @Inject HostCalls calls;
  @Inject VolumeNotifications notifications;

  public CallFlow<AttachmentCall> build() {
    return CallFlow.of(
        "attach_volume",
        List.of(new AddAttachmentTask()),
        call ->
            calls.attach(
                new AttachVolume(
                    call.volumeId.toString(),
                    call.projectId,
                    call.pool,
                    call.attachmentId.toString(),
                    call.instanceUuid,
                    call.hostName,
                    call.mountpoint,
                    call.mode),
                call.caller()),
        List.of(new FinishAttachTask()));
  }

  /** The volume to {@code attaching} with a new attachment (os-attach's rules). */
  final class AddAttachmentTask implements Task<AttachmentCall> {
    @Override
    public void execute(AttachmentCall call) {
      Volume volume = states.lockedVolume(call.volumeId);
      if (volume == null) {
        throw CinderFault.volumeNotFound(call.volumeId);
      }
      states.addAttachment(call, volume);
    }

    @Override
    public void revert(AttachmentCall call, Throwable cause) {
      states.rollBack(call.attachmentId, cause.getClass().getSimpleName());
    }
  }

  /** The host attached it: attachment {@code attached}, volume {@code in-use}. */
  final class FinishAttachTask implements Task<AttachmentCall> {
    @Override
    public void execute(AttachmentCall call) {
      call.reply().resultAs(Object.class);
      Attachment attachment = Attachment.findById(call.attachmentId);
      states.attached(attachment);
    }
  }
}
