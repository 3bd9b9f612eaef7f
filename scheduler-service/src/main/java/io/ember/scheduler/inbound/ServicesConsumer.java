package io.ember.scheduler.inbound;

import io.ember.model.Topics;
import io.ember.model.config.KafkaConnection;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ServiceRecord;
import io.ember.model.contract.ServiceStatus;
import io.ember.scheduler.capability.PoolRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Takes the volume hosts' enabled/disabled status from the compacted services topic (the API writes
 * it through its outbox). Read from the start under a group of each process's own, like the
 * capabilities, so a restarted scheduler knows every disabled host again. Heartbeats on the topic
 * are for the API and are passed over.
 */
@ApplicationScoped
public class ServicesConsumer {

  private static final Logger LOG = Logger.getLogger(ServicesConsumer.class);
  private static final String CONSUMER = "services";

  @Inject PoolRegistry registry;
  @Inject Topics topics;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  // Its own configuration, not the global lookup: this also runs on a thread of its own.
  @Inject Config config;

  /**
   * Finds where this topic and the capabilities topic end now, so that requests wait until the
   * statuses and reports up to there are applied ({@link PoolRegistry#awaitView}). Off the start-up
   * thread: the broker may be slow.
   */
  void start(@Observes StartupEvent event) {
    Thread thread =
        new Thread(
            () -> {
              registry.servicesEndAtStart(lastOffsets(topics.services()));
              registry.capabilitiesEndAtStart(lastOffsets(topics.capabilities()));
            },
            "services-end-offsets");
    thread.setDaemon(true);
    thread.start();
  }

  /** The last offset of each non-empty partition of {@code topic}; none if it cannot be read. */
  Map<Integer, Long> lastOffsets(String topic) {
    Properties props = new Properties();
    // The broker's security settings too, as every other client of Ember's (a SASL listener).
    props.putAll(KafkaConnection.settings(config, bootstrapServers));
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ember-scheduler-services-end");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    Duration timeout = Duration.ofSeconds(5);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        return Map.of();
      }
      List<TopicPartition> partitions =
          infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      Map<Integer, Long> last = new HashMap<>();
      for (TopicPartition p : partitions) {
        if (end.get(p) > begin.get(p)) {
          last.put(p.partition(), end.get(p) - 1);
        }
      }
      LOG.infof("%s: replaying up to %s before scheduling", topic, last);
      return last;
    } catch (RuntimeException e) {
      // No broker: nothing would be scheduled anyway; the init-wait deadline still applies.
      LOG.warnf("cannot read where %s ends (%s): not waiting for its replay", topic, e.toString());
      return Map.of();
    }
  }

  @Incoming("services")
  public CompletionStage<Void> onRecord(Message<String> message) {
    message
        .getMetadata(IncomingKafkaRecordMetadata.class)
        .ifPresent(m -> registry.servicesRead(m.getPartition(), m.getOffset()));
    try {
      String json = message.getPayload();
      if (json != null) {
        apply(Envelope.fromJson(json));
      }
    } catch (RuntimeException e) {
      return PoisonMessages.nackIfContractBroken(CONSUMER, message, e);
    }
    return message.ack();
  }

  private void apply(Envelope envelope) {
    switch (envelope.messageType()) {
      case SERVICE_STATUS -> {
        ServiceStatus status = envelope.payloadAs(ServiceStatus.class);
        if (status.binary() == null || status.host() == null) {
          throw new ContractException("service status without binary or host");
        }
        if (ServiceRecord.VOLUME_BINARY.equals(status.binary())) {
          registry.setDisabled(status.host(), status.disabled());
          LOG.infof(
              "volume host %s %s%s",
              status.host(),
              status.disabled() ? "disabled" : "enabled",
              status.disabledReason() == null ? "" : " (" + status.disabledReason() + ")");
        }
      }
      case SERVICE_HEARTBEAT -> {
        // For the API's os-services.
      }
      default ->
          throw new ContractException(
              "the services topic takes heartbeats and statuses, not " + envelope.type());
    }
  }
}
