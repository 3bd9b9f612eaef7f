package io.ember.api.outbound;

import io.ember.model.RequestContext;
import io.ember.model.contract.AcceptTransfer;
import io.ember.model.contract.TransferAccepted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The calls the API makes to a volume host and whose reply it waits for (Cinder's synchronous RPC
 * calls), each sent in the caller's transaction.
 */
@ApplicationScoped
public class HostCalls {

  /**
   * {@code accept_transfer} to the host of the volume's pool; the stage completes with the host's
   * reply.
   *
   * <p>SEAM: the request-reply mechanism (branch rr-attach) is not merged yet; until it is, this
   * answers at once, as a host whose driver accepts, and sends nothing.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public CompletionStage<TransferAccepted> acceptTransfer(
      AcceptTransfer command, RequestContext caller) {
    return CompletableFuture.completedFuture(new TransferAccepted(command.volumeId()));
  }
}
