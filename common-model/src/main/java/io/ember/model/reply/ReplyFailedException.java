package io.ember.model.reply;

/**
 * A call's failure as the volume host reported it (on the host: thrown by the handler's effect to
 * answer a fault; on the caller: the failed reply).
 */
public class ReplyFailedException extends RuntimeException {

  private final int code;

  public ReplyFailedException(String message, int code) {
    super(message, null, false, false);
    this.code = code;
  }

  /** The HTTP status the API should answer. */
  public int code() {
    return code;
  }
}
