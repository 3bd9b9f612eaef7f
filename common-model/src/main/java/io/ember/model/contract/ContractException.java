package io.ember.model.contract;

/** A message that does not follow the contract: it cannot be processed, only dead-lettered. */
public class ContractException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ContractException(String message) {
    super(message);
  }

  public ContractException(String message, Throwable cause) {
    super(message, cause);
  }
}
