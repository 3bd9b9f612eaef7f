package io.ember.api.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Talks to the real broker the service under test uses: produce records, find records. */
public final class TestKafka {

  private TestKafka() {}

  public static String bootstrap() {
    return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
  }

  public static String prefix() {
    return ConfigProvider.getConfig().getValue("ember.topic-prefix", String.class);
  }

  public static void produce(String topic, String key, String value) {
    produceAll(topic, key, List.of(value));
  }

  /**
   * The values as one batch under one key (one partition, one append): a consumer takes them in one
   * poll.
   */
  public static void produceAll(String topic, String key, List<String> values) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(), "linger.ms", "1000"),
            new StringSerializer(),
            new StringSerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (String value : values) {
        sent.add(producer.send(new ProducerRecord<>(topic, key, value)));
      }
      producer.flush();
      for (Future<RecordMetadata> ack : sent) {
        ack.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot produce to " + topic, e);
    }
  }

  /**
   * Every record of {@code topic} matching {@code match}, reading from the start, until {@code
   * count} are found.
   */
  public static List<ConsumerRecord<String, String>> await(
      String topic, Predicate<ConsumerRecord<String, String>> match, int count, Duration timeout) {
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (found.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (match.test(record)) {
            found.add(record);
          }
        }
      }
    }
    return found;
  }

  /** Records matching {@code match} that arrive within {@code window} (for "nothing more came"). */
  public static List<ConsumerRecord<String, String>> all(
      String topic, Predicate<ConsumerRecord<String, String>> match, Duration window) {
    return await(topic, match, Integer.MAX_VALUE, window);
  }
}
