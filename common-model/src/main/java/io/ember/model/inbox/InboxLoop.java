package io.ember.model.inbox;

import io.ember.model.config.KafkaConnection;
import io.ember.model.contract.Envelope;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * One topic's consumer: a thread that polls and hands each poll's records to {@link Inbox#receive}
 * itself, then commits their offsets. Nothing sits between the poll and the transaction, so a
 * message waits for no thread hand-off, and a poll is only taken once the previous one is done,
 * which keeps each partition's messages in order.
 *
 * <p>Offsets are committed only after the records were handled (at-least-once; the inbox drops
 * redeliveries), at most once per {@code commitInterval} while running: each commit is a write on
 * the broker, and a restart redelivers at most that interval's messages, which the inbox drops. If
 * a poll cannot be handled (its dead letters would not go out, say), the loop goes back to the
 * poll's first offsets and tries again after {@code retryBackoff}, reporting itself unhealthy
 * meanwhile.
 *
 * <p>Each record's delivery (its timestamp until the poll that returned it) and each poll's
 * handling are timed ({@link InboxTimers}), so an operator can tell the broker's share of a hop
 * from the service's own.
 */
public final class InboxLoop {

  private static final Logger LOG = Logger.getLogger(InboxLoop.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

  /** Holds a poll back until the service can handle it (outside any transaction). */
  @FunctionalInterface
  public interface Gate {
    Gate OPEN = () -> {};

    void await() throws InterruptedException;
  }

  private final String consumerName;
  private final String topic;
  private final KafkaConsumer<String, String> consumer;
  private final Inbox inbox;
  private final Gate gate;
  private final Consumer<Envelope> handler;
  private final Inbox.DuplicateCheck check;
  private final Inbox.Prefetch prefetch;
  private final Duration retryBackoff;
  private final InboxTimers timers;
  private final long commitIntervalNanos;
  private long lastCommitNanos = System.nanoTime();
  private final Thread thread;
  private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
  private volatile boolean stopped;
  private volatile String failure;

  InboxLoop(
      String consumerName,
      String topic,
      Properties kafka,
      Inbox inbox,
      Gate gate,
      Consumer<Envelope> handler,
      Inbox.DuplicateCheck check,
      Inbox.Prefetch prefetch,
      Duration retryBackoff,
      Duration commitInterval,
      MeterRegistry metrics) {
    this.consumerName = consumerName;
    this.topic = topic;
    this.inbox = inbox;
    this.gate = gate;
    this.handler = handler;
    this.check = check;
    this.prefetch = prefetch;
    this.retryBackoff = retryBackoff;
    this.timers = new InboxTimers(metrics, consumerName, topic);
    this.commitIntervalNanos = commitInterval.toNanos();
    this.consumer = new KafkaConsumer<>(kafka, new StringDeserializer(), new StringDeserializer());
    this.thread = new Thread(this::run, "inbox-" + consumerName);
    // stop() ends it in order; a loop still stuck after the grace period must not keep the JVM up.
    this.thread.setDaemon(true);
  }

  /**
   * The consumer settings every loop shares: offsets committed by the loop, never by a timer; a
   * static member named {@code instanceId}, so that the broker hands a restarted process its
   * partitions back as soon as it joins, without a rebalance. A dynamic member's partitions stayed
   * with the dead one for its whole session (45 s by default) after a kill -9.
   */
  static Properties settings(
      String bootstrapServers,
      String groupId,
      String clientId,
      String instanceId,
      Duration sessionTimeout) {
    Properties kafka = new Properties();
    kafka.putAll(KafkaConnection.settings(bootstrapServers));
    kafka.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    kafka.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    kafka.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    kafka.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(sessionTimeout.toMillis()));
    // A third of the session, as Kafka advises.
    kafka.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(sessionTimeout.toMillis() / 3));
    kafka.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    kafka.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return kafka;
  }

  void start() {
    thread.start();
  }

  /** Finishes the poll in hand, commits what was handled and closes the consumer. */
  void stop(Duration grace) {
    stopped = true;
    consumer.wakeup();
    try {
      thread.join(grace.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String consumerName() {
    return consumerName;
  }

  public String topic() {
    return topic;
  }

  /** Why the loop is not consuming, or null while it is. */
  public String problem() {
    if (!thread.isAlive()) {
      return stopped ? "stopped" : failure == null ? "not running" : "ended: " + failure;
    }
    return failure;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new CommitOnRevoke());
      while (!stopped) {
        ConsumerRecords<String, String> records = consumer.poll(POLL_TIMEOUT);
        if (!records.isEmpty()) {
          handle(records);
        }
        if (System.nanoTime() - lastCommitNanos >= commitIntervalNanos) {
          commitHandled(false);
        }
      }
    } catch (WakeupException woken) {
      // stop() asked the poll to return
    } catch (RuntimeException e) {
      LOG.errorf(e, "%s: consumer loop ended", consumerName);
      failure = e.toString();
    } finally {
      commitHandled(true);
      // A static member stays in its group when it closes, unless told: one stopped on purpose
      // hands its partitions over now, not a session later (only a killed one keeps them, for its
      // restart to take back).
      consumer.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP));
    }
  }

  private void handle(ConsumerRecords<String, String> records) {
    long polledAt = System.currentTimeMillis();
    List<ConsumerRecord<String, String>> batch = new ArrayList<>(records.count());
    for (ConsumerRecord<String, String> record : records) {
      batch.add(record);
      timers.delivered(record.timestamp(), polledAt);
    }
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
      return;
    }
    long start = System.nanoTime();
    try {
      inbox.receive(consumerName, batch, handler, check, prefetch);
      timers.handled(System.nanoTime() - start);
      failure = null;
    } catch (RuntimeException e) {
      timers.handled(System.nanoTime() - start);
      failure = e.getMessage();
      LOG.errorf(
          "%s: %d messages not handled, retrying in %s: %s",
          consumerName, batch.size(), retryBackoff, e.getMessage());
      rewind(records);
      pause();
      return;
    }
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<String, String>> of = records.records(partition);
      handled.put(partition, new OffsetAndMetadata(of.get(of.size() - 1).offset() + 1));
    }
  }

  /** Asynchronous while running (a later commit covers a lost one), synchronous at the end. */
  private void commitHandled(boolean wait) {
    lastCommitNanos = System.nanoTime();
    if (handled.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(handled);
    handled.clear();
    try {
      if (wait) {
        commitSync(offsets);
      } else {
        consumer.commitAsync(
            offsets,
            (committed, error) -> {
              if (error != null) {
                LOG.debugf("%s: offset commit failed: %s", consumerName, error.toString());
              }
            });
      }
    } catch (RuntimeException e) {
      // Redelivered after a restart or rebalance; the inbox drops what was done.
      LOG.warnf("%s: offset commit failed: %s", consumerName, e.toString());
    }
  }

  private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      consumer.commitSync(offsets);
    } catch (WakeupException woken) {
      // stop() came while a poll was being handled; the wake-up is spent now.
      consumer.commitSync(offsets);
    }
  }

  private void rewind(ConsumerRecords<String, String> records) {
    for (TopicPartition partition : records.partitions()) {
      consumer.seek(partition, records.records(partition).get(0).offset());
    }
  }

  private void pause() {
    try {
      Thread.sleep(retryBackoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  /** A partition taken away keeps what was handled on it: its offsets are committed first. */
  private final class CommitOnRevoke implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      commitHandled(true);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // Consumption resumes at the committed offsets.
    }
  }
}
