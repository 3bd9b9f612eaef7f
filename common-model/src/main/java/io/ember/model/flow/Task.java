package io.ember.model.flow;

/**
 * One step of a flow, as a TaskFlow task in Cinder: {@link #execute} does the work; {@link #revert}
 * undoes it when a later step fails.
 *
 * @param <C> the flow's shared context (what tasks read and write)
 */
public interface Task<C> {

  void execute(C context) throws Exception;

  /**
   * Undo what {@link #execute} did; called only for tasks that finished. Default: nothing to undo.
   */
  default void revert(C context, Throwable cause) throws Exception {}

  default String name() {
    return getClass().getSimpleName();
  }
}
