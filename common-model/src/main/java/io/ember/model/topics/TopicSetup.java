package io.ember.model.topics;

import io.ember.model.Topics;
import io.ember.model.config.SharedConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates the topics a service reads and writes before anything connects to them: consumers start
 * from StartupEvent observers at the default priority and reactive messaging's channels at 1000,
 * this runs at 10. Left to the broker, a consumer would auto-create the capabilities topic without
 * compaction.
 */
@ApplicationScoped
public class TopicSetup {

  @Inject Topics topics;

  @Inject Instance<ServiceTopics> serviceTopics;

  @Inject SharedConfig config;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  void onStart(@Observes @Priority(10) StartupEvent event) {
    Set<String> used = new HashSet<>(topics.shared());
    serviceTopics.forEach(own -> used.addAll(own.topics()));
    // Notifications are for consumers outside Ember, which may join or come back later.
    TopicAdmin.ensure(
        bootstrapServers,
        used,
        topics.compacted(),
        Map.of(topics.notifications(), config.notifications().retention()));
  }
}
