package io.ember.model;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Makes the topic names of this deployment ({@code ember.topic-prefix}) injectable. */
public class TopicsProducer {

  @Produces
  @Singleton
  Topics topics(@ConfigProperty(name = "ember.topic-prefix") String prefix) {
    return new Topics(prefix);
  }
}
