package io.ember.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code deploy/local/ember chaos [--short]}: creates, extends, snapshots, reverts, attaches,
 * retypes, migrates, transfers, uploads, unmanages and manages back, takes groups and group
 * snapshots through their lives, and deletes, from several clients against a stack of its own while
 * it kills -9 and restarts, one after another, a volume host, the scheduler, the API and the broker
 * (through {@code deploy/local/ember chaos-ctl}, by recorded pid). Then:
 *
 * <ul>
 *   <li><b>lost</b>: a create answered 202 whose volume is not there, or a delete answered 202
 *       whose volume is still there; the same for snapshots, groups and group snapshots (a group
 *       deleted with its volumes leaves none); an extend answered 202 of a volume that is available
 *       with its old size;
 *   <li><b>duplicated</b>: two volumes of one create (a name is unique per create), or a volume of
 *       a create that was refused (an error status, or no connection). A create whose answer never
 *       came (the API was killed while it ran) may or may not have made its volume: such volumes
 *       are counted as "unacknowledged", not as duplicates;
 *   <li><b>stuck</b>: a volume or snapshot still in a transitional status once the settle time is
 *       over;
 *   <li><b>quota drift</b>: per project, usage (volumes, snapshots, gigabytes of both, groups, and
 *       each of those per volume type; reserved) against what exists;
 *   <li>no dead letters, no outbox row left, no 202 slower than {@link #SLOW}, and each killed
 *       component's work resumed within {@link #RECOVERY_BOUND} of its restart being ready (a probe
 *       volume, on the killed host for a volume host, reaches {@code available}).
 * </ul>
 *
 * Last line: {@code chaos: N operations, K kills, 0 lost, 0 duplicated, 0 stuck, 0 quota drift, max
 * recovery S s}; exit status 0 only when every check passes.
 */
public final class Chaos {

