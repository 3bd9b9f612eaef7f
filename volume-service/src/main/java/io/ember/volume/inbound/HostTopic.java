package io.ember.volume.inbound;

import io.ember.model.Topics;
import io.ember.model.topics.ServiceTopics;
import io.ember.volume.config.VolumeHostConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * This host's own command topic, created with the shared ones at start; {@link
 * VolumeCommandConsumer} consumes it.
 */
@ApplicationScoped
public class HostTopic implements ServiceTopics {

  @Inject Topics topics;

  @Inject VolumeHostConfig config;

  @Override
  public Set<String> topics() {
    return Set.of(topics.volumeHost(config.host()));
  }
}
