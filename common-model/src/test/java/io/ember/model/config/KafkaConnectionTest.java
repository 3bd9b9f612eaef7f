package io.ember.model.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

  @Test
  void takesTheSecuritySettingsAndNothingElse() {
    Config config =
        new SmallRyeConfigBuilder()
            .withSources(
                new PropertiesConfigSource(
                    Map.of(
                        "kafka.security.protocol", "SASL_SSL",
                        "kafka.ssl.truststore.location", "/etc/ca.p12",
                        "kafka.acks", "0",
                        "kafka.bootstrap.servers", "elsewhere:9092"),
                    "test",
                    100))
            .build();
    assertEquals(
        Map.of(
            "bootstrap.servers", "kafka:9093",
            "security.protocol", "SASL_SSL",
            "ssl.truststore.location", "/etc/ca.p12"),
        KafkaConnection.settings(config, "kafka:9093"));
  }

  /** As a container sets them (the Kubernetes manifests' KAFKA_SASL_JAAS_CONFIG and so on). */
  @Test
  void readsThemFromTheEnvironment() {
    Config config =
        new SmallRyeConfigBuilder()
            .withSources(
                new EnvConfigSource(
                    Map.of(
                        "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                        "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                        "KAFKA_SASL_JAAS_CONFIG", "scram login"),
                    300) {})
            .build();
    assertEquals(
        Map.of(
            "bootstrap.servers", "kafka:9093",
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "scram login"),
        KafkaConnection.settings(config, "kafka:9093"));
  }

  @Test
  void withoutSecuritySettingsOnlyTheServers() {
    Config config = new SmallRyeConfigBuilder().build();
    assertEquals(
        Map.of("bootstrap.servers", "kafka:9093"), KafkaConnection.settings(config, "kafka:9093"));
  }
}
