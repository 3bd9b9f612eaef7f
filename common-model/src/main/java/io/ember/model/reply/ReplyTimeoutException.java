package io.ember.model.reply;

import java.time.Duration;

/** No reply came before the call's deadline (Cinder's {@code MessagingTimeout}). */
public class ReplyTimeoutException extends RuntimeException {

  public ReplyTimeoutException(String operation, String topic, Duration timeout) {
    super(
        "Timed out waiting for a reply to "
            + operation
            + " on "
            + topic
            + " after "
            + timeout.toSeconds()
            + " s",
        null,
        false,
        false);
  }
}
