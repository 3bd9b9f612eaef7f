package io.ember.model.reply;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One call waiting for its reply.
 *
 * @param address what the command must carry ({@link io.ember.model.contract.Envelope#withReply})
 * @param reply completed by the reply, or failed with {@link ReplyTimeoutException} at the deadline
 */
public record PendingCall(
    ReplyAddress address, CompletableFuture<Reply> reply, ReplyChannel channel) {

  public CompletionStage<Reply> stage() {
    return reply;
  }

  /** Stops waiting: the command was not sent after all. */
  public void abandon(RuntimeException why) {
    channel.abandon(address.correlationId(), why);
  }
}
