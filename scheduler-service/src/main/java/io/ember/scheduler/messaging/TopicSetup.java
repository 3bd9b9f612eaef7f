package io.ember.scheduler.messaging;

import io.ember.model.Topics;
import io.ember.model.outbox.TopicAdmin;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates the scheduler's topics before its consumers subscribe: reactive messaging connects its
 * channels from a StartupEvent observer at priority 1000, this one runs first. A consumer would
 * otherwise let the broker auto-create the capabilities topic without compaction.
 */
@ApplicationScoped
public class TopicSetup {

  @Inject Topics topics;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  void onStart(@Observes @Priority(10) StartupEvent event) {
    TopicAdmin.ensure(bootstrapServers, topics.shared(), topics.compacted());
  }
}
