package io.ember.volume.messaging;

import io.ember.model.Topics;
import io.ember.model.outbox.TopicAdmin;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates the topics this host uses before its channels connect (which happens at priority 1000).
 */
@ApplicationScoped
public class TopicSetup {

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @Inject Topics topics;

  @ConfigProperty(name = "ember.host")
  String host;

  void onStart(@Observes @Priority(800) StartupEvent event) {
    Set<String> used = new HashSet<>(topics.shared());
    used.add(topics.volumeHost(host));
    TopicAdmin.ensure(bootstrapServers, used, topics.compacted());
  }
}
