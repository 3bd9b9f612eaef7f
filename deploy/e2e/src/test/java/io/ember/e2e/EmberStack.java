package io.ember.e2e;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The whole of Ember as separate processes, as it runs for real: api-service, scheduler-service and
 * two volume-service hosts, each its own JVM from its {@code quarkus-run.jar}, on the real broker
 * and database, with a topic prefix of their own so nothing else on the broker interferes.
 */
final class EmberStack implements AutoCloseable {

  static final List<String> HOSTS = List.of("node1@fake", "node2@fake");

  /**
   * How the two volume hosts differ, as in deploy/local/ember, so that volume types steer
   * placement: node1 thin with the custom capability {@code tier=gold}, node2 thick and 20 times
   * larger (the same virtual free capacity, so untyped volumes still spread over both). Both report
   * {@code volume_backend_name} {@code fake}.
   */
  static final Map<String, List<String>> HOST_PROPERTIES =
      Map.of(
          "node1@fake",
          List.of("-Dember.fake.provisioning=thin", "-Dember.capabilities.extra.tier=gold"),
          "node2@fake",
          List.of("-Dember.fake.provisioning=thick", "-Dember.fake.total-capacity-gb=20000"));

  private final Path root;
  private Path logs;
  private final String topicPrefix = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Service> services = new ArrayList<>();
  private int apiPort;
  // The shared stack's; a dedicated one ({@link #dedicated}) has its own.
  private String databasePrefix = "ember_e2e_";
  private List<String> hosts = HOSTS;
  private Map<String, String> apiSettings = Map.of();
  private Map<String, String> hostSettings = Map.of();
  private Map<String, List<String>> hostProperties = HOST_PROPERTIES;
  // Processes of the api and of the scheduler: the first of each, then its replicas.
  private int apis = 1;
  private int schedulers = 1;
  private final AtomicInteger nextApi = new AtomicInteger();

  private record Service(String name, Process process, int port, Path log) {}

  private static EmberStack shared;

  /**
   * How many api and how many scheduler processes the shared stack runs: {@code
   * -Dember.e2e.replicas} (deploy/e2e's pom passes it on), 2 unless told. With 2, every end-to-end
   * test runs against replicas, as the issue asks: the clients spread their requests over the apis,
   * and each kind's processes share their database.
   */
  static int sharedReplicas() {
    return Integer.getInteger("ember.e2e.replicas", 2);
  }

  /**
   * The one stack every end-to-end test class uses (starting its JVMs once, not per class): {@link
   * #sharedReplicas} api and scheduler processes, and both volume hosts. It stops when the test JVM
   * exits.
   */
  static synchronized EmberStack shared() throws Exception {
    if (shared == null) {
      EmberStack stack = new EmberStack();
      stack.apis = sharedReplicas();
      stack.schedulers = sharedReplicas();
      // A call to a stopped host (AttachmentsCliE2ETest) fails after this, not Cinder's 60 s.
      stack.apiSettings = Map.of("EMBER_REPLY_TIMEOUT", "20s");
      Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
      shared = stack.start();
    }
    return shared;
  }

  /**
   * A stack of its own, for settings the shared one does not have: api (on {@code apiPort}, with
   * {@code apiSettings} added to its environment), scheduler and one volume host, on the databases
   * {@code ember_e2e_<name>_api}, {@code _scheduler}, {@code _volume_node1} (which must exist). The
   * caller closes it.
   */
  static EmberStack dedicated(String name, int apiPort, Map<String, String> apiSettings)
      throws Exception {
    EmberStack stack = new EmberStack();
    stack.databasePrefix = "ember_e2e_" + name + "_";
    stack.logs = stack.logs.resolve(name);
    stack.hosts = List.of(HOSTS.get(0));
    stack.apiSettings = Map.copyOf(apiSettings);
    stack.apiPort = apiPort;
    try {
      return stack.start();
    } catch (Exception e) {
      stack.close();
      throw e;
    }
  }

  /**
   * A stack of its own with {@code apis} api and {@code schedulers} scheduler processes (each kind
   * sharing its database, as replicas do) and both volume hosts, on the databases {@link
   * #replicaDatabases}({@code name}) (which must exist). {@code hostProperties} replaces {@link
   * #HOST_PROPERTIES}; {@code apiSettings} and {@code hostSettings} go to the environment of every
   * api and every volume host. The caller closes it.
   */
  static EmberStack replicas(
      String name,
      int apis,
      int schedulers,
      Map<String, String> apiSettings,
      Map<String, String> hostSettings,
      Map<String, List<String>> hostProperties)
      throws Exception {
    EmberStack stack = new EmberStack();
    stack.databasePrefix = "ember_e2e_" + name + "_";
    stack.logs = stack.logs.resolve(name);
    stack.apis = apis;
    stack.schedulers = schedulers;
    stack.apiSettings = Map.copyOf(apiSettings);
    stack.hostSettings = Map.copyOf(hostSettings);
    stack.hostProperties = Map.copyOf(hostProperties);
    try {
      return stack.start();
    } catch (Exception e) {
      stack.close();
      throw e;
    }
  }

