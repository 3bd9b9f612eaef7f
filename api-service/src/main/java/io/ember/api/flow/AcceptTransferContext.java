package io.ember.api.flow;

import io.ember.api.transfer.Transfer;
import io.ember.api.volume.Volume;
import io.ember.model.RequestContext;
import io.ember.model.contract.TransferAccepted;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * What the accept-transfer flow's tasks share across its two transactions: the request in, the rows
 * each transaction loads, and what the first one decided (the giver, the quota to move) for the
 * second one to check again.
 */
public class AcceptTransferContext {

  final String transferId;
  final String authKey;
  final RequestContext caller;

  /** Loaded (and locked) anew by each transaction. */
  Transfer transfer;

  Volume volume;

  /** The project that offered the volume: it gives the quota back. */
  String giver;

  UUID volumeId;
  String pool;
  boolean noSnapshots;
  String transferName;

  /** Completes with the volume host's answer to accept_transfer (or fails with its fault). */
  CompletionStage<TransferAccepted> hostReply;

  /** The receiver's charges, in Cinder's order: the volume's, then its snapshots'. */
  List<Map<String, Integer>> charges;

  public AcceptTransferContext(String transferId, String authKey, RequestContext caller) {
    this.transferId = transferId;
    this.authKey = authKey;
    this.caller = caller;
  }

  public RequestContext caller() {
    return caller;
  }

  /** The host's answer, once the first transaction sent the call. */
  public CompletionStage<TransferAccepted> hostReply() {
    return hostReply;
  }

  /** The answer's fields: the transfer's id and name, and the volume. */
  public Transfer answer() {
    Transfer shown = new Transfer();
    shown.id = UUID.fromString(transferId);
    shown.name = transferName;
    shown.volumeId = volumeId;
    return shown;
  }
}
