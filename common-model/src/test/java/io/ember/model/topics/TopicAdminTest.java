package io.ember.model.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the real broker (deploy/local/ember kafka-up). */
class TopicAdminTest {

  private static final String BOOTSTRAP =
      System.getProperty("kafka.bootstrap.servers", "localhost:9092");

  private final String prefix = "test-topic-admin-" + UUID.randomUUID();
  private final String plain = prefix + ".events";
  private final String compacted = prefix + ".capabilities";
  private final String retained = prefix + ".notifications";
  private Admin admin;

  @BeforeEach
  void connect() {
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP));
  }

  @AfterEach
  void cleanUp() throws Exception {
    Set<String> made = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    admin
        .deleteTopics(List.of(plain, compacted, retained).stream().filter(made::contains).toList())
        .all()
        .get(30, TimeUnit.SECONDS);
    admin.close();
  }

  @Test
  void aNewCompactedTopicGetsSegmentsTheCleanerCanCompact() throws Exception {
    TopicAdmin.ensure(BOOTSTRAP, Set.of(plain, compacted), Set.of(compacted));

    assertCompactedSettings(config(compacted));
    Config events = config(plain);
    assertEquals("delete", events.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
    assertEquals(
        TopicAdmin.PARTITIONS,
        admin.describeTopics(List.of(plain)).allTopicNames().get().get(plain).partitions().size());
  }

  @Test
  void aCompactedTopicMadeBeforeGetsTheSameSettings() throws Exception {
    // As earlier versions made it: compaction with the broker's 1 GiB / 7 day segments.
    admin
        .createTopics(
            List.of(
                new NewTopic(compacted, 1, (short) 1)
                    .configs(
                        Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT))))
        .all()
        .get(30, TimeUnit.SECONDS);

    TopicAdmin.ensure(BOOTSTRAP, Set.of(compacted), Set.of(compacted));

    assertCompactedSettings(config(compacted));
  }

  @Test
  void aRetainedTopicKeepsItsRecordsForTheSetTimeNewOrMadeBefore() throws Exception {
    TopicAdmin.ensure(
        BOOTSTRAP, Set.of(plain, retained), Set.of(), Map.of(retained, Duration.ofDays(7)));

    assertEquals("604800000", config(retained).get(TopicConfig.RETENTION_MS_CONFIG).value());
    assertEquals("delete", config(retained).get(TopicConfig.CLEANUP_POLICY_CONFIG).value());

    // Made before with another retention (an older version, or auto-created): set again.
    TopicAdmin.ensure(
        BOOTSTRAP, Set.of(plain, retained), Set.of(), Map.of(retained, Duration.ofDays(30)));

    assertEquals("2592000000", config(retained).get(TopicConfig.RETENTION_MS_CONFIG).value());
  }

  private static void assertCompactedSettings(Config config) {
    for (Map.Entry<String, String> expected : TopicAdmin.COMPACTED.entrySet()) {
      assertEquals(expected.getValue(), config.get(expected.getKey()).value(), expected.getKey());
    }
    assertEquals("600000", config.get(TopicConfig.SEGMENT_MS_CONFIG).value());
  }

  private Config config(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
  }
}
