package io.ember.model.contract;

/**
 * A message that does not follow the contract: it cannot be processed, only dead-lettered. It is an
 * expected failure, so it carries no stack trace and logs as one line.
 */
public class ContractException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ContractException(String message) {
    super(message, null, false, false);
  }

  /** The cause's message is kept in ours; the cause itself is dropped to keep the log to a line. */
  public ContractException(String message, Throwable cause) {
    this(message);
  }
}
