package io.ember.api.messaging;

import io.ember.model.Topics;
import io.ember.model.outbox.TopicAdmin;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Creates the topics the API reads and writes before the channels use them. */
@Startup
@ApplicationScoped
public class TopicSetup {

  @Inject Topics topics;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @PostConstruct
  void ensureTopics() {
    TopicAdmin.ensure(bootstrap, topics.shared(), topics.compacted());
  }
}
