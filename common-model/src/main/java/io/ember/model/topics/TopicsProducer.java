package io.ember.model.topics;

import io.ember.model.Topics;
import io.ember.model.config.SharedConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the topic names of this deployment ({@code ember.topic-prefix}) injectable. */
public class TopicsProducer {

  @Produces
  @Singleton
  Topics topics(SharedConfig config) {
    return new Topics(config.topicPrefix());
  }
}
