package io.ember.model.topics;

import io.ember.model.config.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
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

  /**
   * A compacted topic is only cleaned in closed segments, and Kafka closes one at 1 GiB or after 7
   * days: capability reports (one per create, debounced) grew to 100+ MB per partition in an hour
   * of load, all of it read again by every scheduler start. Small segments let the cleaner keep it
   * to about the latest report per key.
   */
  public static final Map<String, String> COMPACTED =
      Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
          TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(Duration.ofMinutes(10).toMillis()),
          TopicConfig.SEGMENT_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));

  private TopicAdmin() {}

  /**
   * @param topics the topics to create
   * @param compacted the subset that keeps only the latest record per key
   */
  public static void ensure(String bootstrapServers, Set<String> topics, Set<String> compacted) {
    ensure(bootstrapServers, topics, compacted, Map.of());
  }

  /**
   * @param topics the topics to create
   * @param compacted the subset that keeps only the latest record per key
   * @param retained topics of that set kept for a set time ({@code retention.ms}) whatever the
   *     broker's default, on a new topic and on one made before
   */
  public static void ensure(
      String bootstrapServers,
      Set<String> topics,
      Set<String> compacted,
      Map<String, Duration> retained) {
    Map<String, Object> settings = new HashMap<>(KafkaConnection.settings(bootstrapServers));
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    try (Admin admin = Admin.create(settings)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : topics) {
        if (!existing.contains(topic)) {
          NewTopic t = new NewTopic(topic, PARTITIONS, (short) 1);
          if (compacted.contains(topic)) {
            t.configs(COMPACTED);
          } else if (retained.containsKey(topic)) {
            t.configs(retention(retained.get(topic)));
          }
          missing.add(t);
        }
      }
      if (!missing.isEmpty()) {
        create(admin, missing);
      }
      // Topics made before (by an older version, or auto-created) get the same settings.
      Set<String> older = new HashSet<>(compacted);
      older.retainAll(existing);
      if (!older.isEmpty()) {
        set(admin, older, t -> COMPACTED);
      }
      Set<String> olderRetained = new HashSet<>(retained.keySet());
      olderRetained.retainAll(existing);
      if (!olderRetained.isEmpty()) {
        set(admin, olderRetained, t -> retention(retained.get(t)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create Kafka topics " + topics + ": " + e, e);
    }
  }

  private static void create(Admin admin, List<NewTopic> missing) throws Exception {
    try {
      admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      LOG.infof("created topics %s", missing.stream().map(NewTopic::name).toList());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  public static Map<String, String> retention(Duration retention) {
    return Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis()));
  }

  /** Idempotent: sets the values whether or not they are set already. */
  private static void set(
      Admin admin, Set<String> topics, Function<String, Map<String, String>> settings)
      throws Exception {
    Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
    for (String topic : topics) {
      changes.put(
          new ConfigResource(ConfigResource.Type.TOPIC, topic),
          settings.apply(topic).entrySet().stream()
              .map(
                  e ->
                      new AlterConfigOp(
                          new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
              .toList());
    }
    admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
  }
}