  /** The databases a {@link #replicas} stack named {@code name} uses. */
  static List<String> replicaDatabases(String name) {
    String prefix = "ember_e2e_" + name + "_";
    return List.of(
        prefix + "api", prefix + "scheduler", prefix + "volume_node1", prefix + "volume_node2");
  }

  /** The databases a {@link #dedicated} stack named {@code name} uses. */
  static List<String> databases(String name) {
    String prefix = "ember_e2e_" + name + "_";
    return List.of(prefix + "api", prefix + "scheduler", prefix + "volume_node1");
  }

  static int freeApiPort() throws IOException {
    return freePort();
  }

  private EmberStack() {
    root = Path.of(System.getProperty("ember.root", "../.."));
    logs = root.resolve("deploy/e2e/target/e2e-logs");
  }

  /** Starts every process and waits until each reports ready. */
  EmberStack start() throws Exception {
    Files.createDirectories(logs);
    placeImages();
    if (apiPort == 0) {
      apiPort = freePort();
    }
    launch("api", "api-service", apiPort, databasePrefix + "api", apiSettings);
    launch("scheduler", "scheduler-service", freePort(), databasePrefix + "scheduler", Map.of());
    for (String host : hosts) {
      String name = "volume-" + host.substring(0, host.indexOf('@'));
      Map<String, String> env = new LinkedHashMap<>(hostSettings);
      env.put("EMBER_HOST", host);
      env.put("EMBER_FAKE_DATA_DIR", dataDirectory(host).toString());
      launch(
          name,
          "volume-service",
          freePort(),
          databasePrefix + name.replace('-', '_'),
          env,
          hostProperties.get(host));
    }
    List<Service> first = List.copyOf(services);
    if (apis > 1 || schedulers > 1) {
      // Replicas once the first of their kind has migrated its database (the first cleans it);
      // the volume hosts meanwhile go on starting.
      for (Service s : first) {
        if (s.name().equals("api") || s.name().equals("scheduler")) {
          awaitReady(s, Duration.ofSeconds(180));
        }
      }
    }
    Map<String, String> noClean = Map.of("QUARKUS_FLYWAY_CLEAN_AT_START", "false");
    for (int i = 2; i <= apis; i++) {
      Map<String, String> env = new LinkedHashMap<>(apiSettings);
      env.putAll(noClean);
      launch("api-" + i, "api-service", freePort(), databasePrefix + "api", env);
    }
    for (int i = 2; i <= schedulers; i++) {
      launch(
          "scheduler-" + i, "scheduler-service", freePort(), databasePrefix + "scheduler", noClean);
    }
    for (Service s : services) {
      awaitReady(s, Duration.ofSeconds(180));
    }
    return this;
  }

  /** Every api process's base URL, the first one's first. */
  List<String> apiUrls() {
    return processesOf("api").stream().map(this::url).toList();
  }

  /**
   * The base URL of an api process, the next one in turn on each call: a client that takes one
   * address (a test class's REST client, a {@link Cli} call) talks to every replica over the run.
   */
  String apiUrl() {
    List<String> urls = apiUrls();
    return urls.get(Math.floorMod(nextApi.getAndIncrement(), urls.size()));
  }

  /**
   * The processes of one kind ({@code "api"}, {@code "scheduler"}): the first, then its replicas
   * ({@code api-2}, ...), for what is read per process (metrics, logs).
   */
  List<String> processesOf(String kind) {
    return services.stream()
        .map(Service::name)
        .filter(n -> n.equals(kind) || n.matches(Pattern.quote(kind) + "-\\d+"))
        .toList();
  }

  /** The base URL of the service started as {@code name} ("api", "scheduler", "volume-node1"). */
  String url(String name) {
    return services.stream()
        .filter(s -> s.name().equals(name))
        .map(s -> "http://127.0.0.1:" + s.port())
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no service " + name));
  }

  /** The names {@link #url} knows, the volume hosts last. */
  List<String> serviceNames() {
    return services.stream().map(Service::name).toList();
  }

  String topicPrefix() {
    return topicPrefix;
  }

  /** The id of {@code ember-raw}, the raw sample image (deploy/local/ember images). */
  static final String RAW_IMAGE = "6f0c6a5e-1d2b-4c3a-9e8f-0a1b2c3d4e01";

  /**
   * The image store every service of this stack reads ({@code ember.image.directory}): the sample
   * images of deploy/local/ember ({@code ember-raw}, and {@code ember-qcow2} where qemu-img is
   * installed), and whatever a test adds ({@code <id>.json} in Glance v2's shape, {@code
   * <id>.data}).
   */
  Path imageDirectory() {
    return root.resolve("deploy/e2e/target/e2e-images/" + topicPrefix).toAbsolutePath();
  }

