package io.ember.model.flow;

/**
 * A flow stopped at a failing task and was reverted. {@link #getCause()} is the original failure;
 * reverts that failed too are attached as suppressed exceptions.
 */
public class FlowFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String flowName;
  private final String taskName;

  public FlowFailedException(String flowName, String taskName, Throwable cause) {
    super(flowName + " failed in " + taskName + ": " + cause.getMessage(), cause);
    this.flowName = flowName;
    this.taskName = taskName;
  }

  public String flowName() {
    return flowName;
  }

  public String taskName() {
    return taskName;
  }
}
