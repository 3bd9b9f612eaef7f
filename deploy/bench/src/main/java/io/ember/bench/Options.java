package io.ember.bench;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line options; every default suits the local stack started by {@code ember up}. */
final class Options {

  static final String USAGE =
      """
      usage: ember bench [options]   (java -jar deploy/bench/target/ember-bench.jar [options])

        --url URL[,URL...]     Block Storage API endpoint (http://127.0.0.1:8776); several (api
                               replicas): requests go to them in turn
        --project ID           project id (default: a fresh random 32-hex id per run)
        --token TOKEN          X-Auth-Token (default: admin:<project>, Cinder noauth)
        --no-quota             do not PUT unlimited quota for the project first
        --warmup N             warm-up volumes, created and deleted 10 at a time (3000), then
                               (unless N is 0) the busiest throughput run once, unmeasured
        --sequential N         measured sequential volumes (50)
        --poll-ms MS           sequential GET poll interval (5)
        --snapshots N          measured snapshot rounds, one at a time: snapshot -> available,
                               then a volume from it -> available (20; 0 skips them)
        --throughput SPEC      COUNTxCONCURRENCY list, or none (200x10,1000x50)
        --throughput-poll-ms MS  throughput poll interval (20)
        --throughput-watch W   list: one GET /volumes?status=creating|deleting per interval for
                               all workers, then one of error|error_deleting to tell how the
                               volumes that left it ended; get: each worker polls
                               GET /volumes/{id} (list)
        --timeout-s S          give up on one volume after S seconds (60)
        --type NAME            every volume of this volume type (default: the default type)
        --type-spec KEY=VALUE  create the --type first with this extra spec (repeatable)
        --type-qos KEY=VALUE   ... and a back-end QoS spec with this key, associated to it
                               (repeatable). Both hosts of the local stack report
                               volume_backend_name=fake: --type-spec volume_backend_name=fake
                               keeps the load on both
        --kafka HOST:PORT      broker: Kafka floor + volume.create.end timing (off if absent or '')
        --topic-prefix P       Ember topic prefix: notifications on P.notifications (ember)
        --jdbc URL             PostgreSQL for the commit floor (off if absent or '')
        --db-user U            (postgres)
        --db-password P        ($EMBER_DB_PASSWORD, else '')
        --floor-trips N        Kafka produce->consume round trips (200)
        --floor-commits N      one-row INSERT+commit transactions (500)
        --floor-pace-ms MS     also 100 of each, every one after MS idle, as the sequential run
                               meets them (30; 0: not measured)
        --no-floor             skip the floor measurements
        --pid-dir DIR          PID files of the stack: memory (.ember/pids; skipped when absent)
        --metrics [NAME=]URL[,...]
                               the services' Prometheus endpoints (/q/metrics): each hop of the
                               sequential run as the services time it, and each service's
                               garbage-collection pauses during it (off if absent or '')
        --out DIR              CSV + PNG directory (.ember/bench)
      """;

  String url = "http://127.0.0.1:8776";
  String project = randomProject();
  String token;
  boolean setQuota = true;
  int warmup = 3000;
  int sequential = 50;
  int snapshots = 20;
  Duration pollInterval = Duration.ofMillis(5);
  List<Load> throughput = List.of(new Load(200, 10), new Load(1000, 50));
  Duration throughputPoll = Duration.ofMillis(20);
  boolean throughputListWatch = true;
  Duration volumeTimeout = Duration.ofSeconds(60);
  String volumeType;
  Map<String, String> typeSpecs = new LinkedHashMap<>();
  Map<String, String> typeQos = new LinkedHashMap<>();
  String kafka;
  String topicPrefix = "ember";
  String jdbc;
  String dbUser = "postgres";
  String dbPassword = System.getenv().getOrDefault("EMBER_DB_PASSWORD", "");
  int floorTrips = 200;
  int floorCommits = 500;
  boolean floor = true;
  Duration floorPace = Duration.ofMillis(30);
  int floorPacedSteps = 100;
  Path pidDir = Path.of(".ember", "pids");
  List<String> metrics = List.of();
  Path out = Path.of(".ember", "bench");

  /** Workers of the warm-up; fewer than the throughput runs, so it never overloads a cold stack. */
  static final int WARMUP_CONCURRENCY = 10;

  /** One throughput run: {@code count} creates with {@code concurrency} workers. */
  record Load(int count, int concurrency) {
    @Override
    public String toString() {
      return count + "x" + concurrency;
    }
  }

  /**
   * The warm-up's second round: the throughput run with the most workers (the first of those), run
   * once unmeasured after the {@link #WARMUP_CONCURRENCY} round; null when there is none to run.
   */
  Load busyWarmUp() {
    Load busiest = null;
    for (Load load : throughput) {
      if (busiest == null || load.concurrency() > busiest.concurrency()) {
        busiest = load;
      }
    }
    return warmup == 0 || busiest == null || busiest.concurrency() <= WARMUP_CONCURRENCY
        ? null
        : busiest;
  }