  static final Duration SLOW = Duration.ofSeconds(2);
  static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);

  /** The api's deadline for an attachment call whose process died, and a margin. */
  static final Duration ATTACH_CALL_DEADLINE = Duration.ofSeconds(150);

  /** Uploads, migrations and migrating retypes of a short run, of each. */
  static final int HEAVY_SHORT = 2;

  /** The short run's least time between two copies' starts, so that they do not pile up. */
  static final Duration HEAVY_SHORT_SPACING = Duration.ofSeconds(6);

  private static final Set<String> FINAL =
      Set.of(
          "available",
          "in-use",
          "error",
          "error_deleting",
          "error_extending",
          "error_restoring",
          "error_managing");

  /** A migration that has not ended: its volume is stuck if it stays so. */
  private static final Set<String> RUNNING_MIGRATION =
      Set.of("starting", "migrating", "completing");

  private static final Set<String> SNAPSHOT_FINAL = Set.of("available", "error", "error_deleting");

  private static final Set<String> GROUP_FINAL = Set.of("available", "error", "error_deleting");

  /** What {@code show} returns for a resource answered 404. */
  private static final JsonNode GONE = Api.JSON.createObjectNode();

  /** The run's settings. */
  record Options(
      URI url,
      String kafka,
      String topicPrefix,
      String jdbc,
      String dbUser,
      List<String> databases,
      Path control,
      Path logs,
      boolean isShort,
      int operations,
      int clients,
      long seed,
      Duration settle,
      Duration heavyEvery) {

    static Options parse(String[] args) {
      Map<String, String> o = new HashMap<>();
      boolean isShort = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--short")) {
          isShort = true;
        } else if (a.startsWith("--") && a.contains("=")) {
          o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        } else if (a.startsWith("--") && i + 1 < args.length) {
          o.put(a.substring(2), args[++i]);
        } else {
          throw new IllegalArgumentException("unknown argument " + a);
        }
      }
      return new Options(
          URI.create(o.getOrDefault("url", "http://127.0.0.1:18776")),
          o.getOrDefault("kafka", "localhost:19092"),
          o.getOrDefault("topic-prefix", "chaos"),
          o.getOrDefault("jdbc", "jdbc:postgresql://127.0.0.1:5432/"),
          o.getOrDefault("db-user", "postgres"),
          List.of(o.getOrDefault("databases", "").split(",")).stream()
              .filter(s -> !s.isBlank())
              .toList(),
          Path.of(o.getOrDefault("control", "deploy/local/ember")),
          Path.of(o.getOrDefault("logs", ".ember/chaos/logs")),
          isShort,
          Integer.parseInt(o.getOrDefault("operations", isShort ? "0" : "1000")),
          Integer.parseInt(o.getOrDefault("clients", isShort ? "4" : "8")),
          Long.parseLong(o.getOrDefault("seed", Long.toString(System.nanoTime()))),
          Duration.ofSeconds(Long.parseLong(o.getOrDefault("settle", isShort ? "60" : "120"))),
          Duration.ofSeconds(Long.parseLong(o.getOrDefault("heavy-every", "10"))));
    }
  }

  /**
   * One kill: how long the component was gone, and how soon its work resumed once ready: the
   * probe's create answered ({@code acceptedMillis}) and its volume available ({@code
   * recoveryMillis}).
   */
  record Kill(String component, long downMillis, long acceptedMillis, long recoveryMillis) {}

  /** A volume given to another project, and its snapshots, for one of that project's clients. */
  record Received(String volume, List<String> snapshots) {}

  /** What a run found. */
  record Result(
      int operations,
      List<Kill> kills,
      int lost,
      int duplicated,
      int stuck,
      int quotaDrift,
      int deadLetters,
      int outboxLeft,
      int slow,
      long maxAnswerWhileBrokerDown,
      int unacknowledged,
      int errors,
      int attachMismatch) {

    long maxRecoveryMillis() {
      return kills.stream().mapToLong(Kill::recoveryMillis).max().orElse(0);
    }

    boolean clean() {
      return lost == 0
          && duplicated == 0
          && stuck == 0
          && quotaDrift == 0
          && deadLetters == 0
          && outboxLeft == 0
          && slow == 0
          && attachMismatch == 0
          && maxRecoveryMillis() <= RECOVERY_BOUND.toMillis();
    }

    String line() {
      return String.format(
          "chaos: %d operations, %d kills, %d lost, %d duplicated, %d stuck, %d quota drift, max"
              + " recovery %.1f s",
          operations,
          kills.size(),
          lost,
          duplicated,
          stuck,
          quotaDrift,
          maxRecoveryMillis() / 1000.0);
    }
  }

  private final Options options;
  private final PrintStream out;
  private final Api api;
  private final Random random;
  private final List<String> projects = new ArrayList<>();
  private final Map<String, String> hostTypes = new HashMap<>();

  // What the clients were told.
  private final Map<String, String> acceptedCreates = new ConcurrentHashMap<>();
  private final Map<String, String> projectOf = new ConcurrentHashMap<>();
  private final Set<String> refusedCreates = ConcurrentHashMap.newKeySet();
  private final Set<String> unansweredCreates = ConcurrentHashMap.newKeySet();
  private final Set<String> acceptedDeletes = ConcurrentHashMap.newKeySet();
  private final Set<String> unansweredDeletes = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> expectedSize = new ConcurrentHashMap<>();
  private final Map<String, String> acceptedSnapshots = new ConcurrentHashMap<>();
  private final Set<String> unansweredSnapshots = ConcurrentHashMap.newKeySet();
  private final Set<String> acceptedSnapshotDeletes = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> snapshotSize = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> heavyCounts = new ConcurrentHashMap<>();
  private final AtomicLong lastHeavy = new AtomicLong(System.nanoTime());

  /** Copies accepted and maybe not done: volume id to its project and the hosts it keeps busy. */
  private final Map<String, List<String>> copies = new ConcurrentHashMap<>();

  private final Map<String, String> acceptedTransfers = new ConcurrentHashMap<>();
  private final Map<String, Queue<Received>> received = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger[]> tallies = new ConcurrentSkipListMap<>();
  private final Set<String> retypeTargets = new LinkedHashSet<>();
  private String plainType;
  private String groupType;

  // Groups and group snapshots: what the clients were told (by name for creates, by id after).
  private final Map<String, String> acceptedGroups = new ConcurrentHashMap<>();
  private final Map<String, String> groupProject = new ConcurrentHashMap<>();
  private final Map<String, String> listedIn = new ConcurrentHashMap<>();
  private final Set<String> refusedGroups = ConcurrentHashMap.newKeySet();
  private final Set<String> unansweredGroups = ConcurrentHashMap.newKeySet();
  private final Set<String> acceptedGroupDeletes = ConcurrentHashMap.newKeySet();
  private final Set<String> unansweredGroupDeletes = ConcurrentHashMap.newKeySet();
  private final Map<String, String> acceptedGroupSnapshots = new ConcurrentHashMap<>();
  private final Set<String> acceptedGroupSnapshotDeletes = ConcurrentHashMap.newKeySet();
  private final AtomicInteger unmanages = new AtomicInteger();
  private final AtomicInteger manages = new AtomicInteger();
  private final AtomicInteger uploads = new AtomicInteger();
  private final AtomicInteger reverts = new AtomicInteger();
  private final AtomicInteger attaches = new AtomicInteger();
  private final AtomicInteger detaches = new AtomicInteger();
  private final AtomicInteger slowCalls = new AtomicInteger();
  private final AtomicInteger extends_ = new AtomicInteger();
  private final AtomicInteger operations = new AtomicInteger();
  private final AtomicInteger slow = new AtomicInteger();
  private final AtomicLong maxAnswerWhileBrokerDown = new AtomicLong();
  private volatile boolean brokerDown;
  private volatile String phase = "start";

  /** When the api's last restart phase ended (or the run began), as System.nanoTime(). */
  private volatile long apiSettledAt = System.nanoTime();

  private volatile boolean running = true;

  /** From just before a kill until its probe is done: no copy starts meanwhile. */
  private volatile boolean killing;

  private volatile int killsDone;
  private int probes;

  Chaos(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.api = new Api(options.url(), Duration.ofSeconds(10));
    this.random = new Random(options.seed());
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Result result = new Chaos(options, System.out).run();
    System.exit(result.clean() ? 0 : 1);
  }

  Result run() throws Exception {
    out.printf(
        "chaos: %d clients, %s, seed %d%n",
        options.clients(),
        options.isShort() ? "short" : options.operations() + " operations",
        options.seed());
    setUp();
    List<Thread> clients = new ArrayList<>();
    List<Client> workloads = new ArrayList<>();
    for (int i = 0; i < options.clients(); i++) {
      Client client = new Client(i, new Random(options.seed() + i));
      workloads.add(client);
      Thread t = new Thread(client, "client-" + i);
      t.start();
      clients.add(t);
    }
    List<Kill> kills = new ArrayList<>();
    List<String> order = List.of("volume-node1", "scheduler", "api", "kafka", "volume-node2");
    int k = 0;
    do {
      String component = order.get(k % (options.isShort() ? 4 : order.size()));
      Thread.sleep(options.isShort() ? 4000 : 2000 + random.nextInt(3000));
      killing = true;
      if (hostTypes.containsKey(component)) {
        awaitCopiesOn(component);
      }
      kills.add(killAndRestart(component));
      killing = false;
      killsDone = kills.size();
      k++;
    } while (options.isShort() ? k < 4 : operations.get() < options.operations());
    Thread.sleep(2000);
    running = false;
    for (Thread t : clients) {
      t.join();
    }
    detachEverything();
    withdrawTransfers();
    return check(kills);
  }

  /** Projects with unlimited quota (the run is about delivery), and a type per volume host. */
  private void setUp() {
    int count = Math.max(2, options.clients() / 2);
    for (int i = 0; i < count; i++) {
      byte[] id = new byte[16];
      random.nextBytes(id);
      String project = HexFormat.of().formatHex(id);
      projects.add(project);
      require(
          api.call(
              "PUT",
              "/v3/" + project + "/os-quota-sets/" + project,
              project,
              Map.of(
                  "quota_set",
                  Map.of("volumes", -1, "gigabytes", -1, "snapshots", -1, "groups", -1))),
          200,
          "quota");
    }
    String admin = projects.get(0);
    // node1 reports tier=gold, node2 is the thick one (deploy/local/ember's SERVICES).
    hostTypes.put("volume-node1", type(admin, "chaos-node1", "capabilities:tier", "gold"));
    hostTypes.put("volume-node2", type(admin, "chaos-node2", "provisioning:type", "thick"));
    // Every host passes it: a retype to it is done in place.
    plainType = type(admin, "chaos-plain", null, null);
    retypeTargets.add(plainType);
    retypeTargets.addAll(hostTypes.values());
    // Groups of chaos-plain volumes: the scheduler may place them on either host.
    groupType =
        require(
                api.call(
                    "POST",
                    "/v3/" + admin + "/group_types",
                    admin,
                    Map.of("group_type", Map.of("name", "chaos-group")),
                    "3.11"),
                202,
                "group type")
            .body()
            .path("group_type")
            .path("id")
            .asText();
    projects.forEach(p -> received.put(p, new ConcurrentLinkedQueue<>()));
  }

  private String type(String project, String name, String key, String value) {
    Api.Answer made =
        require(
            api.call(
                "POST",
                "/v3/" + project + "/types",
                project,
                Map.of("volume_type", Map.of("name", name))),
            200,
            "type " + name);
    String id = made.body().path("volume_type").path("id").asText();
    if (key == null) {
      return id;
    }
    require(
        api.call(
            "POST",
            "/v3/" + project + "/types/" + id + "/extra_specs",
            project,
            Map.of("extra_specs", Map.of(key, value))),
        200,
        "extra specs of " + name);
    return id;
  }

  private static Api.Answer require(Api.Answer answer, int status, String what) {
    if (!answer.is(status)) {
      throw new IllegalStateException(what + ": HTTP " + answer.status() + " " + answer.body());
    }
    return answer;
  }

  /**
   * One client: in its project, creates and deletes (with cascade) its own volumes, extends them,
   * snapshots them, deletes snapshots and reverts volumes to their latest snapshot, until the run
   * ends. Refusals (a volume not yet available, a revert to a snapshot that is no longer the
   * latest) are part of the run: only what was answered 202 is checked.
   */
  private final class Client implements Runnable {
    private final int number;
    private final Random random;
    private final String project;
    private final List<String> mine = new ArrayList<>();
    private final Map<String, List<String>> snapshotsOf = new HashMap<>();
    private final Map<String, String> attachmentOf = new HashMap<>();
    private final Set<String> uploaded = new LinkedHashSet<>();
    private int sequence;

    // This client's group (one at a time) and where it is in its life.
    private String group;
    private int groupMembers;
    private int groupSize;
    private final List<String> members = new ArrayList<>();
    private boolean snapshotTaken;
    private String groupSnapshot;
    private boolean groupSnapshotDeleted;
    private boolean fromSourceMade;
    private String fromSource;
    private boolean fromSourceDeleted;

    // Volumes unmanaged and not yet managed back: id and pool.
    private final Queue<String[]> toManage = new ConcurrentLinkedQueue<>();
    private int manageRefusals;

    Client(int number, Random random) {
      this.number = number;
      this.random = random;
      this.project = projects.get(number % projects.size());
    }

    @Override
    public void run() {
      while (running
          && (options.operations() == 0 || operations.getAndIncrement() < options.operations())) {
        if (options.operations() == 0) {
          operations.incrementAndGet();
        }
        adoptReceived();
        int dice = random.nextInt(47);
        if (mine.size() > 6 || (mine.size() >= 2 && dice < 5)) {
          delete(mine.get(random.nextInt(mine.size())));
        } else if (mine.isEmpty() || dice < 10) {
          if (dice == 8 && !allSnapshots().isEmpty()) {
            List<String> snapshots = allSnapshots();
            createFromSnapshot(snapshots.get(random.nextInt(snapshots.size())));
          } else if (dice == 9 && !mine.isEmpty()) {
            cloneOf(mine.get(random.nextInt(mine.size())));
          } else {
            create();
          }
        } else if (dice >= 40 && dice < 44) {
          groupStep();
        } else if (dice >= 44) {
          manageStep();
        } else {
          String volume = mine.get(random.nextInt(mine.size()));
          List<String> snapshots = snapshotsOf.getOrDefault(volume, List.of());
          boolean attached = attachmentOf.containsKey(volume);
          if (dice >= 20 && dice < 24) {
            if (attached) {
              detach(volume);
            } else {
              attach(volume);
            }
          } else if (dice >= 24 && attached) {
            // Retype, migrate, transfer and upload want a volume Nova does not hold.
            detach(volume);
          } else if (dice >= 24 && dice < 28) {
            retype(volume);
          } else if (dice >= 28 && dice < 30) {
            migrate(volume);
          } else if (dice >= 30 && dice < 34) {
            transfer(volume);
          } else if (dice >= 34 && dice < 37) {
            upload();
          } else if (dice >= 37) {
            reset(volume);
          } else if (dice < 13) {
            extend(volume);
          } else if (dice < 16 || snapshots.isEmpty()) {
            snapshot(volume);
          } else if (dice < 18) {
            String snapshot = snapshots.get(random.nextInt(snapshots.size()));
            if (random.nextInt(3) == 0) {
              unmanageSnapshot(volume, snapshot);
            } else {
              deleteSnapshot(volume, snapshot);
            }
          } else {
            revert(volume, snapshots.get(snapshots.size() - 1));
          }
        }
        try {
          Thread.sleep(100 + random.nextInt(200));
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void create() {
      create("create", 1, Map.of());
    }

    /** A volume from one of this client's snapshots, of the snapshot's size. */
    private void createFromSnapshot(String snapshot) {
      Integer size = snapshotSize.get(snapshot);
      if (size == null) {
        create();
      } else {
        create("create from snapshot", size, Map.of("snapshot_id", snapshot));
      }
    }

    /** A clone of one of this client's volumes, of its size. */
    private void cloneOf(String volume) {
      Integer size = expectedSize.get(volume);
      if (size == null) {
        create();
      } else {
        create("clone", size, Map.of("source_volid", volume));
      }
    }

    private void create(String op, int size, Map<String, Object> source) {
      String name = "chaos-" + number + "-" + sequence++;
      Map<String, Object> volume = new HashMap<>(source);
      volume.put("size", size);
      volume.put("name", name);
      Api.Answer a =
          api.call("POST", "/v3/" + project + "/volumes", project, Map.of("volume", volume));
      timed(op + " " + name, a);
      tally(op, a);
      if (a.is(202)) {
        String id = a.body().path("volume").path("id").asText();
        acceptedCreates.put(name, id);
        projectOf.put(id, project);
        expectedSize.put(id, size);
        mine.add(id);
      } else if (a.status() == 0 && a.sent()) {
        unansweredCreates.add(name);
      } else {
        refusedCreates.add(name);
      }
    }

    private void delete(String id) {
      if (attachmentOf.containsKey(id) && !detach(id)) {
        return; // still attached: Cinder refuses the delete; it stays, to be tried again
      }
      Api.Answer a =
          api.call("DELETE", "/v3/" + project + "/volumes/" + id + "?cascade=true", project, null);
      timed("delete " + id, a);
      tally("delete", a);
      if (a.is(202)) {
        acceptedDeletes.add(id);
        forget(id);
      } else if (a.status() == 0 && a.sent()) {
        unansweredDeletes.add(id);
        forget(id);
      } else if (a.is(404)) {
        // Counted as lost by the final check (it was accepted, not deleted by us).
        forget(id);
      }
      // 400 (still creating), no connection, 5xx: it stays, to be deleted later.
    }

    private void forget(String volume) {
      mine.remove(volume);
      for (String snapshot : snapshotsOf.getOrDefault(volume, List.of())) {
        // Its volume's delete (with cascade) takes it along.
        acceptedSnapshotDeletes.add(snapshot);
      }
      snapshotsOf.remove(volume);
    }

    private void extend(String volume) {
      Integer size = expectedSize.get(volume);
      if (size == null) {
        return;
      }
      Api.Answer a = action(volume, Map.of("os-extend", Map.of("new_size", size + 1)));
      timed("extend " + volume, a);
      tally("extend", a);
      if (a.is(202)) {
        extends_.incrementAndGet();
        expectedSize.put(volume, size + 1);
      } else if (a.status() == 0 && a.sent()) {
        // It may or may not have been taken: the size is no longer known.
        expectedSize.remove(volume);
      }
    }

    private void snapshot(String volume) {
      String name = "chaos-snap-" + number + "-" + sequence++;
      Api.Answer a =
          api.call(
              "POST",
              "/v3/" + project + "/snapshots",
              project,
              Map.of("snapshot", Map.of("volume_id", volume, "name", name)));
      timed("snapshot " + volume, a);
      tally("snapshot", a);
      if (a.is(202)) {
        String id = a.body().path("snapshot").path("id").asText();
        acceptedSnapshots.put(id, volume);
        snapshotSize.put(id, a.body().path("snapshot").path("size").asInt(1));
        snapshotsOf.computeIfAbsent(volume, v -> new ArrayList<>()).add(id);
      } else if (a.status() == 0 && a.sent()) {
        unansweredSnapshots.add(name);
      }
    }

    private void deleteSnapshot(String volume, String snapshot) {
      Api.Answer a = api.call("DELETE", "/v3/" + project + "/snapshots/" + snapshot, project, null);
      timed("delete snapshot " + snapshot, a);
      tally("snapshot delete", a);
      snapshotGone(volume, snapshot, a);
    }

    /**
     * An operator's {@code os-unmanage} of a snapshot: {@code unmanaging}, then gone from Ember as
     * a delete is (its bytes stay on the backend as {@code _snapshot-<id>}), and checked as one.
     */
    private void unmanageSnapshot(String volume, String snapshot) {
      Api.Answer a =
          api.call(
              "POST",
              "/v3/" + project + "/snapshots/" + snapshot + "/action",
              project,
              Collections.singletonMap("os-unmanage", null));
      timed("unmanage snapshot " + snapshot, a);
      tally("snapshot unmanage", a);
      snapshotGone(volume, snapshot, a);
    }

    private void snapshotGone(String volume, String snapshot, Api.Answer a) {
      if (a.is(202) || (a.status() == 0 && a.sent()) || a.is(404)) {
        if (!a.is(404)) {
          acceptedSnapshotDeletes.add(snapshot);
        }
        snapshotsOf.get(volume).remove(snapshot);
      }
    }

    /**
     * Nova's attach: an attachment with a connector (a synchronous call to the volume's host), then
     * {@code os-complete}. Whatever the answers, the attachment is remembered so that it is deleted
     * before its volume, and the end of the run removes any left over.
     */
    private void attach(String volume) {
      Map<String, Object> connector =
          Map.of(
              "initiator",
              "iqn.1993-08.org.debian:01:chaos-" + number,
              "ip",
              "127.0.0.1",
              "host",
              "chaos-" + number,
              "platform",
              "x86_64",
              "os_type",
              "linux2",
              "multipath",
              false);
      Api.Answer a =
          api.call(
              "POST",
              "/v3/" + project + "/attachments",
              project,
              Map.of(
                  "attachment",
                  Map.of(
                      "volume_uuid",
                      volume,
                      "instance_uuid",
                      UUID.randomUUID().toString(),
                      "connector",
                      connector,
                      "mode",
                      "rw")),
              "3.54");
      timedCall("attach " + volume, a);
      tally("attach", a);
      if (!a.is(200)) {
        return;
      }
      String attachment = a.body().path("attachment").path("id").asText();
      attachmentOf.put(volume, attachment);
      Api.Answer done =
          api.call(
              "POST",
              "/v3/" + project + "/attachments/" + attachment + "/action",
              project,
              Collections.singletonMap("os-complete", null),
              "3.44");
      timed("complete " + attachment, done);
      tally("attach complete", done);
      if (done.is(204)) {
        attaches.incrementAndGet();
      }
    }

    /** Deletes the volume's attachment (a synchronous call); true when it is gone. */
    private boolean detach(String volume) {
      String attachment = attachmentOf.get(volume);
      Api.Answer a =
          api.call(
              "DELETE", "/v3/" + project + "/attachments/" + attachment, project, null, "3.44");
      timedCall("detach " + volume, a);
      tally("detach", a);
      if (a.is(200) || a.is(404)) {
        attachmentOf.remove(volume);
        if (a.is(200)) {
          detaches.incrementAndGet();
        }
        return true;
      }
      return false;
    }

    /** {@code POST /volumes/{volume}/action} in this client's project. */
    private Api.Answer action(String volume, Object body) {
      return action(volume, body, "3.0");
    }

    private Api.Answer action(String volume, Object body, String microversion) {
      return api.call(
          "POST", "/v3/" + project + "/volumes/" + volume + "/action", project, body, microversion);
    }

    /** Snapshots this client took and has not deleted. */
    private List<String> allSnapshots() {
      List<String> all = new ArrayList<>();
      snapshotsOf.values().forEach(all::addAll);
      return all;
    }

    /** Volumes another project's client gave to this one's project, now this client's to use. */
    private void adoptReceived() {
      for (Received r; (r = received.get(project).poll()) != null; ) {
        mine.add(r.volume());
        if (!r.snapshots().isEmpty()) {
          snapshotsOf.put(r.volume(), new ArrayList<>(r.snapshots()));
        }
      }
    }

    /**
     * A retype: in place (to the type every host passes) or, under {@code on-demand}, to the type
     * of one host (a migration when the volume is on the other one).
     */
    private void retype(String volume) {
      List<String> types = List.copyOf(retypeTargets);
      String type = types.get(random.nextInt(types.size()));
      String policy =
          type.equals(plainType) || random.nextInt(4) == 0 || !heavyAllowed("retype on-demand")
              ? "never"
              : "on-demand";
      Api.Answer a =
          action(volume, Map.of("os-retype", Map.of("new_type", type, "migration_policy", policy)));
      timed("retype " + volume, a);
      tally(policy.equals("never") ? "retype" : "retype on-demand", a);
      if (a.is(202) && policy.equals("on-demand")) {
        // It may migrate: from either host to the other.
        busy(project, volume, "node1@fake", "node2@fake");
      }
    }

    /**
     * An admin's {@code os-migrate_volume} to the other volume host (a volume without snapshots).
     */
    private void migrate(String volume) {
      if (!heavyAllowed("migrate")) {
        return;
      }
      for (String v : mine) {
        if (snapshotsOf.getOrDefault(v, List.of()).isEmpty() && !attachmentOf.containsKey(v)) {
          volume = v;
          break;
        }
      }
      Api.Answer shown = api.call("GET", "/v3/" + project + "/volumes/" + volume, project, null);
      if (!shown.is(200)) {
        return;
      }
      String host = shown.body().path("volume").path("os-vol-host-attr:host").asText();
      String destination = host.startsWith("node1@") ? "node2@fake" : "node1@fake";
      Api.Answer a =
          action(
              volume,
              Map.of(
                  "os-migrate_volume",
                  Map.of("host", destination, "force_host_copy", false, "lock_volume", false)));
      timed("migrate " + volume, a);
      tally("migrate", a);
      if (a.is(202)) {
        busy(project, volume, host, destination);
      }
    }

    /**
     * A transfer offered, then accepted by the next project (the volume, its snapshots and their
     * quota move there, and one of its clients takes the volume over) or withdrawn. An accept that
     * got no answer is settled by deleting the transfer: a 404 says it was taken.
     */
    private void transfer(String volume) {
      Api.Answer a =
          api.call(
              "POST",
              "/v3/" + project + "/os-volume-transfer",
              project,
              Map.of("transfer", Map.of("volume_id", volume, "name", "chaos-transfer")));
      timed("transfer " + volume, a);
      tally("transfer", a);
      if (!a.is(202)) {
        return;
      }
      String transfer = a.body().path("transfer").path("id").asText();
      String key = a.body().path("transfer").path("auth_key").asText();
      if (random.nextBoolean()) {
        String receiver = projects.get((projects.indexOf(project) + 1) % projects.size());
        Api.Answer accept =
            api.call(
                "POST",
                "/v3/" + receiver + "/os-volume-transfer/" + transfer + "/accept",
                receiver,
                Map.of("accept", Map.of("auth_key", key)));
        timedCall("accept transfer " + transfer, accept);
        tally("transfer accept", accept);
        if (accept.is(202)) {
          given(volume, receiver);
          return;
        }
      }
      Api.Answer withdrawn =
          api.call("DELETE", "/v3/" + project + "/os-volume-transfer/" + transfer, project, null);
      timed("delete transfer " + transfer, withdrawn);
      tally("transfer delete", withdrawn);
      if (withdrawn.is(404)) {
        // Only an accept removes it otherwise: the one that got no answer was taken.
        given(volume, projects.get((projects.indexOf(project) + 1) % projects.size()));
      }
    }

    private void given(String volume, String receiver) {
      acceptedTransfers.put(volume, receiver);
      projectOf.put(volume, receiver);
      mine.remove(volume);
      List<String> snapshots = snapshotsOf.remove(volume);
      received.get(receiver).add(new Received(volume, snapshots == null ? List.of() : snapshots));
    }

    /**
     * An upload of an {@code available} volume of this client's (a volume just created, extended or
     * retyped would be refused), so that the upload is taken and {@code uploading} crossed.
     */
    private void upload() {
      JsonNode shown = availableOwn(false);
      if (shown == null || !heavyAllowed("upload")) {
        return;
      }
      String volume = shown.path("id").asText();
      Api.Answer a =
          action(
              volume,
              Map.of(
                  "os-volume_upload_image",
                  Map.of(
                      "image_name",
                      "chaos-image-" + number + "-" + sequence++,
                      "disk_format",
                      "raw",
                      "container_format",
                      "bare")));
      timed("upload " + volume, a);
      tally("upload", a);
      if (a.is(202)) {
        uploads.incrementAndGet();
        uploaded.add(volume);
        busy(project, volume, shown.path("os-vol-host-attr:host").asText(null));
      }
    }

    /**
     * One of this client's volumes, not attached (nor, with {@code withoutSnapshots}, with
     * snapshots), that the API shows {@code available} now; null when the few looked at are not.
     */
    private JsonNode availableOwn(boolean withoutSnapshots) {
      List<String> candidates = new ArrayList<>();
      for (String v : mine) {
        if (!attachmentOf.containsKey(v)
            && !(withoutSnapshots && !snapshotsOf.getOrDefault(v, List.of()).isEmpty())) {
          candidates.add(v);
        }
      }
      Collections.shuffle(candidates, random);
      for (String v : candidates.subList(0, Math.min(3, candidates.size()))) {
        JsonNode shown = show("volumes", v, "3.0");
        if ("available".equals(status(shown))) {
          return shown;
        }
      }
      return null;
    }

    /** {@code GET /{kind}/{id}}: the resource, or null when it is not found (or no answer). */
    private JsonNode show(String kind, String id, String microversion) {
      Api.Answer a =
          api.call("GET", "/v3/" + project + "/" + kind + "/" + id, project, null, microversion);
      if (a.is(404)) {
        return GONE;
      }
      return a.is(200) ? a.body().elements().next() : null;
    }

    // ------------------------------------------------------------ groups

    /**
     * One step in the life of this client's group (one at a time): created (of {@code chaos-group},
     * with {@code chaos-plain} volumes), one or two volumes created in it, a group snapshot taken,
     * a group made from that snapshot ({@code create-from-src}: copies of snapshots of volumes
     * never written, cheap on the fake driver's sparse files) and deleted with its volumes, the
     * group snapshot deleted, the group deleted with its volumes. Each step waits for what the
     * previous one started to settle; an error status skips to the deletes.
     */
    private void groupStep() {
      if (group == null) {
        createGroup();
        return;
      }
      if (fromSource != null) {
        JsonNode f = show("groups", fromSource, "3.14");
        if (f == GONE) {
          fromSource = null;
        } else if (f != null
            && !fromSourceDeleted
            && Set.of("available", "error").contains(status(f))) {
          fromSourceDeleted = deleteGroup(fromSource);
        }
        return;
      }
      if (groupSnapshot != null) {
        JsonNode s = show("group_snapshots", groupSnapshot, "3.14");
        if (s == GONE) {
          groupSnapshot = null;
        } else if (s != null && "available".equals(status(s)) && !fromSourceMade) {
          fromSourceMade = true;
          createFromSource();
        } else if (s != null
            && !groupSnapshotDeleted
            && Set.of("available", "error").contains(status(s))) {
          deleteGroupSnapshot();
        }
        return;
      }
      JsonNode g = show("groups", group, "3.13");
      String status = status(g);
      if (g == GONE || !Set.of("available", "error").contains(status)) {
        return; // not placed yet, or no answer
      }
      if (status.equals("available") && !snapshotTaken && groupMembers < groupSize) {
        createMember();
      } else if (status.equals("available") && !snapshotTaken) {
        createGroupSnapshot();
      } else if (deleteGroup(group)) {
        group = null;
      }
    }

    private void createGroup() {
      String name = "chaos-group-" + number + "-" + sequence++;
      Api.Answer a =
          api.call(
              "POST",
              "/v3/" + project + "/groups",
              project,
              Map.of(
                  "group",
                  Map.of(
                      "name", name, "group_type", groupType, "volume_types", List.of(plainType))),
              "3.13");
      timed("group create " + name, a);
      tally("group create", a);
      if (a.is(202)) {
        group = a.body().path("group").path("id").asText();
        acceptedGroups.put(name, group);
        groupProject.put(group, project);
        groupMembers = 0;
        groupSize = 1 + random.nextInt(2);
        snapshotTaken = false;
        fromSourceMade = false;
      } else if (a.status() == 0 && a.sent()) {
        unansweredGroups.add(name);
      } else {
        refusedGroups.add(name);
      }
    }

    /** A volume of {@code chaos-plain} in the group: a create like any other, checked as one. */
    private void createMember() {
      String name = "chaos-" + number + "-" + sequence++;
      Api.Answer a =
          api.call(
              "POST",
              "/v3/" + project + "/volumes",
              project,
              Map.of(
                  "volume",
                  Map.of("size", 1, "name", name, "group_id", group, "volume_type", plainType)),
              "3.13");
      timed("create in group " + name, a);
      tally("create in group", a);
      if (a.is(202)) {
        String id = a.body().path("volume").path("id").asText();
        acceptedCreates.put(name, id);
        projectOf.put(id, project);
        expectedSize.put(id, 1);
        members.add(id);
        groupMembers++;
      } else if (a.status() == 0 && a.sent()) {
        unansweredCreates.add(name);
        groupMembers++; // it may be there; the group's delete takes it along if so
      } else {
        refusedCreates.add(name);
      }
    }

    private void createGroupSnapshot() {
      String name = "chaos-group-snap-" + number + "-" + sequence++;
      Api.Answer a =
          api.call(
              "POST",
              "/v3/" + project + "/group_snapshots",
              project,
              Map.of("group_snapshot", Map.of("group_id", group, "name", name)),
              "3.14");
      timed("group snapshot " + group, a);
      tally("group snapshot", a);
      if (a.is(202)) {
        groupSnapshot = a.body().path("group_snapshot").path("id").asText();
        acceptedGroupSnapshots.put(groupSnapshot, group);
        groupSnapshotDeleted = false;
        snapshotTaken = true;
      } else if (a.status() == 0 && a.sent()) {
        // It may have been taken: found by its name, or the group's delete is refused for it.
        groupSnapshot = findGroupSnapshot(name);
        snapshotTaken = true;
        groupSnapshotDeleted = false;
      }
    }

    private String findGroupSnapshot(String name) {
      Api.Answer list =
          api.call(
              "GET",
              "/v3/" + project + "/group_snapshots/detail?name=" + name,
              project,
              null,
              "3.14");
      if (list.is(200)) {
        for (JsonNode s : list.body().path("group_snapshots")) {
          return s.path("id").asText();
        }
      }
      return null;
    }

    private void createFromSource() {
      String name = "chaos-group-copy-" + number + "-" + sequence++;
      Api.Answer a =
          api.call(
              "POST",
              "/v3/" + project + "/groups/action",
              project,
              Map.of("create-from-src", Map.of("group_snapshot_id", groupSnapshot, "name", name)),
              "3.14");
      timed("group from source " + groupSnapshot, a);
      tally("group create from source", a);
      if (a.is(202)) {
        fromSource = a.body().path("group").path("id").asText();
        acceptedGroups.put(name, fromSource);
        groupProject.put(fromSource, project);
        fromSourceDeleted = false;
      } else if (a.status() == 0 && a.sent()) {
        unansweredGroups.add(name);
      } else {
        refusedGroups.add(name);
      }
    }

    private void deleteGroupSnapshot() {
      Api.Answer a =
          api.call(
              "DELETE",
              "/v3/" + project + "/group_snapshots/" + groupSnapshot,
              project,
              null,
              "3.14");
      timed("group snapshot delete " + groupSnapshot, a);
      tally("group snapshot delete", a);
      if (a.is(202)) {
        acceptedGroupSnapshotDeletes.add(groupSnapshot);
        groupSnapshotDeleted = true;
      } else if (a.is(404)) {
        groupSnapshot = null;
      }
    }

    /** A group's delete with its volumes; true once answered 202 (or found gone, or no answer). */
    private boolean deleteGroup(String id) {
      Api.Answer a =
          api.call(
              "POST",
              "/v3/" + project + "/groups/" + id + "/action",
              project,
              Map.of("delete", Map.of("delete-volumes", true)),
              "3.13");
      timed("group delete " + id, a);
      tally("group delete", a);
      boolean own = id.equals(group);
      if (a.is(202)) {
        acceptedGroupDeletes.add(id);
        if (own) {
          acceptedDeletes.addAll(members);
        }
      } else if (a.status() == 0 && a.sent()) {
        unansweredGroupDeletes.add(id);
        if (own) {
          unansweredDeletes.addAll(members);
        }
      } else if (!a.is(404)) {
        return false;
      }
      if (own) {
        members.clear();
      }
      return true;
    }

    // ---------------------------------------------------- manage / unmanage

    /**
     * An operator's unmanage of an {@code available} volume of this client's without snapshots,
     * then, once it is gone, its manage back ({@code os-volume-manage} of {@code volume-<id>} on
     * the pool it was on): a new volume, a create like any other (its name unique), the old one
     * counted as deleted.
     */
    private void manageStep() {
      String[] unmanaged = toManage.peek();
      if (unmanaged == null) {
        unmanage();
        return;
      }
      JsonNode v = show("volumes", unmanaged[0], "3.0");
      if (v == null || "unmanaging".equals(status(v))) {
        return; // not gone yet
      }
      if (v != GONE) {
        // An unmanage without an answer that was not taken: the volume is still this client's.
        toManage.poll();
        unansweredDeletes.remove(unmanaged[0]);
        mine.add(unmanaged[0]);
        return;
      }
      String name = "chaos-managed-" + number + "-" + sequence++;
      Api.Answer a =
          api.call(
              "POST",
              "/v3/" + project + "/os-volume-manage",
              project,
              Map.of(
                  "volume",
                  Map.of(
                      "host",
                      unmanaged[1],
                      "ref",
                      Map.of("source-name", "volume-" + unmanaged[0]),
                      "name",
                      name)));
      timed("manage " + unmanaged[0], a);
      tally("manage", a);
      if (a.is(202)) {
        toManage.poll();
        manages.incrementAndGet();
        String id = a.body().path("volume").path("id").asText();
        acceptedCreates.put(name, id);
        projectOf.put(id, project);
        mine.add(id);
      } else if (a.status() == 0 && a.sent()) {
        // Taken or not: a second manage of it would be refused if it was, so it is not tried.
        toManage.poll();
        unansweredCreates.add(name);
      } else {
        refusedCreates.add(name);
        if (++manageRefusals > 5) {
          toManage.poll();
          out.printf("chaos: manage of volume-%s refused 5 times, given up%n", unmanaged[0]);
        }
      }
    }

    private void unmanage() {
      JsonNode v = availableOwn(true);
      String pool = v == null ? "" : v.path("os-vol-host-attr:host").asText("");
      if (pool.isEmpty()) {
        return;
      }
      String volume = v.path("id").asText();
      Api.Answer a = action(volume, Collections.singletonMap("os-unmanage", null));
      timed("unmanage " + volume, a);
      tally("unmanage", a);
      if (a.is(202)) {
        unmanages.incrementAndGet();
        acceptedDeletes.add(volume);
        forget(volume);
        toManage.add(new String[] {volume, pool});
        manageRefusals = 0;
      } else if (a.status() == 0 && a.sent()) {
        unansweredDeletes.add(volume);
        forget(volume);
        toManage.add(new String[] {volume, pool});
        manageRefusals = 0;
      }
    }

    /**
     * An operator's {@code os-reset_status} to {@code available} of a volume this client uploaded
     * (still {@code uploading}, or already back). Not of one in {@code error}: a volume whose
     * create failed has no host, and made available it would fail whatever comes next.
     */
    private void reset(String volume) {
      for (String v : uploaded) {
        if (mine.contains(v)) {
          volume = v;
          break;
        }
      }
      uploaded.remove(volume);
      Api.Answer shown = api.call("GET", "/v3/" + project + "/volumes/" + volume, project, null);
      String status = shown.is(200) ? shown.body().path("volume").path("status").asText() : "";
      if (!Set.of("uploading", "available").contains(status)) {
        return;
      }
      Api.Answer a = action(volume, Map.of("os-reset_status", Map.of("status", "available")));
      timed("reset " + volume, a);
      tally("reset from " + status, a);
    }

    private void revert(String volume, String snapshot) {
      Api.Answer a = action(volume, Map.of("revert", Map.of("snapshot_id", snapshot)), "3.40");
      timed("revert " + volume, a);
      tally("revert", a);
      if (a.is(202)) {
        reverts.incrementAndGet();
      }
    }
  }

  /**
   * Whether a copy of a whole volume (an upload, a migration) may start now. A volume host runs its
   * commands one after another, so each such copy (seconds of a loaded machine for 1 GiB) delays
   * everything queued behind it on that host, the recovery probe included: the short run makes
   * {@link #HEAVY_SHORT} of each kind, the long run one of any kind every {@code heavy-every}
   * seconds.
   */
  private boolean heavyAllowed(String op) {
    if (killing) {
      return false;
    }
    long now = System.nanoTime();
    long last = lastHeavy.get();
    if (options.isShort()) {
      // Not before the first kill's probe is done: a copy queued on the restarted host would
      // delay it, and the recovery measured would be the copy's. Spaced, so that at most one
      // copy at a time keeps a host busy.
      AtomicInteger count = heavyCounts.computeIfAbsent(op, o -> new AtomicInteger());
      return killsDone > 0
          && count.get() < HEAVY_SHORT
          && now - last >= HEAVY_SHORT_SPACING.toNanos()
          && lastHeavy.compareAndSet(last, now)
          && count.getAndIncrement() < HEAVY_SHORT;
    }
    return now - last >= options.heavyEvery().toNanos() && lastHeavy.compareAndSet(last, now);
  }

  /**
   * A copy of {@code volume} was accepted on these pools' hosts ({@code node1@fake#fake}, ...):
   * while it is not done, probes go elsewhere when they can.
   */
  private void busy(String project, String volume, String... pools) {
    List<String> entry = new ArrayList<>(List.of(project));
    for (String pool : pools) {
      if (pool != null && pool.contains("@")) {
        entry.add("volume-" + pool.substring(0, pool.indexOf('@')));
      }
    }
    copies.put(volume, entry);
  }

  /**
   * Before a volume host is killed: until no copy of the run is running there (at most a minute).
   * Its probe would otherwise wait for the copy, done again after the restart, and the recovery
   * measured would be the copy's; copies still meet the kills of the other components.
   */
  private void awaitCopiesOn(String host) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(60).toNanos();
    while (busyHosts().contains(host) && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    long waited = (System.nanoTime() - start) / 1_000_000;
    if (waited >= 1000) {
      out.printf(
          "chaos: waited %.1f s for the copies on %s before killing it%n", waited / 1000.0, host);
    }
  }

  /**
   * The volume hosts a copy keeps busy now (its volume still {@code uploading}, {@code retyping} or
   * migrating; a command held while the broker was down runs after it is back).
   */
  private Set<String> busyHosts() {
    Set<String> busy = new java.util.HashSet<>();
    for (Map.Entry<String, List<String>> c : copies.entrySet()) {
      String project = c.getValue().get(0);
      Api.Answer a = api.call("GET", "/v3/" + project + "/volumes/" + c.getKey(), project, null);
      JsonNode v = a.is(200) ? a.body().path("volume") : null;
      boolean copying =
          v != null
              && (Set.of("uploading", "retyping", "maintenance").contains(status(v))
                  || RUNNING_MIGRATION.contains(migrationStatus(v)));
      if (copying || (v == null && !a.is(404))) {
        busy.addAll(c.getValue().subList(1, c.getValue().size()));
      } else {
        copies.remove(c.getKey());
      }
    }
    return busy;
  }

  /** Counts one call of {@code op}: sent, and answered 2xx. */
  private void tally(String op, Api.Answer a) {
    AtomicInteger[] t =
        tallies.computeIfAbsent(
            op, o -> new AtomicInteger[] {new AtomicInteger(), new AtomicInteger()});
    t[0].incrementAndGet();
    if (a.status() / 100 == 2) {
      t[1].incrementAndGet();
    }
  }

  /**
   * A synchronous call (Cinder's request-reply to a volume host): it waits for its host by design,
   * up to the call's deadline, so a slow one is reported, not counted against the run.
   */
  private void timedCall(String what, Api.Answer a) {
    if (a.sent() && a.millis() > SLOW.toMillis()) {
      slowCalls.incrementAndGet();
      out.printf(
          "chaos: slow call: %s took %d ms (HTTP %s) while %s%n",
          what, a.millis(), a.status() == 0 ? "none" : a.status(), phase);
    }
  }

  /** A slow answer, or none because the client gave up: the API waited on something. */
  private void timed(String what, Api.Answer a) {
    if (a.sent() && a.millis() > SLOW.toMillis()) {
      // A restarting api takes connections before it serves them, and serves its first ones
      // slowly: not what this check is about (an answer waiting on the broker or another service).
      // That holds for a call sent then and answered after the phase ended, too.
      long sentAt = System.nanoTime() - a.millis() * 1_000_000L;
      boolean apiStarting = phase.startsWith("api ") || sentAt - apiSettledAt < 0;
      if (!apiStarting) {
        slow.incrementAndGet();
      }
      out.printf(
          "chaos: slow answer: %s took %d ms (HTTP %s) while %s%s%n",
          what,
          a.millis(),
          a.status() == 0 ? "none" : a.status(),
          phase,
          apiStarting ? " (not counted)" : "");
    }
    if (a.status() == 202) {
      if (brokerDown) {
        maxAnswerWhileBrokerDown.accumulateAndGet(a.millis(), Math::max);
      }
    }
  }

  /**
   * Kills {@code component} with -9, leaves it down a moment (the broker longer, so creates meet
   * its absence), restarts it and waits for it to be ready, then measures how soon a probe that
   * needs it completes.
   */
  private Kill killAndRestart(String component) throws Exception {
    long killedAt = System.nanoTime();
    phase = component + " was killed";
    control("kill", component);
    if (component.equals("kafka")) {
      brokerDown = true;
      Thread.sleep(5000);
    } else {
      Thread.sleep(1000);
    }
    phase = component + " was restarting";
    control("start", component);
    brokerDown = false;
    phase = component + " was ready again";
    long readyAt = System.nanoTime();
    long[] probe = probe(component);
    if (component.equals("api")) {
      apiSettledAt = System.nanoTime();
    }
    phase = "the workload ran";
    Kill kill =
        new Kill(
            component,
            (readyAt - killedAt) / 1_000_000,
            (probe[0] - readyAt) / 1_000_000,
            (probe[1] - readyAt) / 1_000_000);
    out.printf(
        "chaos: kill -9 %-12s back after %5.1f s, work resumed %4.1f s after it was ready"
            + " (probe answered 202 after %.1f s)%n",
        component,
        kill.downMillis() / 1000.0,
        kill.recoveryMillis() / 1000.0,
        kill.acceptedMillis() / 1000.0);
    return kill;
  }

  /**
   * A create that passes through the component (for a volume host, placed on it), to its end: when
   * it was answered 202 and when its volume was available.
   */
  private long[] probe(String component) throws InterruptedException {
    String project = projects.get(0);
    String name = "chaos-probe-" + probes++;
    Map<String, Object> volume = new HashMap<>(Map.of("size", 1, "name", name));
    if (hostTypes.containsKey(component)) {
      volume.put("volume_type", hostTypes.get(component));
    } else {
      // The scheduler, the api or the broker: any host shows that their work resumed, so one
      // not busy with a copy (a volume host runs its commands one after another) when there is
      // one.
      Set<String> busy = busyHosts();
      if (!busy.isEmpty()) {
        hostTypes.keySet().stream()
            .filter(h -> !busy.contains(h))
            .findFirst()
            .ifPresent(free -> volume.put("volume_type", hostTypes.get(free)));
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    String id = null;
    long acceptedAt = 0;
    while (id == null && System.nanoTime() < deadline) {
      Api.Answer a =
          api.call("POST", "/v3/" + project + "/volumes", project, Map.of("volume", volume));
      if (a.is(202)) {
        id = a.body().path("volume").path("id").asText();
        acceptedAt = System.nanoTime();
        acceptedCreates.put(name, id);
        projectOf.put(id, project);
      } else {
        Thread.sleep(100);
      }
    }
    while (id != null && System.nanoTime() < deadline) {
      Api.Answer a = api.call("GET", "/v3/" + project + "/volumes/" + id, project, null);
      String status = a.is(200) ? a.body().path("volume").path("status").asText() : "";
      if (FINAL.contains(status)) {
        if (!status.equals("available")) {
          out.printf("chaos: probe %s ended %s%n", name, status);
        }
        return new long[] {acceptedAt, System.nanoTime()};
      }
      Thread.sleep(100);
    }
    out.printf("chaos: probe %s did not finish in 120 s%n", name);
    long now = System.nanoTime();
    return new long[] {acceptedAt == 0 ? now : acceptedAt, now};
  }

  private void control(String what, String component) throws IOException, InterruptedException {
    Path log = options.logs().resolve("chaos-ctl.log");
    Files.createDirectories(options.logs());
    Process p =
        new ProcessBuilder("bash", options.control().toString(), "chaos-ctl", what, component)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(
          "chaos-ctl " + what + " " + component + " failed; see " + log);
    }
  }

  // ------------------------------------------------------------------ checks

  private Result check(List<Kill> kills) throws Exception {
    long deadline = System.nanoTime() + options.settle().toNanos();
    Map<String, JsonNode> volumes;
    int transitional;
    int outboxLeft;
    Map<String, JsonNode> snapshots;
    Map<String, JsonNode> groups;
    Map<String, JsonNode> groupSnapshots;
    while (true) {
      volumes = allVolumes();
      snapshots = all("snapshots", "3.0");
      groups = all("groups", "3.14");
      groupSnapshots = all("group_snapshots", "3.14");
      transitional =
          (int)
              (volumes.values().stream().filter(v -> !settled(v)).count()
                  + snapshots.values().stream()
                      .filter(v -> !SNAPSHOT_FINAL.contains(v.path("status").asText()))
                      .count()
                  + groups.values().stream().filter(g -> !GROUP_FINAL.contains(status(g))).count()
                  + groupSnapshots.values().stream()
                      .filter(g -> !GROUP_FINAL.contains(status(g)))
                      .count());
      outboxLeft = outboxRows();
      if ((transitional == 0 && outboxLeft == 0) || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(1000);
    }
    for (JsonNode v : volumes.values()) {
      if (!settled(v)) {
        out.printf(
            "chaos: stuck %s %s in %s (migration_status %s)%n",
            v.path("id").asText(),
            v.path("name").asText(),
            v.path("status").asText(),
            migrationStatus(v));
      }
    }
    int lost = 0;
    for (Map.Entry<String, String> e : acceptedCreates.entrySet()) {
      String id = e.getValue();
      JsonNode v = volumes.get(id);
      if (acceptedDeletes.contains(id)) {
        if (v != null && !v.path("status").asText().startsWith("error")) {
          lost++;
          out.printf("chaos: lost delete of %s (%s): still %s%n", id, e.getKey(), v.path("status"));
        }
      } else if (v == null && !unansweredDeletes.contains(id)) {
        lost++;
        out.printf("chaos: lost %s (%s): answered 202, not there%n", id, e.getKey());
      }
    }
    for (JsonNode s : snapshots.values()) {
      if (!SNAPSHOT_FINAL.contains(s.path("status").asText())) {
        out.printf(
            "chaos: stuck snapshot %s of %s in %s%n",
            s.path("id").asText(), s.path("volume_id").asText(), s.path("status").asText());
      }
    }
    for (JsonNode g : groups.values()) {
      if (!GROUP_FINAL.contains(status(g))) {
        out.printf(
            "chaos: stuck group %s (%s) in %s%n",
            g.path("id").asText(), g.path("name").asText(), status(g));
      }
    }
    for (JsonNode g : groupSnapshots.values()) {
      if (!GROUP_FINAL.contains(status(g))) {
        out.printf(
            "chaos: stuck group snapshot %s of %s in %s%n",
            g.path("id").asText(), g.path("group_id").asText(), status(g));
      }
    }
    lost += lostSnapshotWork(volumes, snapshots);
    int[] groupFindings = groupChecks(volumes, groups, groupSnapshots);
    lost += groupFindings[0];
    int duplicated = 0;
    int unacknowledged = 0;
    int errors = 0;
    Map<String, Integer> byName = new HashMap<>();
    for (JsonNode v : volumes.values()) {
      String name = v.path("name").asText();
      String id = v.path("id").asText();
      if (v.path("name").isNull()) {
        // A volume of a group made from a group snapshot: it has no name; checked by its group.
        continue;
      }
      byName.merge(name, 1, Integer::sum);
      if (v.path("status").asText().equals("error")) {
        errors++;
        out.printf("chaos: %s (%s) ended in error%n", id, name);
      }
      String accepted = acceptedCreates.get(name);
      if (accepted != null && !accepted.equals(id)) {
        duplicated++;
        out.printf("chaos: duplicated %s: %s besides %s%n", name, id, accepted);
      } else if (accepted == null && refusedCreates.contains(name)) {
        duplicated++;
        out.printf("chaos: %s (%s) exists though its create was refused%n", id, name);
      } else if (accepted == null && unansweredCreates.contains(name)) {
        unacknowledged++;
      }
    }
    for (JsonNode v : volumes.values()) {
      if (migrationStatus(v).startsWith("target:")) {
        duplicated++;
        out.printf(
            "chaos: %s (%s) is a migration's second volume (%s)%n",
            v.path("id").asText(), v.path("name").asText(), migrationStatus(v));
      }
    }
    lost += lostTransfers(volumes);
    duplicated += groupFindings[1];
    unacknowledged += groupFindings[2];
    for (Map.Entry<String, Integer> e : byName.entrySet()) {
      if (e.getValue() > 1 && !acceptedCreates.containsKey(e.getKey())) {
        duplicated += e.getValue() - 1;
        out.printf("chaos: %d volumes named %s%n", e.getValue(), e.getKey());
      }
    }
    out.printf(
        "chaos: answered 202: %d creates, %d deletes, %d extends, %d snapshots, %d snapshot"
            + " deletes (cascades included), %d reverts, %d attaches, %d detaches (%d calls slower"
            + " than %d s)%n",
        acceptedCreates.size(),
        acceptedDeletes.size(),
        extends_.get(),
        acceptedSnapshots.size(),
        acceptedSnapshotDeletes.size(),
        reverts.get(),
        attaches.get(),
        detaches.get(),
        slowCalls.get(),
        SLOW.toSeconds());
    out.printf(
        "chaos: answered 202: %d group creates, %d group deletes, %d group snapshots, %d group"
            + " snapshot deletes, %d unmanages, %d manages, %d uploads%n",
        acceptedGroups.size(),
        acceptedGroupDeletes.size(),
        acceptedGroupSnapshots.size(),
        acceptedGroupSnapshotDeletes.size(),
        unmanages.get(),
        manages.get(),
        uploads.get());
    StringBuilder perOperation = new StringBuilder();
    tallies.forEach(
        (op, t) ->
            perOperation.append(
                String.format(
                    "%s%s %d/%d", perOperation.isEmpty() ? "" : ", ", op, t[1].get(), t[0].get())));
    out.printf("chaos: per operation (answered 2xx / sent): %s%n", perOperation);
    out.printf("chaos: volumes at the end by migration_status: %s%n", migrationStatuses(volumes));
    backendCopies(volumes);
    int attachMismatch = attachMismatch(volumes);
    int drift = quotaDrift(volumes, snapshots, groups);
    int deadLetters = deadLetters();
    if (outboxLeft > 0) {
      out.printf("chaos: %d outbox rows left unsent%n", outboxLeft);
    }
    Result r =
        new Result(
            options.operations() == 0
                ? operations.get()
                : Math.min(operations.get(), options.operations()),
            kills,
            lost,
            duplicated,
            transitional,
            drift,
            deadLetters,
            outboxLeft,
            slow.get(),
            maxAnswerWhileBrokerDown.get(),
            unacknowledged,
            errors,
            attachMismatch);
    out.printf(
        "chaos: %d dead letters, %d outbox rows left, %d answers slower than %d s (slowest 202 while"
            + " the broker was down: %d ms), %d unacknowledged creates made, %d in error%n",
        r.deadLetters(),
        r.outboxLeft(),
        r.slow(),
        SLOW.toSeconds(),
        r.maxAnswerWhileBrokerDown(),
        r.unacknowledged(),
        r.errors());
    out.println(r.line());
    return r;
  }

  /** A shown resource's status; "" when it was not shown. */
  private static String status(JsonNode resource) {
    return resource == null ? "" : resource.path("status").asText("");
  }

  /** Neither the volume's status nor its migration is transitional. */
  private static boolean settled(JsonNode v) {
    return FINAL.contains(v.path("status").asText())
        && !RUNNING_MIGRATION.contains(migrationStatus(v));
  }

  private static String migrationStatus(JsonNode v) {
    JsonNode m = v.path("os-vol-mig-status-attr:migstat");
    return m.isTextual() ? m.asText() : v.path("migration_status").asText("");
  }

  private String ownerOf(JsonNode v) {
    String tenant = v.path("os-vol-tenant-attr:tenant_id").asText("");
    return tenant.isEmpty() ? projectOf.get(v.path("id").asText()) : tenant;
  }

  private static Map<String, Integer> migrationStatuses(Map<String, JsonNode> volumes) {
    Map<String, Integer> by = new java.util.TreeMap<>();
    volumes
        .values()
        .forEach(
            v ->
                by.merge(
                    migrationStatus(v).isEmpty() ? "none" : migrationStatus(v), 1, Integer::sum));
    return by;
  }

  /**
   * After the run, as Nova cleaning up: every attachment of every project deleted, those whose
   * answers were lost and those made by a create whose caller gave up included. One busy with a
   * call (409) is tried again until the call ends, at most the settle time or {@link
   * #ATTACH_CALL_DEADLINE}, whichever is longer; the check then finds each volume available again,
   * or says which is not.
   */
  private void detachEverything() throws InterruptedException {
    // A call whose api was killed keeps its attachment busy until the sweeper's deadline
    // (ember.deadlines.attaching, 2 min), longer than the short run's settle time.
    long deadline =
        System.nanoTime() + Math.max(options.settle().toNanos(), ATTACH_CALL_DEADLINE.toNanos());
    boolean left = true;
    while (left && System.nanoTime() < deadline) {
      left = false;
      for (String project : projects) {
        Api.Answer list = api.call("GET", "/v3/" + project + "/attachments", project, null, "3.27");
        if (!list.is(200)) {
          left = true;
          continue;
        }
        for (JsonNode attachment : list.body().path("attachments")) {
          left = true;
          Api.Answer a =
              api.call(
                  "DELETE",
                  "/v3/" + project + "/attachments/" + attachment.path("id").asText(),
                  project,
                  null,
                  "3.44");
          timedCall("detach " + attachment.path("volume_id").asText() + " after the run", a);
          tally("detach after the run", a);
        }
      }
      if (left) {
        Thread.sleep(1000);
      }
    }
  }

  /** Every transfer still offered, withdrawn: its volume is available again. */
  private void withdrawTransfers() {
    for (String project : projects) {
      for (int attempt = 0; attempt < 5; attempt++) {
        Api.Answer list = api.call("GET", "/v3/" + project + "/os-volume-transfer", project, null);
        if (!list.is(200)) {
          continue;
        }
        JsonNode left = list.body().path("transfers");
        if (left.isEmpty()) {
          break;
        }
        for (JsonNode t : left) {
          String id = t.path("id").asText();
          Api.Answer a =
              api.call("DELETE", "/v3/" + project + "/os-volume-transfer/" + id, project, null);
          out.printf(
              "chaos: transfer %s of %s left offered: withdrawn (HTTP %d)%n",
              id, t.path("volume_id").asText(), a.status());
        }
      }
    }
  }

  /**
   * Transfers whose accept was answered 202 (or found done) and whose volume is not the receiver's.
   */
  private int lostTransfers(Map<String, JsonNode> volumes) {
    int lost = 0;
    for (Map.Entry<String, String> e : acceptedTransfers.entrySet()) {
      JsonNode v = volumes.get(e.getKey());
      if (v != null && !e.getValue().equals(ownerOf(v))) {
        lost++;
        out.printf(
            "chaos: lost transfer of %s: accepted by %s, owned by %s%n",
            e.getKey(), e.getValue(), ownerOf(v));
      }
    }
    return lost;
  }

  /**
   * The volume hosts' own records: a volume on both hosts (a migration's source copy left behind)
   * and backend volumes the API does not have (a target never adopted, a delete never done). Shown,
   * not counted: Ember's design leaves such a copy rather than lose a volume.
   */
  private void backendCopies(Map<String, JsonNode> volumes) throws SQLException {
    Map<String, Integer> hosts = new HashMap<>();
    int unknown = 0;
    Properties p = new Properties();
    p.put("user", options.dbUser());
    p.put("password", System.getenv().getOrDefault("EMBER_DB_PASSWORD", ""));
    for (String db : options.databases()) {
      if (!db.contains("volume")) {
        continue;
      }
      try (Connection c = DriverManager.getConnection(options.jdbc() + db, p);
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("select volume_id from backend_volume")) {
        while (r.next()) {
          String id = r.getString(1);
          hosts.merge(id, 1, Integer::sum);
          if (!volumes.containsKey(id)) {
            unknown++;
          }
        }
      }
    }
    long twice = hosts.values().stream().filter(n -> n > 1).count();
    out.printf(
        "chaos: backend volumes: %d, of which %d on both hosts and %d unknown to the api%n",
        hosts.size(), twice, unknown);
  }

  /**
   * Volumes whose status and attachments disagree once every attachment was deleted: an attachment
   * left behind, a volume still in-use, reserved or attaching without one.
   */
  private int attachMismatch(Map<String, JsonNode> volumes) {
    int mismatched = 0;
    for (JsonNode v : volumes.values()) {
      String status = v.path("status").asText();
      boolean attached = !v.path("attachments").isEmpty();
      if (attached || Set.of("in-use", "reserved", "attaching", "detaching").contains(status)) {
        mismatched++;
        out.printf(
            "chaos: %s (%s) is %s with attachments %s after every attachment was deleted%n",
            v.path("id").asText(), v.path("name").asText(), status, v.path("attachments"));
      }
    }
    return mismatched;
  }

  /** Every volume of the run's projects, by id (3.13: with its group). */
  private Map<String, JsonNode> allVolumes() {
    return all("volumes", "3.13");
  }

  /**
   * Every volume, snapshot, group or group snapshot ({@code kind}) of the run's projects, by id;
   * {@link #listedIn} tells each one's project.
   */
  private Map<String, JsonNode> all(String kind, String microversion) {
    Map<String, JsonNode> all = new HashMap<>();
    for (String project : projects) {
      String marker = null;
      while (true) {
        String path =
            "/v3/"
                + project
                + "/"
                + kind
                + "/detail?limit=500"
                + (marker == null ? "" : "&marker=" + marker);
        Api.Answer a =
            require(api.call("GET", path, project, null, microversion), 200, "list " + kind);
        JsonNode list = a.body().path(kind);
        for (JsonNode v : list) {
          all.put(v.path("id").asText(), v);
          listedIn.put(v.path("id").asText(), project);
          marker = v.path("id").asText();
        }
        if (list.size() < 500) {
          break;
        }
      }
    }
    return all;
  }

  /**
   * Groups and group snapshots: creates answered 202 that made nothing and deletes answered 202
   * that left them (or, for a group deleted with its volumes, left a volume of it), lost; a name of
   * an accepted create on a second group, or of a refused one on any, duplicated.
   *
   * @return lost, duplicated, unacknowledged
   */
  private int[] groupChecks(
      Map<String, JsonNode> volumes,
      Map<String, JsonNode> groups,
      Map<String, JsonNode> groupSnapshots) {
    int lost = 0;
    int duplicated = 0;
    int unacknowledged = 0;
    for (Map.Entry<String, String> e : acceptedGroups.entrySet()) {
      JsonNode g = groups.get(e.getValue());
      if (acceptedGroupDeletes.contains(e.getValue())) {
        if (g != null && !status(g).startsWith("error")) {
          lost++;
          out.printf(
              "chaos: lost delete of group %s (%s): still %s%n",
              e.getValue(), e.getKey(), status(g));
        }
      } else if (g == null && !unansweredGroupDeletes.contains(e.getValue())) {
        lost++;
        out.printf(
            "chaos: lost group %s (%s): answered 202, not there%n", e.getValue(), e.getKey());
      }
    }
    for (JsonNode v : volumes.values()) {
      String group = v.path("group_id").asText("");
      String id = v.path("id").asText();
      if (acceptedGroupDeletes.contains(group)
          && !acceptedDeletes.contains(id)
          && !status(v).startsWith("error")) {
        lost++;
        out.printf("chaos: lost delete of %s with its group %s: still %s%n", id, group, status(v));
      }
    }
    for (Map.Entry<String, String> e : acceptedGroupSnapshots.entrySet()) {
      JsonNode s = groupSnapshots.get(e.getKey());
      if (acceptedGroupSnapshotDeletes.contains(e.getKey())) {
        if (s != null && !status(s).startsWith("error")) {
          lost++;
          out.printf("chaos: lost delete of group snapshot %s: still %s%n", e.getKey(), status(s));
        }
      } else if (s == null) {
        lost++;
        out.printf(
            "chaos: lost group snapshot %s of %s: answered 202, not there%n",
            e.getKey(), e.getValue());
      }
    }
    for (JsonNode g : groups.values()) {
      String name = g.path("name").asText();
      String id = g.path("id").asText();
      String accepted = acceptedGroups.get(name);
      if (accepted != null && !accepted.equals(id)) {
        duplicated++;
        out.printf("chaos: duplicated group %s: %s besides %s%n", name, id, accepted);
      } else if (accepted == null && refusedGroups.contains(name)) {
        duplicated++;
        out.printf("chaos: group %s (%s) exists though its create was refused%n", id, name);
      } else if (accepted == null && unansweredGroups.contains(name)) {
        unacknowledged++;
      }
    }
    out.printf(
        "chaos: groups at the end: %d, group snapshots: %d%n",
        groups.size(), groupSnapshots.size());
    return new int[] {lost, duplicated, unacknowledged};
  }

  /**
   * Snapshot creates and deletes answered 202 that did not happen, and extends answered 202 that
   * did not change the size (a volume whose extend failed says so with error_extending).
   */
  private int lostSnapshotWork(Map<String, JsonNode> volumes, Map<String, JsonNode> snapshots) {
    int lost = 0;
    for (Map.Entry<String, String> e : acceptedSnapshots.entrySet()) {
      JsonNode s = snapshots.get(e.getKey());
      boolean deleted = acceptedSnapshotDeletes.contains(e.getKey());
      if (deleted && s != null && !s.path("status").asText().startsWith("error")) {
        lost++;
        out.printf("chaos: lost delete of snapshot %s: still %s%n", e.getKey(), s.path("status"));
      } else if (!deleted && s == null) {
        lost++;
        out.printf(
            "chaos: lost snapshot %s of %s: answered 202, not there%n", e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, Integer> e : expectedSize.entrySet()) {
      JsonNode v = volumes.get(e.getKey());
      if (v != null
          && v.path("status").asText().equals("available")
          && v.path("size").asInt() != e.getValue()) {
        lost++;
        out.printf(
            "chaos: lost extend of %s: size %d, %d was accepted%n",
            e.getKey(), v.path("size").asInt(), e.getValue());
      }
    }
    return lost;
  }

  /**
   * Per project, quota usage against what exists: volumes, snapshots, gigabytes of both and groups;
   * per volume type {@code volumes_<type>} and {@code gigabytes_<type>} (which a retype moves) and
   * {@code snapshots_<type>}; nothing reserved. A snapshot is charged to the type its volume had
   * when it was taken, which Cinder's API does not show: that comes from the api's own row.
   */
  private int quotaDrift(
      Map<String, JsonNode> volumes, Map<String, JsonNode> snapshots, Map<String, JsonNode> groups)
      throws SQLException {
    Map<String, String> snapshotTypes = snapshotTypes();
    int drift = 0;
    for (String project : projects) {
      Map<String, Long> exist = new HashMap<>();
      for (JsonNode v : volumes.values()) {
        if (project.equals(ownerOf(v))) {
          String type = typeName(v.path("volume_type").asText(""));
          long size = v.path("size").asLong();
          exist.merge("volumes", 1L, Long::sum);
          exist.merge("gigabytes", size, Long::sum);
          exist.merge("volumes_" + type, 1L, Long::sum);
          exist.merge("gigabytes_" + type, size, Long::sum);
        }
      }
      for (JsonNode s : snapshots.values()) {
        if (project.equals(s.path("os-extended-snapshot-attributes:project_id").asText())) {
          String type = typeName(snapshotTypes.getOrDefault(s.path("id").asText(), ""));
          long size = s.path("size").asLong();
          exist.merge("snapshots", 1L, Long::sum);
          exist.merge("gigabytes", size, Long::sum);
          exist.merge("snapshots_" + type, 1L, Long::sum);
          exist.merge("gigabytes_" + type, size, Long::sum);
        }
      }
      for (JsonNode g : groups.values()) {
        if (project.equals(listedIn.get(g.path("id").asText()))) {
          exist.merge("groups", 1L, Long::sum);
        }
      }
      JsonNode q =
          require(
                  api.call(
                      "GET",
                      "/v3/" + project + "/os-quota-sets/" + project + "?usage=true",
                      project,
                      null),
                  200,
                  "quota usage")
              .body()
              .path("quota_set");
      int d = 0;
      List<String> drifted = new ArrayList<>();
      Set<String> resources = new java.util.TreeSet<>(exist.keySet());
      q.fieldNames().forEachRemaining(resources::add);
      for (String resource : resources) {
        boolean counted =
            Set.of("volumes", "gigabytes", "snapshots", "groups").contains(resource)
                || resource.startsWith("volumes_")
                || resource.startsWith("gigabytes_")
                || resource.startsWith("snapshots_");
        if (!counted) {
          continue;
        }
        JsonNode usage = q.path(resource);
        long used = usage.path("in_use").asLong();
        long reserved = usage.path("reserved").asLong();
        long there = exist.getOrDefault(resource, 0L);
        if (used != there || reserved != 0) {
          d += (int) (Math.abs(used - there) + Math.abs(reserved));
          drifted.add(
              resource
                  + " "
                  + used
                  + " used / "
                  + there
                  + " exist"
                  + (reserved == 0 ? "" : ", reserved " + reserved));
        }
      }
      if (d != 0) {
        out.printf("chaos: quota drift in %s: %s%n", project, String.join("; ", drifted));
      }
      drift += d;
    }
    return drift;
  }

  /** The quota's name of a volume type: a volume or snapshot without one is the default's. */
  private static String typeName(String type) {
    return type.isEmpty() || type.equals("null") ? "__DEFAULT__" : type;
  }

  /** Each snapshot's volume type by name, from the api's database (id to name). */
  private Map<String, String> snapshotTypes() throws SQLException {
    Map<String, String> types = new HashMap<>();
    Properties p = new Properties();
    p.put("user", options.dbUser());
    p.put("password", System.getenv().getOrDefault("EMBER_DB_PASSWORD", ""));
    for (String db : options.databases()) {
      if (!db.contains("api")) {
        continue;
      }
      try (Connection c = DriverManager.getConnection(options.jdbc() + db, p);
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "select s.id, t.name from snapshots s left join volume_types t"
                      + " on t.id = s.volume_type_id")) {
        while (r.next()) {
          types.put(r.getString(1), r.getString(2) == null ? "" : r.getString(2));
        }
      }
    }
    return types;
  }

  private int deadLetters() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.kafka());
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    String topic = options.topicPrefix() + ".dead-letter";
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (infos == null || infos.isEmpty()) {
        return 0;
      }
      List<TopicPartition> partitions =
          infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      int count = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          count++;
          Header reason = r.headers().lastHeader("dead-letter-reason");
          out.printf(
              "chaos: dead letter: %s%n",
              reason == null
                  ? "(no reason)"
                  : new String(reason.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      return count;
    }
  }

  private int outboxRows() throws SQLException {
    int rows = 0;
    Properties p = new Properties();
    p.put("user", options.dbUser());
    p.put("password", System.getenv().getOrDefault("EMBER_DB_PASSWORD", ""));
    for (String db : options.databases()) {
      try (Connection c = DriverManager.getConnection(options.jdbc() + db, p);
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("select count(*) from outbox")) {
        r.next();
        rows += r.getInt(1);
      }
    }
    return rows;
  }
}
