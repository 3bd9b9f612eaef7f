package io.ember.api.flow;

import io.ember.api.attachment.AttachmentCall;
import io.ember.api.attachment.AttachmentStates;
import io.ember.api.fault.CinderFault;
import io.ember.api.outbound.HostCalls;
import io.ember.api.volume.Volume;
import io.ember.model.contract.ConnectVolume;
import io.ember.model.contract.MessageType;
import io.ember.model.flow.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * Attachment update with a connector ({@code PUT /attachments/{id}}), also the second half of an
 * attachment create that brings one: reserve (create only) → mark attaching → {@code
 * attachment_update} to the volume's host → record the connection. The host's refusal or silence
 * undoes the marks (and the reservation): nothing stays reserved.
 */
@ApplicationScoped
public class AttachmentConnectFlow {

  @Inject AttachmentStates states;
  @Inject HostCalls calls;

  /**
   * @param reserveFirst an attachment create: the attachment is made in the same transaction
   */
  public CallFlow<AttachmentCall> build(boolean reserveFirst) {
    List<Task<AttachmentCall>> before = new ArrayList<>();
    if (reserveFirst) {
      before.add(new ReserveTask());
    }
    before.add(new MarkAttachingTask());
    return CallFlow.of(
        reserveFirst ? "attachment_create" : "attachment_update",
        before,
        this::send,
        List.of(new RecordConnectionTask()));
  }

  private java.util.concurrent.CompletionStage<io.ember.model.reply.Reply> send(
      AttachmentCall call) {
    return calls.connect(
        MessageType.ATTACHMENT_UPDATE,
        new ConnectVolume(
            call.volumeId.toString(),
            call.projectId,
            call.pool,
            call.attachmentId.toString(),
            call.connector,
            call.mode,
            call.qosSpecs,
            call.encrypted),
        call.caller());
  }

  /** The volume reserved and a reserved attachment made (attachment create's rules). */
  final class ReserveTask implements Task<AttachmentCall> {
    @Override
    public void execute(AttachmentCall call) {
      Volume volume = states.lockedVolume(call.volumeId);
      if (volume == null) {
        throw CinderFault.volumeNotFound(call.volumeId);
      }
      states.reserve(call, volume);
    }

    @Override
    public void revert(AttachmentCall call, Throwable cause) {
      // Nothing stays reserved: the attachment goes and the volume's status follows what is left.
      io.ember.api.attachment.Attachment made =
          io.ember.api.attachment.Attachment.findById(call.attachmentId);
      if (made != null) {
        states.remove(made);
      }
    }
  }

  /** The attachment and its volume to {@code attaching}, their statuses kept. */
  final class MarkAttachingTask implements Task<AttachmentCall> {
    @Override
    public void execute(AttachmentCall call) {
      states.markAttaching(call);
    }

    @Override
    public void revert(AttachmentCall call, Throwable cause) {
      states.rollBack(call.attachmentId, cause.getClass().getSimpleName());
    }
  }

  /** The host's connection kept on the attachment. */
  final class RecordConnectionTask implements Task<AttachmentCall> {
    @Override
    public void execute(AttachmentCall call) {
      states.recordConnection(call);
    }
  }
}
