package io.ember.volume.messaging;

import io.ember.model.Topics;
import io.ember.model.topics.ServiceTopics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** This host's own command topic, created with the shared ones at start. */
@ApplicationScoped
public class HostTopic implements ServiceTopics {

  @Inject Topics topics;

  @ConfigProperty(name = "ember.host")
  String host;

  @Override
  public Set<String> topics() {
    return Set.of(topics.volumeHost(host));
  }
}
