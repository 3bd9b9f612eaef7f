package io.ember.model.reply;

import io.ember.model.config.KafkaConnection;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.topics.TopicAdmin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The waiting side of request-reply over Kafka, for one process: its own reply topic, the calls
 * waiting on it, and their deadlines.
 *
 * <p>No thread waits per call: a call is an entry in a map and a timer; one consumer thread reads
 * the topic and completes the call its reply names, and a timer thread fails the calls whose
 * deadline passed. Both hand the completion to {@code callbacks}, so what the caller chained on the
 * stage (a database transaction, say) never runs on, nor holds up, those two threads.
 *
 * <p>The topic is this process's alone (its name carries the stable instance id), so replicas never
 * read each other's replies. It is read without a consumer group, from its end at start: a reply
 * for a call of an earlier run of the process has nobody waiting for it, and whatever that call
 * left behind is recovered by the caller's deadline sweeper, not here. A reply that matches no
 * waiting call (a duplicate, one after the deadline, one of an earlier run) is dropped with a debug
 * line.
 *
 * <p>If the reader fails, it starts again (after 1 s, then longer up to 30 s) from where it had
 * read, so a reply that came meanwhile still completes its call; until it reads again, {@link
 * #problem} says why, and the readiness check ({@code health/ReplyChannelHealth}) is down: a
 * process that cannot get its replies should not be sent calls.
 */
public final class ReplyChannel implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ReplyChannel.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /** A reader whose poll has not returned for this long counts as not reading. */
  private static final Duration STALLED = Duration.ofSeconds(30);

  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** Nobody waits for a reply longer than a few minutes: an hour of them is plenty to keep. */
  private static final Duration RETENTION = Duration.ofHours(1);

  private record Waiting(CompletableFuture<Reply> reply, ScheduledFuture<?> deadline) {}

  private final String bootstrapServers;
  private final String topic;
  private final Duration defaultTimeout;
  private final Executor callbacks;
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers;
  private volatile KafkaConsumer<String, String> consumer;
  private Thread thread;
  private volatile boolean stopped;
  // Where the reader goes on after a restart: the next offset of each partition, once read.
  private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
  // Why the reader is not reading (null while it reads), and when its last poll returned.
  private volatile String problem = "not started";
  private volatile long lastPoll = System.nanoTime();
  private volatile int restarts;

  /**
   * @param topic this process's reply topic
   * @param defaultTimeout the deadline of a call that names none
   * @param callbacks runs the completion of every call (and so what the caller chained on it)
   */
  public ReplyChannel(
      String bootstrapServers, String topic, Duration defaultTimeout, Executor callbacks) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.defaultTimeout = defaultTimeout;
    this.callbacks = callbacks;
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "reply-deadlines");
              t.setDaemon(true);
              return t;
            });
  }

  public String topic() {
    return topic;
  }

  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  /**
   * Creates the topic if need be and starts reading it from its end. Returns once the consumer's
   * position is fixed, so a reply to a call opened afterwards cannot be skipped.
   */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    TopicAdmin.ensure(bootstrapServers, Set.of(topic), Set.of(), Map.of(topic, RETENTION));
    consumer = connect();
    problem = null;
    lastPoll = System.nanoTime();
    thread = new Thread(this::run, "replies-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * A consumer assigned every partition of the topic, at the positions read so far ({@link
   * #positions}), or at the end of a partition not read yet.
   */
  private KafkaConsumer<String, String> connect() {
    Properties kafka = new Properties();
    kafka.putAll(KafkaConnection.settings(bootstrapServers));
    kafka.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    kafka.put(ConsumerConfig.CLIENT_ID_CONFIG, topic + "-replies");
    KafkaConsumer<String, String> made =
        new KafkaConsumer<>(kafka, new StringDeserializer(), new StringDeserializer());
    try {
      List<TopicPartition> partitions = partitionsOf(made, topic);
      made.assign(partitions);
      List<TopicPartition> unread =
          partitions.stream().filter(p -> !positions.containsKey(p)).toList();
      made.seekToEnd(unread);
      for (TopicPartition p : partitions) {
        Long at = positions.get(p);
        if (at != null) {
          made.seek(p, at);
        }
        positions.put(p, made.position(p));
      }
      LOG.infof("replies: reading %s (%d partitions)", topic, partitions.size());
      return made;
    } catch (RuntimeException e) {
      made.close(Duration.ZERO);
      throw e;
    }
  }

  /**
   * Why this process cannot read its replies now (the reader failed and waits to start again, or
   * has not polled for {@code 30 s}), or null while it reads them.
   */
  public String problem() {
    String now = problem;
    if (now != null) {
      return now;
    }
    long silent = System.nanoTime() - lastPoll;
    if (silent > STALLED.toNanos()) {
      return "the reader of " + topic + " has not polled for " + silent / 1_000_000_000L + " s";
    }
    return null;
  }

  /** How often the reader has been started again after a failure. */
  public int restarts() {
    return restarts;
  }

  /**
   * The topic's partitions, once the broker's metadata shows them: right after the topic is created
   * it may show none yet, and a reader assigned none ends at its first poll (CI saw that: every
   * call then timed out).
   */
  private static List<TopicPartition> partitionsOf(
      KafkaConsumer<String, String> consumer, String topic) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<PartitionInfo> found = consumer.partitionsFor(topic);
      if (found != null && !found.isEmpty()) {
        return found.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("reply topic " + topic + " shows no partitions after 30 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the partitions of " + topic, e);
      }
    }
  }

  /** A call waiting for its reply until {@code timeout}; the command must carry its address. */
  public PendingCall open(String operation, Duration timeout) {
    String correlationId = UUID.randomUUID().toString();
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    ScheduledFuture<?> deadline =
        timers.schedule(
            () -> expire(correlationId, operation, timeout),
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    waiting.put(correlationId, new Waiting(reply, deadline));
    return new PendingCall(new ReplyAddress(topic, correlationId), reply, this);
  }

  /** As above, with the default deadline. */
  public PendingCall open(String operation) {
    return open(operation, defaultTimeout);
  }

  /** How many calls wait. */
  public int waiting() {
    return waiting.size();
  }

  /** Stops waiting for a call whose command was never sent (its transaction rolled back). */
  void abandon(String correlationId, RuntimeException why) {
    Waiting call = waiting.remove(correlationId);
    if (call != null) {
      call.deadline().cancel(false);
      callbacks.execute(() -> call.reply().completeExceptionally(why));
    }
  }

  /**
   * Completes the call the reply names; anything else is dropped. Public for tests. If the
   * completion cannot be handed over ({@code callbacks} refuses it), the call goes on waiting and
   * this throws: the reader starts again and reads the reply again.
   */
  public void deliver(Reply reply) {
    Waiting call = waiting.remove(reply.correlationId());
    if (call == null) {
      LOG.debugf("replies: dropped a reply no call waits for (%s)", reply.correlationId());
      return;
    }
    try {
      callbacks.execute(() -> call.reply().complete(reply));
    } catch (RuntimeException refused) {
      waiting.putIfAbsent(reply.correlationId(), call);
      throw refused;
    }
    call.deadline().cancel(false);
  }

  private void expire(String correlationId, String operation, Duration timeout) {
    Waiting call = waiting.remove(correlationId);
    if (call != null) {
      ReplyTimeoutException timedOut = new ReplyTimeoutException(operation, topic, timeout);
      LOG.warnf("replies: %s (call %s)", timedOut.getMessage(), correlationId);
      callbacks.execute(() -> call.reply().completeExceptionally(timedOut));
    }
  }

  /**
   * Reads until closed. A failure closes the consumer and, after a pause, opens another at the
   * positions read (a batch is read again from its start: a reply delivered twice is dropped).
   */
  private void run() {
    Duration backoff = FIRST_BACKOFF;
    while (!stopped) {
      try {
        if (consumer == null) {
          consumer = connect();
          problem = null;
          restarts++;
          LOG.infof("replies: reader of %s started again", topic);
        }
        while (!stopped) {
          ConsumerRecords<String, String> records = consumer.poll(POLL);
          lastPoll = System.nanoTime();
          for (ConsumerRecord<String, String> record : records) {
            read(record);
          }
          for (TopicPartition p : records.partitions()) {
            positions.put(p, consumer.position(p));
          }
          backoff = FIRST_BACKOFF;
        }
      } catch (WakeupException woken) {
        // close() asked the poll to return
      } catch (RuntimeException e) {
        if (stopped) {
          break;
        }
        problem = "the reader of " + topic + " failed (" + e + "); starting again in " + backoff;
        LOG.errorf("replies: %s", problem);
        closeConsumer();
        sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
    closeConsumer();
  }

  private void closeConsumer() {
    if (consumer != null) {
      try {
        consumer.close(Duration.ofSeconds(1));
      } catch (RuntimeException e) {
        LOG.debugf("replies: closing the reader of %s: %s", topic, e);
      }
      consumer = null;
    }
  }

  private void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  private void read(ConsumerRecord<String, String> record) {
    try {
      Envelope envelope = Envelope.fromJson(record.value());
      if (envelope.messageType() != MessageType.REPLY) {
        throw new ContractException("not a reply: " + envelope.type());
      }
      deliver(envelope.payloadAs(Reply.class));
    } catch (ContractException e) {
      // Nobody can be waiting for what cannot be read; a dead letter would help no one either.
      LOG.warnf("replies: dropped an unreadable record at %s: %s", record.offset(), e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    stopped = true;
    problem = "closed";
    timers.shutdownNow();
    if (thread != null) {
      KafkaConsumer<String, String> reading = consumer;
      if (reading != null) {
        reading.wakeup();
      }
      thread.interrupt();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
