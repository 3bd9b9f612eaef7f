package io.ember.scheduler.placement;

/**
 * Cinder's {@code NoValidBackend}: an expected outcome (the volume goes to {@code error}), not a
 * fault of the scheduler. The message is written for the user; {@link #trail()} for the operator.
 */
public class NoValidBackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String trail;

  /**
   * @param trail how many pools each filter left, or empty
   */
  public NoValidBackendException(String detail, String trail) {
    super("No valid backend was found. " + detail, null, false, false);
    this.trail = trail;
  }

  public String trail() {
    return trail;
  }
}
