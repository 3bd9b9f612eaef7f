package io.ember.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ember.model.Topics;
import io.ember.model.config.SharedConfig;
import io.ember.model.topics.TopicAdmin;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The checks of a rendered overlay against the code and the schemas. Each returns what is wrong,
 * one line per problem, empty when the manifests match.
 */
final class ManifestChecks {

  /**
   * Container variables that are no configuration: $(...) helpers and the base image's JVM options.
   */
  static final Set<String> NON_CONFIG_ENV = Set.of("POD_NAME", "POD_IP", "JAVA_OPTS_APPEND");

  /** The alerts issue 24 asks for. */
  static final Set<String> ALERTS =
      Set.of(
          "EmberConsumerLag",
          "EmberOutboxAge",
          "EmberDeadLetters",
          "EmberVolumesPastDeadline",
          "EmberQuotaCorrections");

  /** What Strimzi's Kafka Exporter serves (the ones an alert may use). */
  static final Set<String> KAFKA_EXPORTER_METRICS =
      Set.of(
          "kafka_consumergroup_lag",
          "kafka_consumergroup_current_offset",
          "kafka_topic_partition_current_offset",
          "kafka_topic_partition_oldest_offset",
          "kafka_topic_partitions");

  private static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();
  private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
  private static final Pattern JDBC =
      Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/(.+)");
  private static final Pattern METRIC = Pattern.compile("\\b((?:ember|cnpg|kafka)_[a-z0-9_]+)");
  private static final Pattern TOPIC_LABEL = Pattern.compile("topic=\"([^\"]+)\"");
  private static final Pattern FROM_TABLE = Pattern.compile("\\bfrom\\s+([a-z_]+)\\b(?!\\s*\\()");

  private ManifestChecks() {}

  // ---- the services' workloads ----

  /** A Deployment or StatefulSet that runs one of the services. */
  record Workload(ObjectNode object, CodeModel.Service service, JsonNode container) {

    String name() {
      return object.path("metadata").path("name").asText();
    }

    String kind() {
      return object.path("kind").asText();
    }

    /** A StatefulSet's pods by their names; a Deployment's one stands for all. */
    List<String> pods() {
      if (!kind().equals("StatefulSet")) {
        return List.of(name() + "-pod");
      }
      List<String> pods = new ArrayList<>();
      for (int i = 0; i < object.path("spec").path("replicas").asInt(1); i++) {
        pods.add(name() + "-" + i);
      }
      return pods;
    }

    /** The literal variables of the container in pod {@code pod}, $(...) references expanded. */
    Map<String, String> env(String pod) {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("POD_NAME", pod);
      env.put("POD_IP", "10.0.0.1");
      for (JsonNode e : container.path("env")) {
        if (e.has("value")) {
          Matcher m = VAR.matcher(e.path("value").asText());
          StringBuilder value = new StringBuilder();
          while (m.find()) {
            m.appendReplacement(
                value, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
          }
          m.appendTail(value);
          env.put(e.path("name").asText(), value.toString());
        }
      }
      return env;
    }

    /** The Secret a variable comes from, or null. */
    String secretOf(String variable) {
      for (JsonNode e : container.path("env")) {
        if (e.path("name").asText().equals(variable)) {
          JsonNode ref = e.path("valueFrom").path("secretKeyRef");
          return ref.isMissingNode() ? null : ref.path("name").asText();
        }
      }
      return null;
    }
  }

  static List<Workload> workloads(Rendered r, List<String> problems) {
    List<Workload> out = new ArrayList<>();
    for (String kind : List.of("Deployment", "StatefulSet")) {
      for (ObjectNode o : r.ofKind(kind)) {
        for (JsonNode c : o.path("spec").path("template").path("spec").path("containers")) {
          String image = c.path("image").asText();
          String module = image.replaceAll(".*/", "").replaceAll(":.*", "");
          CodeModel.Service service = CodeModel.service(module);
          if (service == null) {
            problems.add(
                kind
                    + " "
                    + o.path("metadata").path("name").asText()
                    + ": image "
                    + image
                    + " is none of the services' (ember/<module>)");
          } else {
            out.add(new Workload(o, service, c));
          }
        }
      }
    }
    return out;
  }

  static List<Workload> workloads(Rendered r) {
    return workloads(r, new ArrayList<>());
  }

