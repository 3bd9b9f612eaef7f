package io.ember.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Listens to Ember's topics during the sequential run. It records when each {@code
 * volume.create.end} notification reaches a consumer: the moment a notification listener
 * (Ceilometer, billing) learns that a volume exists. And it records when each step of a create sent
 * its message ({@code schedule_volume}, {@code create_volume}, {@code volume.created}: the records'
 * timestamps), which splits a create's latency by service and hop.
 *
 * <p>Partitions are assigned by hand (no consumer group, nothing committed) and positioned at their
 * end before {@link #start} returns, so nothing sent after that is missed and nothing older is
 * read.
 */
final class MessageWatcher implements AutoCloseable {

  private final KafkaConsumer<String, String> consumer;

  /** The messages of one create, in the order they are sent: api, scheduler, volume host. */
  static final List<String> CREATE_STEPS =
      List.of("schedule_volume", "create_volume", "volume.created");

  private final String notificationsTopic;
  private final Map<String, Long> createEndSeenAt = new ConcurrentHashMap<>();
  private final Map<String, long[]> stepSentAt = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Exception failure;

  private MessageWatcher(KafkaConsumer<String, String> consumer, String notificationsTopic) {
    this.consumer = consumer;
    this.notificationsTopic = notificationsTopic;
    this.thread = new Thread(this::loop, "bench-notifications");
    this.thread.setDaemon(true);
  }

  /**
   * Starts watching the topics of {@code prefix}; throws {@link IllegalStateException} when its
   * notifications topic does not exist.
   */
  static MessageWatcher start(String bootstrap, String prefix) {
    String topic = prefix + ".notifications";
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ember-bench-notifications");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Never create Ember's topic with the broker's default partition count.
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
    try {
      List<PartitionInfo> notifications = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (notifications == null || notifications.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist");
      }
      // The scheduler's requests, every volume host's commands, the volumes' events.
      List<TopicPartition> partitions =
          consumer.listTopics(Duration.ofSeconds(10)).entrySet().stream()
              .filter(
                  t ->
                      t.getKey().equals(topic)
                          || t.getKey().equals(prefix + ".scheduler.requests")
                          || t.getKey().startsWith(prefix + ".volume."))
              .flatMap(t -> t.getValue().stream())
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      // seekToEnd is lazy: resolve every position now, before the first POST.
      partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(10)));
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
      throw e;
    }
    MessageWatcher watcher = new MessageWatcher(consumer, topic);
    watcher.thread.start();
    return watcher;
  }

  /** System.nanoTime() when the volume's {@code volume.create.end} was received, or null. */
  Long createEndSeenAt(String volumeId) {
    return createEndSeenAt.get(volumeId);
  }

  /**
   * Epoch milliseconds at which each of {@link #CREATE_STEPS} was sent for the volume (its record's
   * timestamp), or null unless all were seen.
   */
  long[] createStepsSentAt(String volumeId) {
    long[] sent = stepSentAt.get(volumeId);
    if (sent == null) {
      return null;
    }
    synchronized (sent) {
      return Arrays.stream(sent).anyMatch(t -> t == 0) ? null : sent.clone();
    }
  }

  /** Waits up to {@code max} until every id has been seen; returns how many are still missing. */
  long awaitAll(Collection<String> ids, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      long missing = ids.stream().filter(id -> !createEndSeenAt.containsKey(id)).count();
      if (missing == 0 || System.nanoTime() > deadline || failure != null) {
        return missing;
      }
      Thread.sleep(20);
    }
  }

  Exception failure() {
    return failure;
  }

  private void loop() {
    try {
      while (running) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        long receivedAt = System.nanoTime();
        for (ConsumerRecord<String, String> record : records) {
          if (record.topic().equals(notificationsTopic)) {
            String volumeId = createEndVolumeId(header(record, "ce_type"), record.value());
            if (volumeId != null) {
              createEndSeenAt.putIfAbsent(volumeId, receivedAt);
            }
          } else {
            recordStep(record);
          }
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (Exception e) {
      failure = e;
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  /** The first send of each create step, by volume id (the records' key). */
  private void recordStep(ConsumerRecord<String, String> record) {
    int step;
    try {
      step = CREATE_STEPS.indexOf(Json.string(Json.parse(record.value()), "type"));
    } catch (RuntimeException e) {
      return;
    }
    if (step >= 0 && record.key() != null) {
      long[] sent = stepSentAt.computeIfAbsent(record.key(), k -> new long[CREATE_STEPS.size()]);
      synchronized (sent) {
        if (sent[step] == 0) {
          sent[step] = record.timestamp();
        }
      }
    }
  }

  /**
   * The volume id of a {@code volume.create.end} notification (a CloudEvent in structured mode);
   * null for anything else. The {@code ce_type} header spares parsing the other events.
   */
  static String createEndVolumeId(String ceType, String cloudEventJson) {
    if (!"volume.create.end".equals(ceType) || cloudEventJson == null) {
      return null;
    }
    Object event;
    try {
      event = Json.parse(cloudEventJson);
    } catch (RuntimeException e) {
      return null;
    }
    if (!"volume.create.end".equals(Json.string(event, "type"))) {
      return null;
    }
    return Json.string(event, "data", "volume_id");
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
