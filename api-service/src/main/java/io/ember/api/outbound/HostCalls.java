package io.ember.api.outbound;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.AcceptTransfer;
import io.ember.model.contract.AttachVolume;
import io.ember.model.contract.CompleteMigration;
import io.ember.model.contract.ConnectVolume;
import io.ember.model.contract.DisconnectVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ListManageable;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.TransferAccepted;
import io.ember.model.reply.Reply;
import io.ember.model.reply.RequestReply;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.concurrent.CompletionStage;

/**
 * The synchronous calls of Cinder's volume rpcapi the API makes to the host of a volume: each a
 * command through the outbox (keyed by the volume, in order with its other commands) whose reply
 * completes the returned stage, or the deadline fails it ({@link RequestReply}).
 */
@ApplicationScoped
public class HostCalls {

  @Inject RequestReply requestReply;
  @Inject Topics topics;

  /**
   * {@code accept_transfer} to the host of the volume's pool, keyed by the volume as every command
   * about it. The stage completes with the host's answer, fails with its fault ({@link
   * io.ember.model.reply.ReplyFailedException}) or, after {@code ember.reply.timeout}, with {@link
   * io.ember.model.reply.ReplyTimeoutException}.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public CompletionStage<TransferAccepted> acceptTransfer(
      AcceptTransfer command, RequestContext caller) {
    return requestReply
        .call(
            topics.volumeHost(HostAddress.parse(command.pool()).backendHost()),
            Envelope.of(MessageType.ACCEPT_TRANSFER, command.volumeId(), caller, command),
            "accept_transfer")
        .thenApply(reply -> reply.resultAs(TransferAccepted.class));
  }

  /** {@code attachment_update}, or {@code initialize_connection} for the legacy action. */
  @Transactional(Transactional.TxType.MANDATORY)
  public CompletionStage<Reply> connect(
      MessageType type, ConnectVolume command, RequestContext caller) {
    return call(type, command.volumeId(), command.pool(), command, caller);
  }

  /** {@code attachment_delete}, {@code detach_volume} or {@code terminate_connection}. */
  @Transactional(Transactional.TxType.MANDATORY)
  public CompletionStage<Reply> disconnect(
      MessageType type, DisconnectVolume command, RequestContext caller) {
    return call(type, command.volumeId(), command.pool(), command, caller);
  }

  /** {@code attach_volume} (legacy {@code os-attach}). */
  @Transactional(Transactional.TxType.MANDATORY)
  public CompletionStage<Reply> attach(AttachVolume command, RequestContext caller) {
    return call(MessageType.ATTACH_VOLUME, command.volumeId(), command.pool(), command, caller);
  }

  /** {@code migrate_volume_completion}, to the host of the migrating volume. */
  @Transactional(Transactional.TxType.MANDATORY)
  public CompletionStage<Reply> completeMigration(
      CompleteMigration command, RequestContext caller) {
    return call(
        MessageType.MIGRATE_VOLUME_COMPLETION, command.volumeId(), command.pool(), command, caller);
  }

  /**
   * {@code get_manageable_volumes} / {@code get_manageable_snapshots} to {@code host} ({@code
   * host@backend}): keyed by the host, there being no volume. The reply holds a ManageableList.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public CompletionStage<Reply> call(ListManageable command, RequestContext caller) {
    return requestReply.call(
        topics.volumeHost(command.host()),
        Envelope.of(MessageType.LIST_MANAGEABLE, command.host(), caller, command),
        MessageType.LIST_MANAGEABLE.wire());
  }

  private CompletionStage<Reply> call(
      MessageType type, String volumeId, String pool, Object command, RequestContext caller) {
    return requestReply.call(
        topics.volumeHost(HostAddress.parse(pool).backendHost()),
        Envelope.of(type, volumeId, caller, command),
        type.wire());
  }
}