  /** The command topics of the overlay's volume hosts, from each pod's EMBER_HOST. */
  static Set<String> hostTopics(Rendered r) {
    Topics topics = CodeModel.topics();
    Set<String> out = new TreeSet<>();
    for (Workload w : workloads(r)) {
      if (w.service().module().equals("volume-service")) {
        for (String pod : w.pods()) {
          out.add(topics.volumeHost(w.env(pod).get("EMBER_HOST")));
        }
      }
    }
    return out;
  }

  // ---- every object valid ----

  static List<String> validity(Rendered r, CrdSchemas crds) {
    List<String> problems = new ArrayList<>();
    for (ObjectNode o : r.objects) {
      String id = o.path("kind").asText() + " " + o.path("metadata").path("name").asText();
      if (crds.covers(o)) {
        crds.validate(o).forEach(m -> problems.add(id + ": " + m));
      } else if (o.path("apiVersion").asText().startsWith("monitoring.coreos.com/")) {
        // The Prometheus operator's kinds: no schema pinned; their content is checked below.
        continue;
      } else {
        Object parsed = FABRIC8.unmarshal(o.toString());
        if (parsed instanceof GenericKubernetesResource) {
          problems.add(
              id
                  + ": a kind neither Kubernetes' nor a pinned CRD's ("
                  + o.path("apiVersion").asText()
                  + ")");
        } else {
          unknownFields(parsed, id, problems);
        }
      }
    }
    return problems;
  }

