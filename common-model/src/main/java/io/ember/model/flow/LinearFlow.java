package io.ember.model.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs tasks in order. When one fails, the tasks that finished are reverted in reverse order and
 * the original cause is reported; a revert that fails is logged and does not hide that cause.
 */
public final class LinearFlow<C> {

  private static final Logger LOG = Logger.getLogger(LinearFlow.class);

  private final String name;
  private final List<Task<C>> tasks;

  private LinearFlow(String name, List<Task<C>> tasks) {
    this.name = name;
    this.tasks = List.copyOf(tasks);
  }

  @SafeVarargs
  public static <C> LinearFlow<C> of(String name, Task<C>... tasks) {
    // Element by element: handing the array itself on is what javac cannot prove safe.
    List<Task<C>> list = new ArrayList<>(tasks.length);
    for (Task<C> task : tasks) {
      list.add(task);
    }
    return new LinearFlow<>(name, list);
  }

  public static <C> LinearFlow<C> of(String name, List<Task<C>> tasks) {
    return new LinearFlow<>(name, tasks);
  }

  public String name() {
    return name;
  }

  public List<Task<C>> tasks() {
    return tasks;
  }

  /**
   * Runs the flow.
   *
   * @throws FlowFailedException wrapping the first failure, after reverting
   */
  public void run(C context) {
    Deque<Task<C>> done = new ArrayDeque<>();
    for (Task<C> task : tasks) {
      try {
        task.execute(context);
      } catch (Exception | Error e) {
        FlowFailedException failure = new FlowFailedException(name, task.name(), e);
        revert(done, context, e, failure);
        throw failure;
      }
      done.push(task);
    }
  }

  private void revert(
      Deque<Task<C>> done, C context, Throwable cause, FlowFailedException failure) {
    while (!done.isEmpty()) {
      Task<C> task = done.pop();
      try {
        task.revert(context, cause);
      } catch (Exception | Error revertError) {
        LOG.errorf("%s: revert of %s failed: %s", name, task.name(), revertError.toString());
        failure.addSuppressed(revertError);
      }
    }
  }
}
