package io.ember.api.flow;

import io.ember.api.auth.RequestIds;
import io.ember.api.fault.CinderFault;
import io.ember.model.RequestContext;
import io.ember.model.flow.Task;
import io.ember.model.reply.Reply;
import io.ember.model.reply.ReplyFailedException;
import io.ember.model.reply.ReplyTimeoutException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * A flow around one request-reply call to a volume host (common-model {@code reply/}), in three
 * transactions and no waiting thread: the {@code before} tasks (the transitional statuses) and the
 * call's command commit together; the reply comes on the worker pool, where the {@code after} tasks
 * record what it says. If the host refuses, fails, or does not answer by the deadline (or an {@code
 * after} task fails), the {@code before} tasks are reverted in a transaction of their own, in
 * reverse order, and the caller gets Cinder's error.
 *
 * <p>A process that dies while waiting leaves the transitional statuses to the deadline sweeper,
 * which reverts them as the {@code before} tasks' revert does.
 */
public final class CallFlow<C extends CallFlow.Context> {

  private static final Logger LOG = Logger.getLogger(CallFlow.class);

  /** What Cinder answers when an RPC call fails in a way it does not explain (a 500). */
  static final String SERVER_ERROR =
      "The server has either erred or is incapable of performing the requested operation.";

  /** The flow's context: who calls, and the reply once it came. */
  public interface Context {
    RequestContext caller();

    void reply(Reply reply);
  }

  /** Sends the call's command (in the transaction of the {@code before} tasks). */
  @FunctionalInterface
  public interface Call<C> {
    CompletionStage<Reply> send(C context);
  }

  private final String name;
  private final List<Task<C>> before;
  private final Call<C> call;
  private final List<Task<C>> after;

  private CallFlow(String name, List<Task<C>> before, Call<C> call, List<Task<C>> after) {
    this.name = name;
    this.before = before;
    this.call = call;
    this.after = after;
  }

  public static <C extends Context> CallFlow<C> of(
      String name, List<Task<C>> before, Call<C> call, List<Task<C>> after) {
    return new CallFlow<>(name, List.copyOf(before), call, List.copyOf(after));
  }

  public String name() {
    return name;
  }

  /**
   * Runs the flow; the {@code Uni} ends with the context once the {@code after} tasks committed, or
   * fails with a {@link CinderFault}. A {@code before} task's refusal fails it at once (its
   * transaction rolled back: nothing to revert, nothing sent).
   *
   * <p>The flow finishes whether or not anyone still waits for it: a caller that hangs up (its HTTP
   * connection closed, which cancels the {@code Uni}) must not leave the statuses transitional and
   * the reply unheard. So the work hangs off the reply's stage, and the {@code Uni} watches a copy.
   */
  public Uni<C> run(C context) {
    CompletionStage<Reply> reply =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  for (Task<C> task : before) {
                    execute(task, context);
                  }
                  return call.send(context);
                });
    CompletableFuture<C> finished =
        reply
            .toCompletableFuture()
            .handle(
                (answer, failure) -> {
                  MDC.put(RequestIds.MDC_KEY, context.caller().requestId());
                  try {
                    if (failure != null) {
                      throw failure;
                    }
                    context.reply(answer);
                    QuarkusTransaction.requiringNew()
                        .run(() -> after.forEach(task -> execute(task, context)));
                    return context;
                  } catch (Throwable e) {
                    Throwable cause = unwrap(e);
                    revert(context, cause);
                    throw answerFor(cause);
                  } finally {
                    MDC.remove(RequestIds.MDC_KEY);
                  }
                });
    return Uni.createFrom()
        .completionStage(finished.copy())
        .onFailure(CompletionException.class)
        .transform(Throwable::getCause);
  }

  private void revert(C context, Throwable cause) {
    try {
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                for (int i = before.size() - 1; i >= 0; i--) {
                  Task<C> task = before.get(i);
                  try {
                    task.revert(context, cause);
                  } catch (RuntimeException e) {
                    throw e;
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }
              });
      LOG.infof("%s: reverted after %s", name, describe(cause));
    } catch (RuntimeException e) {
      // The deadline sweeper reverts what is left.
      LOG.errorf(e, "%s: revert failed after %s", name, describe(cause));
    }
  }

  private RuntimeException answerFor(Throwable cause) {
    if (cause instanceof CinderFault fault) {
      return fault;
    }
    if (cause instanceof ReplyFailedException refused) {
      return new CinderFault(refused.code(), refused.getMessage());
    }
    if (cause instanceof ReplyTimeoutException) {
      return new CinderFault(500, SERVER_ERROR);
    }
    LOG.errorf(cause, "%s failed", name);
    return new CinderFault(500, SERVER_ERROR);
  }

  private static String describe(Throwable cause) {
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  private static Throwable unwrap(Throwable e) {
    Throwable at = e;
    while ((at instanceof CompletionException
            || at instanceof io.quarkus.narayana.jta.QuarkusTransactionException
            || at instanceof IllegalStateException && at.getCause() instanceof CinderFault)
        && at.getCause() != null) {
      at = at.getCause();
    }
    return at;
  }

  private static <C> void execute(Task<C> task, C context) {
    try {
      task.execute(context);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(task.name() + " failed", e);
    }
  }
}