  /** Where the volume host {@code host} keeps its volumes' bytes: its own, fresh each run. */
  Path dataDirectory(String host) {
    return root.resolve("deploy/e2e/target/e2e-data/" + topicPrefix + "/" + host).toAbsolutePath();
  }

  /** The sample images, placed by the same script function as the local stack's. */
  private void placeImages() throws IOException, InterruptedException {
    Path log = logs.resolve("images.log");
    Process images =
        new ProcessBuilder(
                "bash",
                root.resolve("deploy/local/ember").toString(),
                "images",
                imageDirectory().toString(),
                "--no-install")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (images.waitFor() != 0) {
      throw new IllegalStateException("placing the sample images failed: " + tail(log));
    }
  }

  /** A service started on its own ({@link #startAlone}) and the file its output goes to. */
  record Alone(Process process, Path log) {}

  /**
   * Starts one service by itself on {@code database}, with nothing else of a stack, to see how it
   * meets a broken setting (a database that does not exist, say).
   */
  static Alone startAlone(String name, String module, String database) throws IOException {
    EmberStack alone = new EmberStack();
    Files.createDirectories(alone.logs);
    Service s = alone.start(name, module, freePort(), database, Map.of());
    return new Alone(s.process(), s.log());
  }

  private void launch(
      String name, String module, int port, String database, Map<String, String> extra)
      throws IOException {
    launch(name, module, port, database, extra, List.of());
  }

  private void launch(
      String name,
      String module,
      int port,
      String database,
      Map<String, String> extra,
      List<String> properties)
      throws IOException {
    services.add(start(name, module, port, database, extra, properties));
  }

  private Service start(
      String name, String module, int port, String database, Map<String, String> extra)
      throws IOException {
    return start(name, module, port, database, extra, List.of());
  }

  private Service start(
      String name,
      String module,
      int port,
      String database,
      Map<String, String> extra,
      List<String> properties)
      throws IOException {
    Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: package the services first");
    }
    Path log = logs.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx192m", "-XX:+UseSerialGC"));
    command.addAll(properties);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.putAll(environment(port, database));
    env.putAll(extra);
    return new Service(name, pb.start(), port, log);
  }

  private Map<String, String> environment(int port, String database) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("EMBER_IMAGE_DIRECTORY", imageDirectory().toString());
    env.put("EMBER_TOPIC_PREFIX", topicPrefix);
    env.put(
        "KAFKA_BOOTSTRAP_SERVERS", System.getProperty("kafka.bootstrap.servers", "localhost:9092"));
    String dbHost = System.getenv().getOrDefault("EMBER_DB_HOST", "127.0.0.1");
    String dbPort = System.getenv().getOrDefault("EMBER_DB_PORT", "5432");
    env.put(
        "QUARKUS_DATASOURCE_JDBC_URL",
        "jdbc:postgresql://" + dbHost + ":" + dbPort + "/" + database);
    env.put(
        "QUARKUS_DATASOURCE_USERNAME", System.getenv().getOrDefault("EMBER_DB_USER", "postgres"));
    env.put("QUARKUS_DATASOURCE_PASSWORD", System.getenv().getOrDefault("EMBER_DB_PASSWORD", ""));
    // Every run starts from empty databases.
    env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
    env.put("QUARKUS_FLYWAY_CLEAN_AT_START", "true");
    return env;
  }

  private void awaitReady(Service s, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!s.process().isAlive()) {
        throw new IllegalStateException(s.name() + " exited: " + tail(s.log()));
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + s.port() + "/q/health/ready")
                    .toURL()
                    .openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(s.name() + " not ready in " + timeout + ": " + tail(s.log()));
  }

  /**
   * Stops (SIGSTOP) the service started as {@code name}, by the id of the process this stack
   * started: it holds its partitions and answers nothing, as a hung host does, until {@link
   * #resume}.
   */
  void pause(String name) throws Exception {
    signal(name, "-STOP");
  }

  /** Lets a {@link #pause}d service go on (SIGCONT). */
  void resume(String name) throws Exception {
    signal(name, "-CONT");
  }

  private void signal(String name, String signal) throws Exception {
    Service s =
        services.stream()
            .filter(x -> x.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    Process kill =
        new ProcessBuilder("kill", signal, Long.toString(s.process().pid()))
            .redirectErrorStream(true)
            .start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill " + signal + " " + name + " failed");
    }
  }

  /** The last lines of a service's log, for failure messages. */
  String log(String name) throws IOException {
    return Files.readString(logs.resolve(name + ".log"));
  }

  /** The logs of every process of a kind ({@link #processesOf}), one after the other. */
  String logsOf(String kind) throws IOException {
    StringBuilder all = new StringBuilder();
    for (String name : processesOf(kind)) {
      all.append(log(name));
    }
    return all.toString();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Service s : services) {
      s.process().destroy();
    }
    for (Service s : services) {
      try {
        if (!s.process().waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
          s.process().destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        s.process().destroyForcibly();
      }
    }
  }
}
