package io.ember.model.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates the topics a service needs with the partitions and cleanup policy meant for them, rather
 * than leaving it to broker auto-creation. Safe to call from every service at every start.
 */
public final class TopicAdmin {

  private static final Logger LOG = Logger.getLogger(TopicAdmin.class);

  /** Volume ids key every message, so per-volume order holds on any partition count. */
  public static final int PARTITIONS = 4;

  private TopicAdmin() {}

  /**
   * @param topics the topics to create
   * @param compacted the subset that keeps only the latest record per key
   */
  public static void ensure(String bootstrapServers, Set<String> topics, Set<String> compacted) {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : topics) {
        if (!existing.contains(topic)) {
          NewTopic t = new NewTopic(topic, PARTITIONS, (short) 1);
          if (compacted.contains(topic)) {
            t.configs(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
          }
          missing.add(t);
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        LOG.infof("created topics %s", missing.stream().map(NewTopic::name).toList());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create Kafka topics " + topics + ": " + e, e);
    }
  }
}
