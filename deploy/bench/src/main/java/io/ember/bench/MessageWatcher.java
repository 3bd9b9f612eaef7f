package io.ember.bench;

import java.time.Duration;
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
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Records when each {@code volume.create.end} notification reaches a consumer: the moment a
 * notification listener (Ceilometer, billing) learns that a volume exists.
 *
 * <p>Partitions are assigned by hand (no consumer group, nothing committed) and positioned at their
 * end before {@link #start} returns, so nothing sent after that is missed and nothing older is
 * read.
 */
final class NotificationWatcher implements AutoCloseable {

  private final KafkaConsumer<String, String> consumer;
  private final Map<String, Long> createEndSeenAt = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Exception failure;

  private NotificationWatcher(KafkaConsumer<String, String> consumer) {
    this.consumer = consumer;
    this.thread = new Thread(this::loop, "bench-notifications");
    this.thread.setDaemon(true);
  }

  /** Starts watching {@code topic}; throws {@link IllegalStateException} when it does not exist. */
  static NotificationWatcher start(String bootstrap, String topic) {
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
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist");
      }
      List<TopicPartition> partitions =
          infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      // seekToEnd is lazy: resolve every position now, before the first POST.
      partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(10)));
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
      throw e;
    }
    NotificationWatcher watcher = new NotificationWatcher(consumer);
    watcher.thread.start();
    return watcher;
  }

  /** System.nanoTime() when the volume's {@code volume.create.end} was received, or null. */
  Long createEndSeenAt(String volumeId) {
    return createEndSeenAt.get(volumeId);
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
          String volumeId = createEndVolumeId(record.value());
          if (volumeId != null) {
            createEndSeenAt.putIfAbsent(volumeId, receivedAt);
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

  /** The volume id of a {@code volume.create.end} envelope; null for anything else. */
  static String createEndVolumeId(String envelopeJson) {
    if (envelopeJson == null) {
      return null;
    }
    Object envelope;
    try {
      envelope = Json.parse(envelopeJson);
    } catch (RuntimeException e) {
      return null;
    }
    if (!"volume.create.end".equals(Json.string(envelope, "payload", "event_type"))) {
      return null;
    }
    return Json.string(envelope, "payload", "payload", "volume_id");
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
