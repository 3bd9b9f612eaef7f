package io.ember.volume.config;

import io.ember.model.Topics;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies the command channel's topic and consumer group, which depend on {@code ember.host}: a
 * topic name cannot hold the {@code @} of {@code node1@fake}, so it cannot be written as a plain
 * property expression.
 */
public class HostTopicConfigSourceFactory implements ConfigSourceFactory {

  static final String HOST = "ember.host";
  static final String CHANNEL = "mp.messaging.incoming.volume-commands.";

  /**
   * Below application.properties (250), so an explicit setting still wins. The prefix stays an
   * expression, resolved when the value is read, so it follows the active profile.
   */
  private static final int ORDINAL = 150;

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    ConfigValue host = context.getValue(HOST);
    if (host == null || host.getValue() == null) {
      return List.of();
    }
    Topics topics = new Topics("${ember.topic-prefix}");
    return List.of(
        new PropertiesConfigSource(
            Map.of(
                CHANNEL + "topic",
                topics.volumeHost(host.getValue()),
                CHANNEL + "group.id",
                "${ember.topic-prefix}-volume-" + host.getValue()),
            "ember-host-topic",
            ORDINAL));
  }
}
