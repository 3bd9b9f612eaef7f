package io.ember.model.inbox;

import io.ember.model.config.SharedConfig;
import io.ember.model.contract.Envelope;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the service's {@link InboxLoop}s and stops them first at shutdown, so the poll in hand is
 * finished and its offsets committed before the rest of the service goes away.
 */
@ApplicationScoped
public class InboxLoops {

  private static final Logger LOG = Logger.getLogger(InboxLoops.class);

  @Inject Inbox inbox;
  @Inject MeterRegistry metrics;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
  int httpPort;

  @Inject SharedConfig config;

  private final List<InboxLoop> loops = new CopyOnWriteArrayList<>();

  /**
   * Consumes {@code topic} as member of {@code groupId}; each message's envelope goes to {@code
   * handler} inside the inbox transaction, once per message id under {@code consumer}, the id
   * checked as {@code check} says.
   */
  public void start(
      String consumer,
      String topic,
      String groupId,
      Inbox.DuplicateCheck check,
      Consumer<Envelope> handler) {
    start(consumer, topic, groupId, InboxLoop.Gate.OPEN, check, null, handler);
  }

  /** As above, the ids checked first, with {@code prefetch} read in the same round trip. */
  public void start(
      String consumer,
      String topic,
      String groupId,
      Inbox.Prefetch prefetch,
      Consumer<Envelope> handler) {
    start(
        consumer,
        topic,
        groupId,
        InboxLoop.Gate.OPEN,
        Inbox.DuplicateCheck.FIRST,
        prefetch,
        handler);
  }

  /** As above; each poll first waits for {@code gate}. */
  public void start(
      String consumer,
      String topic,
      String groupId,
      InboxLoop.Gate gate,
      Inbox.DuplicateCheck check,
      Consumer<Envelope> handler) {
    start(consumer, topic, groupId, gate, check, null, handler);
  }

  private void start(
      String consumer,
      String topic,
      String groupId,
      InboxLoop.Gate gate,
      Inbox.DuplicateCheck check,
      Inbox.Prefetch prefetch,
      Consumer<Envelope> handler) {
    InboxLoop loop =
        new InboxLoop(
            consumer,
            topic,
            InboxLoop.settings(
                bootstrapServers,
                groupId,
                groupId + "-" + consumer,
                // The topic prefix keeps apart stacks that share a broker, a host name and a
                // group (test runs): a second live member with the same id would fence the first.
                config.topicPrefix() + "-" + instanceId() + "-" + consumer,
                config.inbox().sessionTimeout()),
            inbox,
            gate,
            handler,
            check,
            prefetch,
            config.inbox().pollRetryBackoff(),
            config.inbox().commitInterval(),
            metrics);
    loops.add(loop);
    loop.start();
    LOG.infof("%s: consuming %s as %s (member %s)", consumer, topic, groupId, instanceId());
  }

  /** This process's stable name among its service's instances ({@code ember.instance-id}). */
  public String instanceId() {
    return config
        .instanceId()
        .orElseGet(
            () -> {
              try {
                return InetAddress.getLocalHost().getHostName() + "-" + httpPort;
              } catch (UnknownHostException e) {
                return "localhost-" + httpPort;
              }
            });
  }

  public List<InboxLoop> loops() {
    return List.copyOf(loops);
  }

  // Before the relay (default priority 2500) and the datasource go away.
  void onStop(@Observes @Priority(1000) ShutdownEvent event) {
    loops.forEach(loop -> loop.stop(config.inbox().stopGrace()));
  }
}
