package io.ember.api.outbound;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.AcceptTransfer;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.TransferAccepted;
import io.ember.model.reply.RequestReply;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.concurrent.CompletionStage;

/**
 * The calls the API makes to a volume host and whose reply it waits for (Cinder's synchronous RPC
 * calls), each sent through the outbox of the caller's transaction ({@link RequestReply}).
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
}
