package io.ember.kubernetes;

import io.ember.api.config.ApiConfig;
import io.ember.model.Topics;
import io.ember.model.config.SharedConfig;
import io.ember.scheduler.config.SchedulerConfig;
import io.ember.volume.config.VolumeHostConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What the code says the manifests must match: each service's configuration keys, HTTP port and
 * topics (read from its sources, application.properties and config mappings, never restated).
 */
final class CodeModel {

  /** One of the three services: its module, its configuration and what it does with topics. */
  record Service(String module, List<Class<?>> mappings) {

    Map<String, String> properties() {
      return Repo.properties(module);
    }

    /** quarkus.application.name: also its KafkaUser, workload and consumer-group prefix. */
    String name() {
      return properties().get("quarkus.application.name");
    }

    int httpPort() {
      return Integer.parseInt(properties().get("quarkus.http.port"));
    }
  }

  static final List<Service> SERVICES =
      List.of(
          new Service("api-service", List.of(SharedConfig.class, ApiConfig.class)),
          new Service("scheduler-service", List.of(SharedConfig.class, SchedulerConfig.class)),
          new Service("volume-service", List.of(SharedConfig.class, VolumeHostConfig.class)));

  static Service service(String module) {
    return SERVICES.stream().filter(s -> s.module().equals(module)).findFirst().orElse(null);
  }

  /** The deployment's topic names: the prefix every service is configured with. */
  static Topics topics() {
    Set<String> prefixes = new HashSet<>();
    SERVICES.forEach(s -> prefixes.add(s.properties().get("ember.topic-prefix")));
    if (prefixes.size() != 1) {
      throw new IllegalStateException("services disagree on ember.topic-prefix: " + prefixes);
    }
    return new Topics(prefixes.iterator().next());
  }

  /** The reply topics of the API's processes (Topics.replies), one name per process. */
  static String replyPrefix() {
    String one = topics().replies("x");
    return one.substring(0, one.length() - 1);
  }

  // ---- configuration keys ----

  /** Keys the service reads: its properties and its mappings' leaves; maps as prefixes. */
  record Keys(Set<String> exact, Set<String> prefixes) {

    boolean hasEnv(String env) {
      if (exact.stream().anyMatch(k -> env(k).equals(env))) {
        return true;
      }
      if (prefixes.stream().anyMatch(p -> env.startsWith(env(p) + "_"))) {
        return true;
      }
      // Kafka client settings pass through as kafka.* (smallrye's default Kafka configuration).
      if (env.startsWith("KAFKA_")) {
        String name = env.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
        return ProducerConfig.configNames().contains(name)
            || ConsumerConfig.configNames().contains(name)
            || AdminClientConfig.configNames().contains(name);
      }
      return false;
    }
  }

  /** Quarkus' environment name of a key: upper case, anything not a letter or digit a '_'. */
  static String env(String key) {
    return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  static Keys keys(Service service) {
    Set<String> exact = new TreeSet<>(service.properties().keySet());
    Set<String> prefixes = new TreeSet<>();
    for (Class<?> mapping : service.mappings()) {
      mappingKeys(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), exact, prefixes);
    }
    return new Keys(exact, prefixes);
  }

  private static void mappingKeys(
      Class<?> type, String prefix, Set<String> exact, Set<String> prefixes) {
    for (Method m : type.getMethods()) {
      if (m.isDefault() || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0) {
        continue;
      }
      WithName named = m.getAnnotation(WithName.class);
      String key = prefix + "." + (named != null ? named.value() : kebab(m.getName()));
      Class<?> result = m.getReturnType();
      if (result == Optional.class
          && m.getGenericReturnType() instanceof ParameterizedType p
          && p.getActualTypeArguments()[0] instanceof Class<?> c) {
        result = c;
      }
      if (Map.class.isAssignableFrom(result)) {
        prefixes.add(key);
      } else if (result.isInterface()
          && !Collection.class.isAssignableFrom(result)
          && !result.getName().startsWith("java.")) {
        mappingKeys(result, key, exact, prefixes);
      } else {
        exact.add(key);
      }
    }
  }

