package io.ember.api.testsupport;

import io.ember.model.Topics;
import io.ember.model.topics.TopicAdmin;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The topic of the volume host the tests place volumes on, made at start as that host's own start
 * makes it in a running stack. Left to the broker to create on the API's first command, it once
 * stalled the API's producer: the first batch met a partition without a leader yet, and the batches
 * behind it were refused as out of sequence for as long as the test waited.
 */
@Startup
@ApplicationScoped
public class TestHostTopic {

  public static final String HOST = "node1@fake";

  @Inject Topics topics;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @PostConstruct
  void ensureTopic() {
    TopicAdmin.ensure(bootstrap, Set.of(topics.volumeHost(HOST)), Set.of());
  }
}
