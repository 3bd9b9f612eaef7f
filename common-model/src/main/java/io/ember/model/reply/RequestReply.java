package io.ember.model.reply;

import io.ember.model.Topics;
import io.ember.model.config.SharedConfig;
import io.ember.model.contract.Envelope;
import io.ember.model.inbox.InboxLoops;
import io.ember.model.outbox.Outbox;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The caller's side of request-reply: sends a command through the outbox with this process's reply
 * address and hands back the stage its reply completes.
 *
 * <p>Only a service that sets {@code ember.reply.listen=true} (the API) reads a reply topic. The
 * stage completes on the worker pool, never on the consumer or timer thread, so a REST method can
 * return it (or a {@code Uni} of it) and run its transaction in the continuation without holding a
 * request thread while it waits.
 */
@ApplicationScoped
public class RequestReply {

  @Inject Outbox outbox;
  @Inject TransactionSynchronizationRegistry transactions;
  @Inject Topics topics;
  @Inject InboxLoops loops;
  @Inject SharedConfig config;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  private volatile ReplyChannel channel;

  // After the topics exist (10), before the consumers (default) and the HTTP server take work.
  void onStart(@Observes @Priority(20) StartupEvent event) {
    if (config.reply().listen()) {
      channel().start();
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    if (channel != null) {
      channel.close();
    }
  }

  /**
   * In the caller's transaction: sends {@code command} to {@code topic} asking for a reply. The
   * command leaves only if the transaction commits; if it rolls back, the stage fails at once with
   * {@link IllegalStateException}. Otherwise it completes with the reply (a failed one included:
   * see {@link Reply#resultAs}), or fails with {@link ReplyTimeoutException} at {@code timeout}.
   *
   * @param operation names the call in the timeout's message and log (e.g. {@code
   *     initialize_connection})
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public CompletionStage<Reply> call(
      String topic, Envelope command, String operation, Duration timeout) {
    PendingCall call = channel().open(operation, timeout);
    outbox.send(topic, command.withReply(call.address()));
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status != Status.STATUS_COMMITTED) {
              call.abandon(new IllegalStateException(operation + " was not sent: rolled back"));
            }
          }
        });
    return call.stage();
  }

  /** As above, with the deadline {@code ember.reply.timeout} (60 s, Cinder's default). */
  @Transactional(Transactional.TxType.MANDATORY)
  public CompletionStage<Reply> call(String topic, Envelope command, String operation) {
    return call(topic, command, operation, config.reply().timeout());
  }

  /** This process's reply channel (for its topic and tests). */
  public ReplyChannel channel() {
    ReplyChannel made = channel;
    if (made == null) {
      synchronized (this) {
        if (channel == null) {
          channel =
              new ReplyChannel(
                  bootstrapServers,
                  topics.replies(loops.instanceId()),
                  config.reply().timeout(),
                  Infrastructure.getDefaultWorkerPool());
        }
        made = channel;
      }
    }
    return made;
  }
}
