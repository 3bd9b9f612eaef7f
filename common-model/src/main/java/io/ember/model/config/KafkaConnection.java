package io.ember.model.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * How Ember's own Kafka clients (outbox relay, inbox loops, reply channel, topic admin) reach the
 * broker: the bootstrap servers and the security settings configured as {@code
 * kafka.security.protocol}, {@code kafka.sasl.*} and {@code kafka.ssl.*} ({@code
 * KAFKA_SASL_JAAS_CONFIG} and so on in a container), the keys the messaging channels read too.
 * Without them these clients would not sign in where the channels do (a Strimzi SCRAM listener,
 * docs/kubernetes.md).
 */
public final class KafkaConnection {

  private KafkaConnection() {}

  public static Map<String, Object> settings(String bootstrapServers) {
    return settings(ConfigProvider.getConfig(), bootstrapServers);
  }

  /**
   * As above, from {@code config}: a bean's own injected configuration, which is the application's
   * whatever thread calls (the global lookup above goes by the thread's class loader).
   */
  public static Map<String, Object> settings(Config config, String bootstrapServers) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    for (String name : AdminClientConfig.configNames()) {
      if (name.startsWith("security.") || name.startsWith("sasl.") || name.startsWith("ssl.")) {
        config
            .getOptionalValue("kafka." + name, String.class)
            .ifPresent(v -> settings.put(name, v));
      }
    }
    return settings;
  }
}
