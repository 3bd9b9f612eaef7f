package io.ember.api.flow;

import io.ember.api.attachment.Attachment;
import io.ember.api.attachment.AttachmentCall;
import io.ember.api.attachment.AttachmentStates;
import io.ember.api.outbound.HostCalls;
import io.ember.model.contract.DisconnectVolume;
import io.ember.model.contract.MessageType;
import io.ember.model.flow.Task;
import io.ember.model.reply.Reply;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The end of a connected attachment: {@code DELETE /attachments/{id}} ({@code attachment_delete}),
 * legacy {@code os-detach} ({@code detach_volume}) and admin {@code os-force_detach}: mark
 * detaching → the call to the volume's host → remove the attachment, the volume's status from what
 * is left. The host's refusal or silence puts both statuses back.
 */
@ApplicationScoped
public class AttachmentDetachFlow {

  @Inject AttachmentStates states;
  @Inject HostCalls calls;

  /**
   * @param type {@code attachment_delete} or {@code detach_volume}
   */
  public CallFlow<AttachmentCall> build(MessageType type) {
    return CallFlow.of(
        type.wire(),
        List.of(new MarkDetachingTask()),
        call -> send(type, call),
        List.of(new RemoveAttachmentTask()));
  }

  private CompletionStage<Reply> send(MessageType type, AttachmentCall call) {
    return calls.disconnect(
        type,
        new DisconnectVolume(
            call.volumeId.toString(),
            call.projectId,
            call.pool,
            call.attachmentId.toString(),
            call.connector,
            call.force),
        call.caller());
  }

  /** The attachment and its volume to {@code detaching}, their statuses kept. */
  final class MarkDetachingTask implements Task<AttachmentCall> {
    @Override
    public void execute(AttachmentCall call) {
      Attachment attachment =
          states.locked(call.attachmentId, call.caller().projectId(), call.caller().isAdmin());
      if (call.connector == null) {
        call.connector = AttachmentStates.readJson(attachment.connector);
      }
      states.markDetaching(call, attachment);
    }

    @Override
    public void revert(AttachmentCall call, Throwable cause) {
      states.rollBack(call.attachmentId, cause.getClass().getSimpleName());
    }
  }

  /** The host closed the connection: the attachment goes. */
  final class RemoveAttachmentTask implements Task<AttachmentCall> {
    @Override
    public void execute(AttachmentCall call) {
      call.reply().resultAs(Object.class);
      Attachment attachment = Attachment.findById(call.attachmentId);
      if (attachment != null) {
        states.remove(attachment);
      }
    }
  }
}