  private static String kebab(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /** A mapping's default, e.g. SharedConfig's notifications retention. */
  static String withDefault(Class<?> type, String method) {
    try {
      return type.getMethod(method).getAnnotation(WithDefault.class).value();
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The duration syntax of Quarkus' configuration: a number and unit (ms, s, m, h, d) or ISO. */
  static Duration duration(String text) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(text);
    if (!m.matches()) {
      return Duration.parse(text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  // ---- topic use ----

  private static final Pattern TOPIC_CALL = Pattern.compile("\\btopics\\.(\\w+)\\(");
  private static final Pattern CHANNEL_TOPIC =
      Pattern.compile(
          "mp\\.messaging\\.(incoming|outgoing)\\.[\\w-]+\\.(dead-letter-queue\\.)?topic");

  /** The topics a service reads and writes; reply topics under {@link #replyPrefix()}. */
  record Use(Set<String> reads, Set<String> writes, List<String> unclassified) {}

  /**
   * From the code: a {@code topics.x()} call in an {@code inbound} package is a topic read, in an
   * {@code outbound} one a topic written (packages by role); channels of application.properties
   * likewise; the reply topic is read by a service that listens for replies and written by one that
   * sends them.
   *
   * @param hostTopics the command topics of the deployment's volume hosts
   */
  static Use use(Service service, Set<String> hostTopics) {
    Topics topics = topics();
    Set<String> reads = new TreeSet<>();
    Set<String> writes = new TreeSet<>();
    List<String> unclassified = new java.util.ArrayList<>();
    for (Path file : Repo.javaSources(service.module())) {
      String text = Repo.read(file);
      String path = file.toString().replace('\\', '/');
      Matcher m = TOPIC_CALL.matcher(text);
      while (m.find()) {
        Set<String> named = topicsOf(topics, m.group(1), hostTopics);
        if (named.isEmpty()) {
          continue;
        }
        if (path.contains("/inbound/")) {
          reads.addAll(named);
        } else if (path.contains("/outbound/")) {
          writes.addAll(named);
        } else {
          unclassified.add(file.getFileName() + ": topics." + m.group(1));
        }
      }
      if (text.contains("import io.ember.model.reply.ReplySender;")) {
        writes.add(replyPrefix());
      }
    }
    service
        .properties()
        .forEach(
            (key, value) -> {
              Matcher m = CHANNEL_TOPIC.matcher(key);
              if (m.matches()) {
                String topic = value.replace("${ember.topic-prefix}", topics.prefix());
                if (m.group(1).equals("incoming") && m.group(2) == null) {
                  reads.add(topic);
                } else {
                  writes.add(topic);
                }
              }
            });
    if ("true".equals(service.properties().get("ember.reply.listen"))) {
      reads.add(replyPrefix());
    }
    return new Use(reads, writes, unclassified);
  }

  private static Set<String> topicsOf(Topics topics, String method, Set<String> hostTopics) {
    return switch (method) {
      case "volumeHost" -> hostTopics;
      case "replies" -> Set.of(replyPrefix());
      case "prefix" -> Set.of();
      default -> {
        try {
          yield Set.of((String) Topics.class.getMethod(method).invoke(topics));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("Topics." + method + "() is not a topic name", e);
        }
      }
    };
  }

  /**
   * The ACLs a service's KafkaUser must have, by "type:pattern:name": Read and Write for its use;
   * Describe on every topic it uses and on every shared one (its TopicSetup lists them); and
   * AlterConfigs where TopicSetup sets configs (compacted and retained topics) or the reply channel
   * does (its own topic, which it also creates).
   */
  static Map<String, Set<String>> acls(Service service, Set<String> hostTopics) {
    Topics topics = topics();
    Use use = use(service, hostTopics);
    Set<String> configured = new HashSet<>(topics.compacted());
    configured.add(topics.notifications());
    Set<String> all = new TreeSet<>(topics.shared());
    all.addAll(use.reads());
    all.addAll(use.writes());
    Map<String, Set<String>> acls = new TreeMap<>();
    for (String topic : all) {
      boolean reply = topic.equals(replyPrefix());
      Set<String> ops = new TreeSet<>();
      ops.add("Describe");
      if (use.reads().contains(topic)) {
        ops.add("Read");
        if (reply) {
          ops.add("Create");
          ops.add("AlterConfigs");
        }
      }
      if (use.writes().contains(topic)) {
        ops.add("Write");
      }
      if (configured.contains(topic)) {
        ops.add("AlterConfigs");
      }
      acls.put("topic:" + (reply ? "prefix" : "literal") + ":" + topic, ops);
    }
    if (!use.reads().isEmpty()) {
      acls.put("group:prefix:" + service.name(), new TreeSet<>(Set.of("Read")));
    }
    return acls;
  }

  /** Every consumer group a service joins starts with its name (its KafkaUser's group ACL). */
  static List<String> groupIds(Service service) {
    Map<String, String> out = new LinkedHashMap<>();
    service
        .properties()
        .forEach(
            (k, v) -> {
              if (k.endsWith(".group.id")) {
                out.put(k, v);
              }
            });
    for (Class<?> mapping : service.mappings()) {
      for (Method m : mapping.getMethods()) {
        if (m.getName().equals("consumerGroup")) {
          out.put(mapping.getSimpleName() + ".consumerGroup", withDefault(mapping, m.getName()));
        }
      }
    }
    return out.values().stream().toList();
  }

  // ---- meters ----

  private static final Pattern METER_NAME = Pattern.compile("\"(ember\\.[a-z0-9_.]+)\"");

  /**
   * The Prometheus names of the meters the code registers: the "ember.*" names in sources that use
   * Micrometer, with the suffixes Micrometer's Prometheus registry gives timers and counters.
   */
  static Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    for (String module :
        List.of("common-model", "api-service", "scheduler-service", "volume-service")) {
      for (Path file : Repo.javaSources(module)) {
        String text = Repo.read(file);
        if (!text.contains("io.micrometer")) {
          continue;
        }
        Matcher m = METER_NAME.matcher(text);
        while (m.find()) {
          String base = m.group(1).replace('.', '_');
          names.add(base);
          names.add(base + "_total");
          for (String suffix : List.of("count", "sum", "max", "bucket")) {
            names.add(base + "_seconds_" + suffix);
          }
        }
      }
    }
    return names;
  }
}
