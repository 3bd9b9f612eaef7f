package io.ember.scheduler.inbound;

import io.ember.model.contract.Envelope;
import io.ember.model.topics.TopicAdmin;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The test's side of the broker: produce records and read topics from the start with a fresh group,
 * keeping only the records a test is about (other tests share the topics).
 */
final class KafkaSupport implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String bootstrap;
  private final KafkaCompanion companion;
  private final List<ConsumerTask<String, String>> tasks = new ArrayList<>();

  KafkaSupport(String bootstrap) {
    this.bootstrap = bootstrap;
    this.companion = new KafkaCompanion(bootstrap);
  }

  void send(String topic, String key, String value) {
    companion
        .produceStrings()
        .fromRecords(new ProducerRecord<>(topic, key, value))
        .awaitCompletion(TIMEOUT);
  }

  void send(String topic, Envelope envelope) {
    send(topic, envelope.key(), envelope.toJson());
  }

  /** Starts reading {@code topics} from the beginning; creates them first if need be. */
  ConsumerTask<String, String> read(
      Set<String> topics, Predicate<ConsumerRecord<String, String>> keep) {
    TopicAdmin.ensure(bootstrap, topics, Set.of());
    ConsumerTask<String, String> task =
        companion
            .consumeStrings()
            .withGroupId("test-" + UUID.randomUUID())
            .withProp(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
            .fromTopics(topics, records -> records.select().where(keep));
    tasks.add(task);
    return task;
  }

  /** Records keyed by one of {@code keys} (every Ember message is keyed by its volume id). */
  ConsumerTask<String, String> readKeys(Set<String> topics, Set<String> keys) {
    return read(topics, r -> keys.contains(r.key()));
  }

  /** A topic's setting as the broker has it. */
  String topicConfig(String topic, String name) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return companion
        .getOrCreateAdminClient()
        .describeConfigs(List.of(resource))
        .all()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .get(resource)
        .get(name)
        .value();
  }

  @Override
  public void close() {
    tasks.forEach(ConsumerTask::close);
    companion.close();
  }
}