  static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      switch (arg) {
        case "-h", "--help" -> throw new UsageException(null);
        case "--no-quota" -> o.setQuota = false;
        case "--no-floor" -> o.floor = false;
        default -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new UsageException("missing value for " + arg);
            }
            value = args[++i];
          }
          o.set(arg, value);
        }
      }
    }
    if (o.volumeType == null && (!o.typeSpecs.isEmpty() || !o.typeQos.isEmpty())) {
      throw new UsageException("--type-spec and --type-qos need --type NAME");
    }
    if (o.token == null) {
      o.token = "admin:" + o.project;
    }
    o.url =
        String.join(
            ",",
            Arrays.stream(o.url.split(","))
                .map(u -> u.trim().replaceAll("/+$", ""))
                .filter(u -> !u.isEmpty())
                .toList());
    if (o.url.isEmpty()) {
      throw new UsageException("--url needs at least one URL");
    }
    return o;
  }

  /** The api endpoints, the first one's first (several when api replicas run). */
  List<String> urls() {
    return List.of(url.split(","));
  }

  private void set(String name, String value) {
    switch (name) {
      case "--url" -> url = value;
      case "--project" -> project = value;
      case "--token" -> token = value;
      case "--warmup" -> warmup = nonNegative(name, value);
      case "--sequential" -> sequential = positive(name, value);
      case "--snapshots" -> snapshots = nonNegative(name, value);
      case "--poll-ms" -> pollInterval = Duration.ofMillis(positive(name, value));
      case "--throughput" -> throughput = loads(value);
      case "--throughput-poll-ms" -> throughputPoll = Duration.ofMillis(positive(name, value));
      case "--throughput-watch" -> throughputListWatch = watch(value);
      case "--timeout-s" -> volumeTimeout = Duration.ofSeconds(positive(name, value));
      case "--type" -> volumeType = nonBlank(name, value);
      case "--type-spec" -> keyValue(name, value, typeSpecs);
      case "--type-qos" -> keyValue(name, value, typeQos);
      case "--kafka" -> kafka = value.isBlank() ? null : value;
      case "--topic-prefix" -> topicPrefix = value;
      case "--jdbc" -> jdbc = value.isBlank() ? null : value;
      case "--db-user" -> dbUser = value;
      case "--db-password" -> dbPassword = value;
      case "--floor-trips" -> floorTrips = positive(name, value);
      case "--floor-commits" -> floorCommits = positive(name, value);
      case "--floor-pace-ms" -> floorPace = Duration.ofMillis(nonNegative(name, value));
      case "--pid-dir" -> pidDir = Path.of(value);
      case "--metrics" -> metrics = urls(value);
      case "--out" -> out = Path.of(value);
      default -> throw new UsageException("unknown option " + name);
    }
  }

  /** Whether the bench must create its volume type (and QoS spec) before the runs. */
  boolean createsType() {
    return volumeType != null && (!typeSpecs.isEmpty() || !typeQos.isEmpty());
  }

  private static String nonBlank(String name, String value) {
    if (value.isBlank()) {
      throw new UsageException(name + " expects a name");
    }
    return value.strip();
  }

  private static void keyValue(String name, String value, Map<String, String> into) {
    int eq = value.indexOf('=');
    if (eq <= 0) {
      throw new UsageException(name + " expects KEY=VALUE, got " + value);
    }
    into.put(value.substring(0, eq).strip(), value.substring(eq + 1).strip());
  }

  private static List<String> urls(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList();
  }

  private static boolean watch(String value) {
    return switch (value) {
      case "list" -> true;
      case "get" -> false;
      default -> throw new UsageException("--throughput-watch expects list or get, got " + value);
    };
  }

  private static List<Load> loads(String spec) {
    List<Load> loads = new ArrayList<>();
    if (spec.isBlank() || spec.equals("none")) {
      return loads;
    }
    for (String part : spec.split(",")) {
      String[] countAndConcurrency = part.trim().split("x");
      if (countAndConcurrency.length != 2) {
        throw new UsageException("--throughput expects COUNTxCONCURRENCY[,...], got " + part);
      }
      loads.add(
          new Load(
              positive("--throughput", countAndConcurrency[0]),
              positive("--throughput", countAndConcurrency[1])));
    }
    return loads;
  }

  int maxConcurrency() {
    return throughput.stream().mapToInt(Load::concurrency).max().orElse(1);
  }

  private static int positive(String name, String value) {
    int n = nonNegative(name, value);
    if (n == 0) {
      throw new UsageException(name + " must be > 0");
    }
    return n;
  }

  private static int nonNegative(String name, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 0) {
        throw new UsageException(name + " must be >= 0");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(name + " expects a number, got " + value);
    }
  }

  private static String randomProject() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Bad command line: the message (or none for --help) and the usage text. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