  /**
   * Fields fabric8's model does not know end up in additionalProperties: a typo, or a wrong level.
   */
  private static void unknownFields(Object o, String path, List<String> problems) {
    if (o == null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object item : c) {
        unknownFields(item, path + "[" + i++ + "]", problems);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : o.getClass().getMethods()) {
      if (!getter.getName().startsWith("get")
          || getter.getParameterCount() > 0
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      try {
        Object value = getter.invoke(o);
        if (getter.getName().equals("getAdditionalProperties")) {
          if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
            problems.add(path + ": unknown field(s) " + extra.keySet());
          }
        } else {
          unknownFields(value, path + "." + getter.getName().substring(3), problems);
        }
      } catch (InvocationTargetException e) {
        problems.add(path + "." + getter.getName().substring(3) + ": " + e.getCause().getMessage());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  // ---- topics ----

  static List<String> topics(Rendered r) {
    List<String> problems = new ArrayList<>();
    Topics topics = CodeModel.topics();
    Set<String> expected = new TreeSet<>(topics.shared());
    expected.addAll(hostTopics(r));
    Map<String, JsonNode> actual = new TreeMap<>();
    for (ObjectNode t : r.ofKind("KafkaTopic")) {
      String name =
          t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText());
      actual.put(name, t);
    }
    for (String missing : difference(expected, actual.keySet())) {
      problems.add("topic " + missing + ": used by the code, no KafkaTopic");
    }
    for (String extra : difference(actual.keySet(), expected)) {
      problems.add("KafkaTopic " + extra + ": not a topic the code uses");
    }
    ObjectNode kafka = single(r, "Kafka", problems);
    if (kafka == null) {
      return problems;
    }
    String cluster = kafka.path("metadata").path("name").asText();
    JsonNode config = kafka.path("spec").path("kafka").path("config");
    int replication = config.path("default.replication.factor").asInt(1);
    int brokers = 0;
    for (ObjectNode pool : r.ofKind("KafkaNodePool")) {
      if (pool.path("spec").path("roles").toString().contains("\"broker\"")) {
        brokers += pool.path("spec").path("replicas").asInt();
      }
    }
    if (replication > brokers || config.path("min.insync.replicas").asInt(1) > replication) {
      problems.add(
          "Kafka "
              + cluster
              + ": replication "
              + replication
              + " with "
              + brokers
              + " brokers and min.insync.replicas "
              + config.path("min.insync.replicas"));
    }
    Set<String> compacted = topics.compacted();
    Map<String, String> retained =
        TopicAdmin.retention(
            CodeModel.duration(
                CodeModel.withDefault(SharedConfig.Notifications.class, "retention")));
    for (String name : expected) {
      JsonNode t = actual.get(name);
      if (t == null) {
        continue;
      }
      JsonNode spec = t.path("spec");
      if (spec.path("partitions").asInt() != TopicAdmin.PARTITIONS) {
        problems.add(
            "KafkaTopic "
                + name
                + ": "
                + spec.path("partitions")
                + " partitions, the code "
                + "makes "
                + TopicAdmin.PARTITIONS);
      }
      if (spec.path("replicas").asInt() != replication) {
        problems.add(
            "KafkaTopic "
                + name
                + ": "
                + spec.path("replicas")
                + " replicas, the cluster's default.replication.factor is "
                + replication);
      }
      Map<String, String> want =
          compacted.contains(name)
              ? TopicAdmin.COMPACTED
              : name.equals(topics.notifications()) ? retained : Map.of();
      Map<String, String> have = new TreeMap<>();
      spec.path("config").properties().forEach(e -> have.put(e.getKey(), e.getValue().asText()));
      if (!have.equals(new TreeMap<>(want))) {
        problems.add(
            "KafkaTopic " + name + ": config " + have + ", the code sets " + new TreeMap<>(want));
      }
      if (!cluster.equals(t.path("metadata").path("labels").path("strimzi.io/cluster").asText())) {
        problems.add("KafkaTopic " + name + ": not labelled for the cluster " + cluster);
      }
    }
    return problems;
  }

  // ---- users and their ACLs ----

  static List<String> users(Rendered r) {
    List<String> problems = new ArrayList<>();
    Set<String> hosts = hostTopics(r);
    Set<String> names = new TreeSet<>();
    for (CodeModel.Service s : CodeModel.SERVICES) {
      names.add(s.name());
      CodeModel.Use use = CodeModel.use(s, hosts);
      use.unclassified()
          .forEach(
              u ->
                  problems.add(
                      s.module()
                          + ": "
                          + u
                          + " is neither in an inbound nor an outbound package: read or written?"));
      for (String group : CodeModel.groupIds(s)) {
        if (!group.startsWith(s.name())) {
          problems.add(
              s.module() + ": consumer group " + group + " is outside its ACL prefix " + s.name());
        }
      }
      ObjectNode user = r.named("KafkaUser", s.name());
      if (user == null) {
        problems.add("KafkaUser " + s.name() + ": missing");
        continue;
      }
      Map<String, Set<String>> have = new TreeMap<>();
      for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
        JsonNode res = acl.path("resource");
        if (!acl.path("type").asText("allow").equals("allow")) {
          problems.add("KafkaUser " + s.name() + ": a deny ACL " + acl);
        }
        Set<String> ops =
            have.computeIfAbsent(
                res.path("type").asText()
                    + ":"
                    + res.path("patternType").asText("literal")
                    + ":"
                    + res.path("name").asText(),
                k -> new TreeSet<>());
        acl.path("operations").forEach(op -> ops.add(op.asText()));
      }
      Map<String, Set<String>> want = CodeModel.acls(s, hosts);
      for (String key : union(have.keySet(), want.keySet())) {
        if (!Objects.equals(have.get(key), want.get(key))) {
          problems.add(
              "KafkaUser "
                  + s.name()
                  + ": "
                  + key
                  + " allows "
                  + have.get(key)
                  + ", the code uses "
                  + want.get(key));
        }
      }
    }
    for (ObjectNode user : r.ofKind("KafkaUser")) {
      if (!names.contains(user.path("metadata").path("name").asText())) {
        problems.add(
            "KafkaUser " + user.path("metadata").path("name").asText() + ": no such service");
      }
    }
    return problems;
  }

  // ---- configuration keys ----

  static List<String> configKeys(Rendered r) {
    List<String> problems = new ArrayList<>();
    for (Workload w : workloads(r, problems)) {
      CodeModel.Keys keys = CodeModel.keys(w.service());
      String values = w.container().path("env").toString();
      for (JsonNode e : w.container().path("env")) {
        String name = e.path("name").asText();
        if (NON_CONFIG_ENV.contains(name)) {
          if (name.startsWith("POD_") && !values.contains("$(" + name + ")")) {
            problems.add(w.name() + ": " + name + " is set for nothing");
          }
        } else if (!keys.hasEnv(name)) {
          problems.add(
              w.name() + ": " + name + " is no configuration key of " + w.service().module());
        }
      }
    }
    return problems;
  }

  // ---- probes and ports ----

  static List<String> probes(Rendered r) {
    List<String> problems = new ArrayList<>();
    for (Workload w : workloads(r, problems)) {
      Map<String, String> props = w.service().properties();
      String root = "/" + props.getOrDefault("quarkus.http.non-application-root-path", "q");
      int port =
          Integer.parseInt(
              w.env(w.pods().get(0))
                  .getOrDefault("QUARKUS_HTTP_PORT", String.valueOf(w.service().httpPort())));
      Map<String, Integer> ports = new HashMap<>();
      for (JsonNode p : w.container().path("ports")) {
        ports.put(p.path("name").asText(), p.path("containerPort").asInt());
      }
      if (!Integer.valueOf(port).equals(ports.get("http"))) {
        problems.add(
            w.name()
                + ": container port http is "
                + ports.get("http")
                + ", the service listens on "
                + port);
      }
      Map<String, String> paths =
          Map.of(
              "livenessProbe", root + "/health/live",
              "readinessProbe", root + "/health/ready",
              "startupProbe", root + "/health/started");
      paths.forEach(
          (probe, path) -> {
            JsonNode get = w.container().path(probe).path("httpGet");
            if (get.isMissingNode()) {
              if (!probe.equals("startupProbe")) {
                problems.add(w.name() + ": no " + probe);
              }
              return;
            }
            if (!get.path("path").asText().equals(path)) {
              problems.add(
                  w.name() + ": " + probe + " on " + get.path("path").asText() + ", not " + path);
            }
            if (resolve(get.path("port"), ports) != port) {
              problems.add(
                  w.name()
                      + ": "
                      + probe
                      + " on port "
                      + get.path("port").asText()
                      + ", not "
                      + port);
            }
          });
      JsonNode labels = w.object().path("spec").path("template").path("metadata").path("labels");
      for (ObjectNode svc : r.ofKind("Service")) {
        JsonNode selector = svc.path("spec").path("selector");
        if (selector.isEmpty() || !matches(selector, labels)) {
          continue;
        }
        for (JsonNode p : svc.path("spec").path("ports")) {
          if (resolve(
                  p.path("targetPort").isMissingNode() ? p.path("port") : p.path("targetPort"),
                  ports)
              != port) {
            problems.add(
                "Service "
                    + svc.path("metadata").path("name").asText()
                    + ": port "
                    + p.path("name").asText()
                    + " does not reach "
                    + port);
          }
        }
      }
    }
    for (ObjectNode monitor : r.ofKind("ServiceMonitor")) {
      for (JsonNode ep : monitor.path("spec").path("endpoints")) {
        if (!ep.path("path").asText().equals("/q/metrics")
            || !ep.path("port").asText().equals("http")) {
          problems.add(
              "ServiceMonitor "
                  + monitor.path("metadata").path("name").asText()
                  + ": scrapes "
                  + ep.path("port").asText()
                  + ep.path("path").asText()
                  + ", not http/q/metrics");
        }
      }
    }
    return problems;
  }

  private static int resolve(JsonNode port, Map<String, Integer> named) {
    return port.isNumber() ? port.asInt() : named.getOrDefault(port.asText(), -1);
  }

  private static boolean matches(JsonNode selector, JsonNode labels) {
    for (Map.Entry<String, JsonNode> e : selector.properties()) {
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }

  // ---- Secrets, Kafka and database wiring ----

  static List<String> wiring(Rendered r) {
    List<String> problems = new ArrayList<>();
    Set<String> rendered =
        r.ofKind("Secret").stream()
            .map(s -> s.path("metadata").path("name").asText())
            .collect(Collectors.toSet());
    Set<String> kafkaUsers =
        r.ofKind("KafkaUser").stream()
            .map(s -> s.path("metadata").path("name").asText())
            .collect(Collectors.toSet());
    Set<String> external = externalSecrets(r.overlay);
    ObjectNode kafka = single(r, "Kafka", problems);
    ObjectNode cluster = single(r, "Cluster", problems);
    if (kafka == null || cluster == null) {
      return problems;
    }
    Map<String, String> roleBySecret = new HashMap<>();
    for (JsonNode role : cluster.path("spec").path("managed").path("roles")) {
      String secret = role.path("passwordSecret").path("name").asText();
      roleBySecret.put(secret, role.path("name").asText());
      if (!rendered.contains(secret) && !external.contains(secret)) {
        problems.add(
            "Cluster role " + role.path("name").asText() + ": Secret " + secret + " is nowhere");
      }
    }
    JsonNode listener = null;
    for (JsonNode l : kafka.path("spec").path("kafka").path("listeners")) {
      if (l.path("authentication").path("type").asText().equals("scram-sha-512")) {
        listener = l;
      }
    }
    for (Workload w : workloads(r, problems)) {
      for (JsonNode e : w.container().path("env")) {
        JsonNode ref = e.path("valueFrom").path("secretKeyRef");
        String secret = ref.path("name").asText(null);
        if (secret == null) {
          continue;
        }
        boolean known =
            rendered.contains(secret) && hasKey(r.named("Secret", secret), ref.path("key").asText())
                || kafkaUsers.contains(secret)
                    && Set.of("password", "sasl.jaas.config").contains(ref.path("key").asText())
                || external.contains(secret);
        if (!known) {
          problems.add(
              w.name()
                  + ": "
                  + e.path("name").asText()
                  + " reads "
                  + secret
                  + "/"
                  + ref.path("key").asText()
                  + ", which nothing makes");
        }
      }
      if (!w.service().name().equals(w.secretOf("KAFKA_SASL_JAAS_CONFIG"))) {
        problems.add(
            w.name()
                + ": signs in to Kafka as "
                + w.secretOf("KAFKA_SASL_JAAS_CONFIG")
                + ", not as its KafkaUser "
                + w.service().name());
      }
      String pod = w.pods().get(0);
      Map<String, String> env = w.env(pod);
      String bootstrap =
          listener == null
              ? null
              : kafka.path("metadata").path("name").asText()
                  + "-kafka-bootstrap:"
                  + listener.path("port").asInt();
      if (!Objects.equals(bootstrap, env.get("KAFKA_BOOTSTRAP_SERVERS"))
          || !"SCRAM-SHA-512".equals(env.get("KAFKA_SASL_MECHANISM"))
          || !(listener.path("tls").asBoolean() ? "SASL_SSL" : "SASL_PLAINTEXT")
              .equals(env.get("KAFKA_SECURITY_PROTOCOL"))) {
        problems.add(
            w.name()
                + ": Kafka "
                + env.get("KAFKA_BOOTSTRAP_SERVERS")
                + " "
                + env.get("KAFKA_SECURITY_PROTOCOL")
                + " "
                + env.get("KAFKA_SASL_MECHANISM")
                + " is not the SCRAM listener "
                + bootstrap);
      }
      String role = roleBySecret.get(w.secretOf("QUARKUS_DATASOURCE_PASSWORD"));
      if (role == null
          || !Objects.equals(
              w.secretOf("QUARKUS_DATASOURCE_PASSWORD"),
              w.secretOf("QUARKUS_DATASOURCE_USERNAME"))) {
        problems.add(
            w.name()
                + ": its database credentials are not a role of "
                + cluster.path("metadata").path("name").asText());
      }
      for (String p : w.pods()) {
        String url = w.env(p).getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", "");
        Matcher m = JDBC.matcher(url);
        String clusterName = cluster.path("metadata").path("name").asText();
        if (!m.matches() || !m.group(1).equals(clusterName + "-rw")) {
          problems.add(p + ": database " + url + " is not the primary of " + clusterName);
          continue;
        }
        ObjectNode db =
            r.ofKind("Database").stream()
                .filter(
                    d ->
                        d.path("spec").path("name").asText().equals(m.group(3))
                            && d.path("spec")
                                .path("cluster")
                                .path("name")
                                .asText()
                                .equals(clusterName))
                .findFirst()
                .orElse(null);
        if (db == null) {
          problems.add(p + ": no Database " + m.group(3) + " in " + clusterName);
        } else if (!db.path("spec").path("owner").asText().equals(role)) {
          problems.add(
              p
                  + ": Database "
                  + m.group(3)
                  + " is owned by "
                  + db.path("spec").path("owner").asText()
                  + ", the service signs in as "
                  + role);
        }
      }
    }
    return problems;
  }

  private static boolean hasKey(ObjectNode secret, String key) {
    return secret.path("data").has(key) || secret.path("stringData").has(key);
  }

  /** Secrets an overlay expects to exist before it is applied (overlays/x/external-secrets.txt). */
  static Set<String> externalSecrets(String overlay) {
    Path file = Repo.module().resolve("overlays").resolve(overlay).resolve("external-secrets.txt");
    if (!Files.exists(file)) {
      return Set.of();
    }
    return Repo.read(file)
        .lines()
        .map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .collect(Collectors.toSet());
  }

  // ---- alerts ----

  static List<String> alerts(Rendered r) {
    List<String> problems = new ArrayList<>();
    Set<String> emberMetrics = CodeModel.metricNames();
    Set<String> dbMetrics = new TreeSet<>();
    Set<String> tables = tables();
    ObjectNode cluster = single(r, "Cluster", problems);
    ObjectNode kafka = single(r, "Kafka", problems);
    if (cluster == null || kafka == null) {
      return problems;
    }
    for (JsonNode ref : cluster.path("spec").path("monitoring").path("customQueriesConfigMap")) {
      ObjectNode map = r.named("ConfigMap", ref.path("name").asText());
      if (map == null) {
        problems.add("Cluster: custom queries " + ref.path("name").asText() + " missing");
        continue;
      }
      JsonNode queries = readYaml(map.path("data").path(ref.path("key").asText()).asText(""));
      queries
          .properties()
          .forEach(
              q -> {
                Matcher from = FROM_TABLE.matcher(q.getValue().path("query").asText());
                while (from.find()) {
                  if (!tables.contains(from.group(1))) {
                    problems.add(
                        "query "
                            + q.getKey()
                            + ": no table "
                            + from.group(1)
                            + " in the migrations");
                  }
                }
                for (JsonNode metric : q.getValue().path("metrics")) {
                  metric
                      .properties()
                      .forEach(
                          c -> {
                            if (!c.getValue().path("usage").asText().equals("LABEL")) {
                              dbMetrics.add("cnpg_" + q.getKey() + "_" + c.getKey());
                            }
                          });
                }
              });
    }
    Set<String> topics = new TreeSet<>(CodeModel.topics().shared());
    Set<String> named = new TreeSet<>();
    for (ObjectNode rule : r.ofKind("PrometheusRule")) {
      for (JsonNode group : rule.path("spec").path("groups")) {
        for (JsonNode alert : group.path("rules")) {
          named.add(alert.path("alert").asText());
          String expr = alert.path("expr").asText();
          Matcher m = METRIC.matcher(expr);
          while (m.find()) {
            String metric = m.group(1);
            boolean known =
                metric.startsWith("ember_")
                    ? emberMetrics.contains(metric)
                    : metric.startsWith("cnpg_")
                        ? dbMetrics.contains(metric)
                        : KAFKA_EXPORTER_METRICS.contains(metric)
                            && kafka.path("spec").has("kafkaExporter");
            if (!known) {
              problems.add(
                  "alert " + alert.path("alert").asText() + ": " + metric + " is not exposed");
            }
          }
          Matcher t = TOPIC_LABEL.matcher(expr);
          while (t.find()) {
            if (!topics.contains(t.group(1))) {
              problems.add("alert " + alert.path("alert").asText() + ": no topic " + t.group(1));
            }
          }
        }
      }
    }
    for (String missing : difference(ALERTS, named)) {
      problems.add("PrometheusRule: no alert " + missing);
    }
    return problems;
  }

  /** Tables the migrations of the services create (the custom queries read them). */
  private static Set<String> tables() {
    Set<String> tables = new TreeSet<>();
    Pattern create = Pattern.compile("create table (?:if not exists )?([a-z_]+)");
    for (String dir :
        List.of(
            "common-model/src/main/resources/db/messaging",
            "api-service/src/main/resources/db/migration",
            "volume-service/src/main/resources/db/migration")) {
      try (var files = Files.list(Repo.root().resolve(dir))) {
        for (Path f : files.toList()) {
          Matcher m = create.matcher(Repo.read(f).toLowerCase(java.util.Locale.ROOT));
          while (m.find()) {
            tables.add(m.group(1));
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return tables;
  }

  // ---- helpers ----

  private static JsonNode readYaml(String text) {
    try {
      return Rendered.YAML.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ObjectNode single(Rendered r, String kind, List<String> problems) {
    List<ObjectNode> all = r.ofKind(kind);
    if (all.size() != 1) {
      problems.add(all.size() + " " + kind + " objects, not one");
      return null;
    }
    return all.get(0);
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new TreeSet<>(a);
    u.addAll(b);
    return u;
  }
}
