package io.ember.volume.driver.fake;

import io.ember.model.HostAddress;
import io.ember.model.contract.Json;
import io.ember.model.contract.ManageableList;
import io.ember.model.contract.QosSpecs;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverConnection;
import io.ember.volume.driver.DriverSnapshot;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.ModelUpdate;
import io.ember.volume.driver.PoolStats;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.driver.VolumeStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A backend for tests and benchmarks whose volumes really hold bytes: pools of a fixed size, thin,
 * thick or both, a configurable delay per operation, and failures injected per volume through its
 * metadata.
 *
 * <p>Each volume and snapshot that holds data is a sparse file of its full size (GiB × 2^30) under
 * the data directory, {@code volumes/<id>.img} and {@code snapshots/<id>.img}; its record is a line
 * of {@code records.log} ({@link RecordLog}); a restart finds them again. A volume's file is made
 * when it is first opened or filled: until then it reads as zeros, as the file of holes it was once
 * created as would, and a raw create and its delete touch no file but the log (a thin LVM volume
 * allocates nothing either until written). A snapshot is a copy of the volume's allocated blocks at
 * the time it was taken, and of a volume without a file, a snapshot without one. Snapshots count
 * against their pool's provisioned capacity at their volume's size, as a thick copy would (LVM's
 * thin snapshots count so in Cinder too); the manager's allocated capacity counts volumes only, as
 * Cinder's does.
 */
@Singleton
public class FakeDriver implements VolumeDriver {

  private static final Logger LOG = Logger.getLogger(FakeDriver.class);

  /** Metadata key: {@code *} or a comma list of backend hosts where create fails. */
  public static final String FAIL_CREATE = "ember.fake.fail-create";

  /** Metadata key: {@code *} or a comma list of backend hosts where delete fails. */
  public static final String FAIL_DELETE = "ember.fake.fail-delete";

  /** Metadata key of a volume: where taking a snapshot of it fails. */
  public static final String FAIL_SNAPSHOT = "ember.fake.fail-snapshot";

  /** Metadata key of a volume: where deleting one of its snapshots fails. */
  public static final String FAIL_DELETE_SNAPSHOT = "ember.fake.fail-delete-snapshot";

  /** Metadata key of a volume: where extending it fails. */
  public static final String FAIL_EXTEND = "ember.fake.fail-extend";

  /** Metadata key of a volume: where connecting it (initialize_connection) fails. */
  public static final String FAIL_CONNECT = "ember.fake.fail-connect";

  /** Metadata key of a volume: where (on which source hosts) migrating it fails. */
  public static final String FAIL_MIGRATE = "ember.fake.fail-migrate";

  /** Metadata key of a volume: where reverting it to a snapshot fails. */
  public static final String FAIL_REVERT = "ember.fake.fail-revert";

  /** Metadata key of a volume: where uploading it to an image fails. */
  public static final String FAIL_UPLOAD = "ember.fake.fail-upload";

  /** Metadata key of a volume: where changing its type fails. */
  public static final String FAIL_RETYPE = "ember.fake.fail-retype";

  static final String VERSION = "1.1.0";
  static final double MAX_OVER_SUBSCRIPTION_RATIO = 20.0;
  static final long GIB = 1L << 30;

  /** Ids become file names: nothing that could leave the directory. */
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

  /** Names of unmanaged objects: as ids, and also starting with {@code _} ({@code _snapshot-}). */
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,254}");

  private final String host;
  private final List<String> pools;
  private final double totalCapacityGb;
  private final Duration delay;
  private final String backendName;
  private final VolumeHostConfig.Provisioning provisioning;
  private final MeterRegistry meters;
  private final Path volumeDir;
  private final Path snapshotDir;

  /** The bytes of unmanaged volumes and snapshots, each file named as a manage request names it. */
  private final Path unmanagedVolumeDir;

  private final Path unmanagedSnapshotDir;
  private final RecordLog log;
  private final Set<String> qosGauges = ConcurrentHashMap.newKeySet();

  private final ConcurrentMap<String, DriverVolume> volumes = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, SnapshotRecord> snapshots = new ConcurrentHashMap<>();

  /** The connector hosts each volume is exported to (initialize/terminate connection). */
  private final ConcurrentMap<String, Set<String>> connections = new ConcurrentHashMap<>();

  private final ConcurrentMap<String, AtomicInteger> createCalls = new ConcurrentHashMap<>();
  private volatile boolean initialized;

  /** A snapshot as the fake keeps it: with its volume's pool, which its capacity counts against. */
  record SnapshotRecord(DriverSnapshot snapshot, String pool) {}

  @Inject
  FakeDriver(VolumeHostConfig config, MeterRegistry meters) {
    this(
        config.host(),
        config.fake().pools(),
        config.fake().totalCapacityGb(),
        config.fake().delay(),
        config.fake().backendName(),
        config.fake().provisioning(),
        meters,
        Path.of(config.fake().dataDir()));
  }

  /**
   * A thin backend of {@code host} with its settings given directly, as tests build it, keeping its
   * files in a new temporary directory.
   */
  public FakeDriver(
      String host, List<String> pools, double totalCapacityGb, Duration delay, String backendName) {
    this(host, pools, totalCapacityGb, delay, backendName, temporaryDirectory());
  }

  /** A thin backend of {@code host} keeping its files in {@code dataDir}, as tests build it. */
  public FakeDriver(
      String host,
      List<String> pools,
      double totalCapacityGb,
      Duration delay,
      String backendName,
      Path dataDir) {
    this(
        host,
        pools,
        totalCapacityGb,
        delay,
        backendName,
        VolumeHostConfig.Provisioning.thin,
        null,
        dataDir);
  }

  /**
   * @param meters where the volumes held per QoS spec are shown; null for none
   * @param dataDir where the volumes' and snapshots' files are; made when missing
   */
  public FakeDriver(
      String host,
      List<String> pools,
      double totalCapacityGb,
      Duration delay,
      String backendName,
      VolumeHostConfig.Provisioning provisioning,
      MeterRegistry meters,
      Path dataDir) {
    this.host = host;
    this.pools = List.copyOf(pools);
    this.totalCapacityGb = totalCapacityGb;
    this.delay = delay;
    this.backendName = backendName;
    this.provisioning = provisioning;
    this.meters = meters;
    this.volumeDir = dataDir.resolve("volumes");
    this.snapshotDir = dataDir.resolve("snapshots");
    this.unmanagedVolumeDir = dataDir.resolve("unmanaged").resolve("volumes");
    this.unmanagedSnapshotDir = dataDir.resolve("unmanaged").resolve("snapshots");
    this.log = new RecordLog(dataDir.resolve("records.log"));
    try {
      Files.createDirectories(volumeDir);
      Files.createDirectories(snapshotDir);
      Files.createDirectories(unmanagedVolumeDir);
      Files.createDirectories(unmanagedSnapshotDir);
    } catch (IOException e) {
      throw new UncheckedIOException("fake backend data directory " + dataDir + " unusable", e);
    }
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("ember-fake-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads back what an earlier run left in it: the record log, and the record files of the layout
   * before it (moved into the log, then removed). Data files without a record are what a crash left
   * of a create before its record: removed.
   */
  @Override
  public void doSetup() {
    try {
      Map<String, DriverVolume> foundVolumes = new LinkedHashMap<>();
      Map<String, SnapshotRecord> foundSnapshots = new LinkedHashMap<>();
      List<Path> legacy = new ArrayList<>();
      for (Path record : files(volumeDir, ".json")) {
        DriverVolume volume = Json.read(Files.readString(record), DriverVolume.class);
        foundVolumes.put(volume.id(), volume);
        legacy.add(record);
      }
      for (Path record : files(snapshotDir, ".json")) {
        SnapshotRecord snapshot = Json.read(Files.readString(record), SnapshotRecord.class);
        foundSnapshots.put(snapshot.snapshot().id(), snapshot);
        legacy.add(record);
      }
      synchronized (log) {
        log.open(foundVolumes, foundSnapshots);
        volumes.putAll(foundVolumes);
        snapshots.putAll(foundSnapshots);
      }
      for (Path record : legacy) {
        Files.deleteIfExists(record);
      }
      removeStrays(volumeDir, volumes.keySet());
      removeStrays(snapshotDir, snapshots.keySet());
      volumes.values().forEach(v -> showQos(v.qosSpecs()));
    } catch (IOException | RuntimeException e) {
      throw new VolumeDriverException("fake backend data directory unusable: " + e.getMessage());
    }
    if (!volumes.isEmpty() || !snapshots.isEmpty()) {
      LOG.infof(
          "fake backend found %d volumes and %d snapshots in %s",
          volumes.size(), snapshots.size(), volumeDir.getParent());
    }
    initialized = true;
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  private static void removeStrays(Path dir, Set<String> held) throws IOException {
    for (Path data : files(dir, ".img")) {
      String name = data.getFileName().toString();
      if (!held.contains(name.substring(0, name.length() - ".img".length()))) {
        Files.deleteIfExists(data);
      }
    }
  }

  @Override
  public boolean initialized() {
    return initialized;
  }

  // ---- volumes ----

  @Override
  public ModelUpdate createVolume(DriverVolume volume) {
    // No file until the volume is opened: it reads as zeros. One the id had before goes.
    return create(
        volume,
        file -> {
          if (volumes.containsKey(volume.id())) {
            Files.deleteIfExists(file);
          }
        });
  }

  @Override
  public ModelUpdate createVolumeFromSnapshot(DriverVolume volume, DriverSnapshot snapshot) {
    return create(
        volume,
        file -> {
          if (!snapshots.containsKey(snapshot.id())) {
            throw new VolumeDriverException(
                "snapshot " + snapshot.id() + " does not exist on " + host);
          }
          copyOrClear(snapshotFile(snapshot.id()), file, bytes(volume.size()));
        });
  }

  @Override
  public ModelUpdate createClonedVolume(DriverVolume volume, DriverVolume source) {
    return create(
        volume,
        file -> {
          if (!volumes.containsKey(source.id())) {
            throw new VolumeDriverException("volume " + source.id() + " does not exist on " + host);
          }
          copyOrClear(volumeFile(source.id()), file, bytes(volume.size()));
        });
  }

  /** What fills a new volume's file. */
  @FunctionalInterface
  private interface Fill {
    void into(Path file) throws IOException;
  }

  private ModelUpdate create(DriverVolume volume, Fill fill) {
    pause();
    createCalls.computeIfAbsent(volume.id(), id -> new AtomicInteger()).incrementAndGet();
    if (!pools.contains(volume.pool())) {
      throw new VolumeDriverException("pool " + volume.pool() + " does not exist on " + host);
    }
    if (injected(volume.metadata().get(FAIL_CREATE))) {
      throw new VolumeDriverException("injected create failure on " + host);
    }
    String location = "fake://" + host + "/" + volume.pool() + "/" + volume.id();
    // The fake "applies" the type's back-end QoS by keeping it with the volume, where tests and
    // the metrics can see what arrived.
    DriverVolume held =
        new DriverVolume(
            volume.id(),
            volume.size(),
            volume.pool(),
            volume.metadata(),
            location,
            volume.qosSpecs());
    try {
      fill.into(volumeFile(volume.id()));
      keep(held);
    } catch (IOException e) {
      throw new VolumeDriverException("writing volume " + volume.id() + " failed: " + e);
    }
    showQos(volume.qosSpecs());
    return new ModelUpdate(location);
  }

  @Override
  public void copyImageToVolume(DriverVolume volume, InputStream image) throws IOException {
    DriverVolume held = held(volume.id());
    Path file = volumeFile(volume.id());
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    long size = bytes(held.size());
    try (FileChannel out =
        FileChannel.open(
            partial,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      // A fresh file: the blocks of zeros the copy skips are holes, not the volume's old bytes.
      SparseFiles.grow(out, size);
      SparseFiles.write(image, out, size);
      out.force(false);
    } catch (SparseFiles.TooLongException e) {
      Files.deleteIfExists(partial);
      throw new VolumeDriverException(
          "the image is larger than volume " + volume.id() + " (" + held.size() + " GiB)");
    } catch (IOException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void copyVolumeToImage(DriverVolume volume, OutputStream image) throws IOException {
    if (injected(held(volume.id()).metadata().get(FAIL_UPLOAD))) {
      throw new VolumeDriverException("injected upload failure on " + host);
    }
    materialize(held(volume.id()));
    try (FileChannel in = FileChannel.open(volumeFile(volume.id()), StandardOpenOption.READ)) {
      in.transferTo(0, in.size(), Channels.newChannel(image));
    }
  }

  @Override
  public void deleteVolume(DriverVolume volume) {
    pause();
    DriverVolume held = volumes.get(volume.id());
    if (held == null) {
      return;
    }
    if (injected(held.metadata().get(FAIL_DELETE))) {
      throw new VolumeDriverException("injected delete failure on " + host);
    }
    forget(
        "volume", volume.id(), volumes, () -> log.volumeGone(volume.id()), volumeFile(volume.id()));
  }

  /**
   * Nothing of a fake volume depends on its type but the provisioning its pools offer: a type that
   * asks for what they do not (thick on a thin-only backend, say) cannot be taken in place.
   */
  @Override
  public boolean retype(DriverVolume volume, Map<String, String> newExtraSpecs) {
    pause();
    if (injected(held(volume.id()).metadata().get(FAIL_RETYPE))) {
      throw new VolumeDriverException("injected retype failure on " + host);
    }
    String wanted = newExtraSpecs.get("provisioning:type");
    return wanted == null
        || ("thin".equals(wanted) && provisioning.thin())
        || ("thick".equals(wanted) && provisioning.thick());
  }

  @Override
  public void extendVolume(DriverVolume volume, int newSize) {
    pause();
    DriverVolume held = held(volume.id());
    if (injected(held.metadata().get(FAIL_EXTEND))) {
      throw new VolumeDriverException("injected extend failure on " + host);
    }
    if (newSize < held.size()) {
      throw new VolumeDriverException(
          "volume " + volume.id() + " has " + held.size() + " GiB, more than " + newSize);
    }
    DriverVolume grown =
        new DriverVolume(
            held.id(),
            newSize,
            held.pool(),
            held.metadata(),
            held.providerLocation(),
            held.qosSpecs());
    try {
      Path data = volumeFile(volume.id());
      if (Files.exists(data)) {
        try (FileChannel file = FileChannel.open(data, StandardOpenOption.WRITE)) {
          SparseFiles.grow(file, bytes(newSize));
        }
      }
      keep(grown);
    } catch (IOException e) {
      throw new VolumeDriverException("extending volume " + volume.id() + " failed: " + e);
    }
  }

  /**
   * The fake moves a volume itself only between pools of its own host (one backend, shared files);
   * any other destination is declined, so the manager copies the bytes.
   */
  @Override
  public ModelUpdate migrateVolume(DriverVolume volume, String destPool) {
    pause();
    DriverVolume held = held(volume.id());
    if (injected(held.metadata().get(FAIL_MIGRATE))) {
      throw new VolumeDriverException("injected migrate failure on " + host);
    }
    HostAddress dest = HostAddress.parse(destPool);
    if (!dest.backendHost().equals(host) || !pools.contains(dest.pool())) {
      return null;
    }
    DriverVolume moved =
        new DriverVolume(
            held.id(),
            held.size(),
            dest.pool(),
            held.metadata(),
            "fake://" + host + "/" + dest.pool() + "/" + held.id(),
            held.qosSpecs());
    try {
      keep(moved);
    } catch (IOException e) {
      throw new VolumeDriverException("moving volume " + held.id() + " failed: " + e);
    }
    return new ModelUpdate(moved.providerLocation());
  }

  /** Renames the copy's files to the volume's id: the volume keeps its own name here. */
  @Override
  public ModelUpdate updateMigratedVolume(DriverVolume volume, DriverVolume newVolume) {
    DriverVolume copy = held(newVolume.id());
    String location = "fake://" + host + "/" + copy.pool() + "/" + volume.id();
    DriverVolume renamed =
        new DriverVolume(
            volume.id(), copy.size(), copy.pool(), copy.metadata(), location, copy.qosSpecs());
    try {
      // The copy may have no file yet (it reads as zeros): then neither has the volume.
      if (Files.exists(volumeFile(copy.id()))) {
        Files.move(
            volumeFile(copy.id()),
            volumeFile(volume.id()),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.deleteIfExists(volumeFile(volume.id()));
      }
      keep(renamed);
      synchronized (log) {
        log.volumeGone(copy.id());
        volumes.remove(copy.id());
      }
    } catch (IOException e) {
      throw new VolumeDriverException("renaming volume " + copy.id() + " failed: " + e);
    }
    return new ModelUpdate(location);
  }

  @Override
  public SeekableByteChannel openVolume(DriverVolume volume, boolean writable) throws IOException {
    materialize(held(volume.id()));
    return writable
        ? FileChannel.open(
            volumeFile(volume.id()), StandardOpenOption.READ, StandardOpenOption.WRITE)
        : FileChannel.open(volumeFile(volume.id()), StandardOpenOption.READ);
  }

  // ---- snapshots ----

  @Override
  public ModelUpdate createSnapshot(DriverSnapshot snapshot) {
    pause();
    checkId(snapshot.id());
    DriverVolume volume = held(snapshot.volumeId());
    if (injected(volume.metadata().get(FAIL_SNAPSHOT))) {
      throw new VolumeDriverException("injected snapshot failure on " + host);
    }
    String location = "fake://" + host + "/" + volume.pool() + "/snapshots/" + snapshot.id();
    SnapshotRecord record =
        new SnapshotRecord(
            new DriverSnapshot(snapshot.id(), volume.id(), volume.size(), location), volume.pool());
    try {
      copyOrClear(volumeFile(volume.id()), snapshotFile(snapshot.id()), bytes(volume.size()));
      synchronized (log) {
        log.snapshot(record);
        snapshots.put(snapshot.id(), record);
        compactIfOvergrown();
      }
    } catch (IOException e) {
      throw new VolumeDriverException("writing snapshot " + snapshot.id() + " failed: " + e);
    }
    return new ModelUpdate(location);
  }

  @Override
  public void deleteSnapshot(DriverSnapshot snapshot) {
    pause();
    SnapshotRecord held = snapshots.get(snapshot.id());
    if (held == null) {
      return;
    }
    DriverVolume volume = volumes.get(held.snapshot().volumeId());
    if (volume != null && injected(volume.metadata().get(FAIL_DELETE_SNAPSHOT))) {
      throw new VolumeDriverException("injected snapshot delete failure on " + host);
    }
    forget(
        "snapshot",
        snapshot.id(),
        snapshots,
        () -> log.snapshotGone(snapshot.id()),
        snapshotFile(snapshot.id()));
  }

  @Override
  public void revertToSnapshot(DriverVolume volume, DriverSnapshot snapshot) {
    pause();
    DriverVolume held = held(volume.id());
    if (injected(held.metadata().get(FAIL_REVERT))) {
      throw new VolumeDriverException("injected revert failure on " + host);
    }
    if (!snapshots.containsKey(snapshot.id())) {
      throw new VolumeDriverException("snapshot " + snapshot.id() + " does not exist on " + host);
    }
    try {
      copyOrClear(snapshotFile(snapshot.id()), volumeFile(volume.id()), bytes(held.size()));
    } catch (IOException e) {
      throw new VolumeDriverException("reverting volume " + volume.id() + " failed: " + e);
    }
  }

  // ---- stats ----

  @Override
  public VolumeStats getVolumeStats() {
    Map<String, Integer> provisioned = new LinkedHashMap<>();
    Map<String, Integer> count = new LinkedHashMap<>();
    for (DriverVolume v : volumes.values()) {
      provisioned.merge(v.pool(), v.size(), Integer::sum);
      count.merge(v.pool(), 1, Integer::sum);
    }
    for (SnapshotRecord s : snapshots.values()) {
      provisioned.merge(s.pool(), s.snapshot().volumeSize(), Integer::sum);
    }
    List<PoolStats> stats =
        pools.stream()
            .map(
                pool -> {
                  int used = provisioned.getOrDefault(pool, 0);
                  return new PoolStats(
                      pool,
                      totalCapacityGb,
                      totalCapacityGb - used,
                      used,
                      provisioning.thin(),
                      provisioning.thick(),
                      MAX_OVER_SUBSCRIPTION_RATIO,
                      0,
                      Map.of(
                          "total_volumes", String.valueOf(count.getOrDefault(pool, 0)),
                          "multiattach", "false",
                          "QoS_support", "false",
                          "backend_state", "up"));
                })
            .toList();
    return new VolumeStats(backendName, "Ember", VERSION, "fake", stats);
  }

  // ---- manage / unmanage ----

  /** What Cinder's drivers answer for a reference naming nothing they can adopt. */
  private static VolumeDriverException invalidReference(Map<String, String> ref, String reason) {
    return new VolumeDriverException(
        "Manage existing volume failed due to invalid backend reference "
            + pyDict(ref)
            + ": "
            + reason);
  }

  /** A reference as Python prints the dict Cinder's message shows. */
  private static String pyDict(Map<String, String> ref) {
    return ref.entrySet().stream()
        .map(e -> "'" + e.getKey() + "': '" + e.getValue() + "'")
        .collect(Collectors.joining(", ", "{", "}"));
  }

  /**
   * The unmanaged file {@code ref} names in {@code dir}: {@code source-name} is the file's name,
   * {@code source-id} the id an unmanaged object had ({@code prefix} + id).
   */
  private static Path unmanagedFile(Path dir, String prefix, Map<String, String> ref) {
    String name =
        ref.containsKey("source-name")
            ? ref.get("source-name")
            : ref.containsKey("source-id") ? prefix + ref.get("source-id") : null;
    if (name == null) {
      throw invalidReference(ref, "Reference must contain source-id or source-name element.");
    }
    if (!SAFE_NAME.matcher(name).matches()) {
      throw invalidReference(ref, "Specified object does not exist.");
    }
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw invalidReference(ref, "Specified object does not exist.");
    }
    return file;
  }

  /** GiB a file of {@code length} bytes needs, rounded up (at least 1). */
  private static int gibOf(long length) {
    return (int) Math.max(1, (length + GIB - 1) / GIB);
  }

  /**
   * Moves the volume's bytes (all of them: a volume never written gets its sparse file first) to
   * {@code volume-<id>} among the unmanaged objects, then forgets it: a crash in between leaves a
   * record without data, never bytes the next setup would remove as strays.
   */
  @Override
  public void unmanage(DriverVolume volume) {
    pause();
    DriverVolume held = volumes.get(volume.id());
    if (held == null) {
      return;
    }
    try {
      materialize(held);
      Files.move(
          volumeFile(volume.id()),
          unmanagedVolumeDir.resolve("volume-" + volume.id()),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      synchronized (log) {
        log.volumeGone(volume.id());
        volumes.remove(volume.id());
      }
    } catch (IOException e) {
      throw new VolumeDriverException("unmanaging volume " + volume.id() + " failed: " + e);
    }
  }

  @Override
  public int manageExistingGetSize(DriverVolume volume, Map<String, String> ref) {
    try {
      return gibOf(Files.size(unmanagedFile(unmanagedVolumeDir, "volume-", ref)));
    } catch (IOException e) {
      throw invalidReference(ref, "Specified object cannot be read: " + e.getMessage());
    }
  }

  /** The named bytes become the volume's file, at the size they have (rounded up to GiB). */
  @Override
  public ModelUpdate manageExisting(DriverVolume volume, Map<String, String> ref) {
    pause();
    checkId(volume.id());
    if (!pools.contains(volume.pool())) {
      throw new VolumeDriverException("pool " + volume.pool() + " does not exist on " + host);
    }
    Path source = unmanagedFile(unmanagedVolumeDir, "volume-", ref);
    String location = "fake://" + host + "/" + volume.pool() + "/" + volume.id();
    try {
      int size = gibOf(Files.size(source));
      Files.move(
          source,
          volumeFile(volume.id()),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      keep(
          new DriverVolume(
              volume.id(), size, volume.pool(), volume.metadata(), location, volume.qosSpecs()));
    } catch (IOException e) {
      throw new VolumeDriverException("managing volume " + volume.id() + " failed: " + e);
    }
    showQos(volume.qosSpecs());
    return new ModelUpdate(location);
  }

  /**
   * As {@link #unmanage}: the bytes go to {@code _snapshot-<id>} (Tempest's default reference),
   * with the id of their volume beside them for the listing.
   */
  @Override
  public void unmanageSnapshot(DriverSnapshot snapshot) {
    pause();
    SnapshotRecord held = snapshots.get(snapshot.id());
    if (held == null) {
      return;
    }
    Path file = snapshotFile(snapshot.id());
    Path kept = unmanagedSnapshotDir.resolve("_snapshot-" + snapshot.id());
    try {
      if (!Files.exists(file) || Files.size(file) < bytes(held.snapshot().volumeSize())) {
        SparseFiles.ensure(file, bytes(held.snapshot().volumeSize()));
      }
      Files.writeString(
          kept.resolveSibling(kept.getFileName() + ".volume"), held.snapshot().volumeId());
      Files.move(file, kept, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      synchronized (log) {
        log.snapshotGone(snapshot.id());
        snapshots.remove(snapshot.id());
      }
    } catch (IOException e) {
      throw new VolumeDriverException("unmanaging snapshot " + snapshot.id() + " failed: " + e);
    }
  }

  @Override
  public ManagedSnapshot manageExistingSnapshot(DriverSnapshot snapshot, Map<String, String> ref) {
    pause();
    checkId(snapshot.id());
    DriverVolume volume = held(snapshot.volumeId());
    Path source = unmanagedFile(unmanagedSnapshotDir, "_snapshot-", ref);
    String location = "fake://" + host + "/" + volume.pool() + "/snapshots/" + snapshot.id();
    try {
      int size = gibOf(Files.size(source));
      Files.move(
          source,
          snapshotFile(snapshot.id()),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Files.deleteIfExists(source.resolveSibling(source.getFileName() + ".volume"));
      SnapshotRecord record =
          new SnapshotRecord(
              new DriverSnapshot(snapshot.id(), volume.id(), size, location), volume.pool());
      synchronized (log) {
        log.snapshot(record);
        snapshots.put(snapshot.id(), record);
        compactIfOvergrown();
      }
      return new ManagedSnapshot(size, location);
    } catch (IOException e) {
      throw new VolumeDriverException("managing snapshot " + snapshot.id() + " failed: " + e);
    }
  }

  /**
   * The unmanaged volumes, safe to manage, then the managed ones, not (Cinder's LVM lists both).
   */
  @Override
  public List<ManageableList.Item> manageableVolumes() {
    List<ManageableList.Item> items = new ArrayList<>();
    try {
      for (Path file : files(unmanagedVolumeDir, "")) {
        items.add(
            new ManageableList.Item(
                Map.of("source-name", file.getFileName().toString()),
                gibOf(Files.size(file)),
                true,
                null,
                null,
                Map.of(),
                null));
      }
    } catch (IOException e) {
      throw new VolumeDriverException("listing unmanaged volumes failed: " + e);
    }
    for (DriverVolume v : volumes.values()) {
      items.add(
          new ManageableList.Item(
              Map.of("source-name", "volume-" + v.id()),
              v.size(),
              false,
              "Already managed",
              v.id(),
              Map.of(),
              null));
    }
    return items;
  }

  @Override
  public List<ManageableList.Item> manageableSnapshots() {
    List<ManageableList.Item> items = new ArrayList<>();
    try {
      for (Path file : files(unmanagedSnapshotDir, "")) {
        String name = file.getFileName().toString();
        if (name.endsWith(".volume")) {
          continue;
        }
        Path volumeOf = file.resolveSibling(name + ".volume");
        String volumeId = Files.exists(volumeOf) ? Files.readString(volumeOf).trim() : null;
        items.add(
            new ManageableList.Item(
                Map.of("source-name", name),
                gibOf(Files.size(file)),
                true,
                null,
                null,
                Map.of(),
                volumeId == null ? null : Map.of("source-name", "volume-" + volumeId)));
      }
    } catch (IOException e) {
      throw new VolumeDriverException("listing unmanaged snapshots failed: " + e);
    }
    for (SnapshotRecord record : snapshots.values()) {
      DriverSnapshot snap = record.snapshot();
      items.add(
          new ManageableList.Item(
              Map.of("source-name", "_snapshot-" + snap.id()),
              snap.volumeSize(),
              false,
              "Already managed",
              snap.id(),
              Map.of(),
              Map.of("source-name", "volume-" + snap.volumeId())));
    }
    return items;
  }

  /** The file of the unmanaged volume {@code name}, for tests: it holds that object's bytes. */
  public Path unmanagedVolumeFile(String name) {
    return unmanagedVolumeDir.resolve(name);
  }

  // ---- for tests ----

  /** Whether the backend holds {@code volumeId}. */
  public boolean holds(String volumeId) {
    return volumes.containsKey(volumeId);
  }

  /** Whether the backend holds the snapshot {@code snapshotId}. */
  public boolean holdsSnapshot(String snapshotId) {
    return snapshots.containsKey(snapshotId);
  }

  /** The size in GiB the backend holds {@code volumeId} at, or 0 when it does not hold it. */
  public int sizeOf(String volumeId) {
    DriverVolume held = volumes.get(volumeId);
    return held == null ? 0 : held.size();
  }

  /**
   * The volume's file, which exists once the volume has been opened or filled: tests look at its
   * bytes and at how much of it is allocated.
   */
  public Path fileOf(String volumeId) {
    return volumeFile(volumeId);
  }

  /** The back-end QoS the volume was created with, or null (none, or not held). */
  public QosSpecs qosSpecs(String volumeId) {
    DriverVolume held = volumes.get(volumeId);
    return held == null ? null : held.qosSpecs();
  }

  /** How many times create was called for {@code volumeId}: lets tests see duplicate work. */
  public int createCalls(String volumeId) {
    AtomicInteger calls = createCalls.get(volumeId);
    return calls == null ? 0 : calls.get();
  }

  // ---- files ----

  /**
   * An iSCSI connection shaped as Cinder's fake driver answers it; the connector's host is
   * remembered, so a test can see what is exported.
   */
  @Override
  public DriverConnection initializeConnection(DriverVolume volume, Map<String, Object> connector) {
    pause();
    DriverVolume held = held(volume.id());
    if (injected(held.metadata().get(FAIL_CONNECT))) {
      throw new VolumeDriverException("injected connection failure on " + host);
    }
    connections
        .computeIfAbsent(volume.id(), k -> ConcurrentHashMap.newKeySet())
        .add(connectorHost(connector));
    // As Cinder's fake driver: an iSCSI connection with no target details of its own (the manager
    // adds access_mode, qos_specs, encrypted and cacheable); what is exported is kept above.
    return new DriverConnection("iscsi", Map.of());
  }

  @Override
  public void terminateConnection(
      DriverVolume volume, Map<String, Object> connector, boolean force) {
    pause();
    Set<String> hosts = connections.get(volume.id());
    if (hosts == null) {
      return;
    }
    if (connector == null) {
      hosts.clear();
    } else {
      hosts.remove(connectorHost(connector));
    }
  }

  /** The connector hosts {@code volumeId} is exported to. */
  public Set<String> connections(String volumeId) {
    return Set.copyOf(connections.getOrDefault(volumeId, Set.of()));
  }

  private static String connectorHost(Map<String, Object> connector) {
    Object name = connector == null ? null : connector.get("host");
    return name == null ? "" : name.toString();
  }

  private DriverVolume held(String volumeId) {
    DriverVolume held = volumes.get(volumeId);
    if (held == null) {
      throw new VolumeDriverException("volume " + volumeId + " does not exist on " + host);
    }
    return held;
  }

  private Path volumeFile(String volumeId) {
    checkId(volumeId);
    return volumeDir.resolve(volumeId + ".img");
  }

  private Path snapshotFile(String snapshotId) {
    checkId(snapshotId);
    return snapshotDir.resolve(snapshotId + ".img");
  }

  private static void checkId(String id) {
    if (id == null || !SAFE_ID.matcher(id).matches()) {
      throw new VolumeDriverException("not an id the fake backend can keep: " + id);
    }
  }

  /** Records the volume as it now is: after its data, which the record marks complete. */
  private void keep(DriverVolume volume) throws IOException {
    synchronized (log) {
      log.volume(volume);
      volumes.put(volume.id(), volume);
      compactIfOvergrown();
    }
  }

  /** A line of the record log. */
  @FunctionalInterface
  private interface LogLine {
    void write() throws IOException;
  }

  /**
   * Forgets a volume or snapshot: its record first, so a crash in between leaves stray data
   * (removed at the next setup), never a record without its data.
   */
  private void forget(String what, String id, Map<String, ?> held, LogLine gone, Path data) {
    try {
      synchronized (log) {
        gone.write();
        held.remove(id);
      }
      Files.deleteIfExists(data);
    } catch (IOException e) {
      throw new VolumeDriverException("removing " + what + " " + id + " failed: " + e);
    }
  }

  /** Rewrites the record log once it holds many more lines than live records; under its lock. */
  private void compactIfOvergrown() throws IOException {
    if (log.overgrown(volumes.size() + snapshots.size())) {
      log.rewrite(volumes.values(), snapshots.values());
    }
  }

  /** Makes the file of a volume that has none yet: its full size, all holes. */
  private void materialize(DriverVolume volume) throws IOException {
    Path file = volumeFile(volume.id());
    // Also a file shorter than the volume (written from outside, e.g. by a test, before the driver
    // made it): the rest reads as zeros, and a copy of it must find all its bytes.
    if (!Files.exists(file) || Files.size(file) < bytes(volume.size())) {
      SparseFiles.ensure(file, bytes(volume.size()));
    }
  }

  /**
   * Makes {@code target} a copy of {@code source}, or, when the source has no file (it reads as
   * zeros), leaves the target without one too.
   */
  private static void copyOrClear(Path source, Path target, long length) throws IOException {
    if (Files.exists(source)) {
      SparseFiles.copy(source, target, length);
    } else {
      Files.deleteIfExists(target);
    }
  }

  private static long bytes(int gib) {
    return gib * GIB;
  }

  /**
   * A gauge per QoS spec (id, consumer and keys as tags): how many volumes this backend holds with
   * it. Few series: one per distinct spec the host has seen.
   */
  private void showQos(QosSpecs qos) {
    if (meters == null || qos == null) {
      return;
    }
    String keys =
        new TreeMap<>(qos.specs())
            .entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    String series = qos.id() + "|" + qos.consumer() + "|" + keys;
    if (qosGauges.add(series)) {
      Gauge.builder("ember.fake.qos.volumes", volumes, held -> count(held, qos))
          .description("Volumes the fake backend holds with this back-end QoS spec")
          .tag("qos_specs_id", String.valueOf(qos.id()))
          .tag("consumer", String.valueOf(qos.consumer()))
          .tag("specs", keys)
          .register(meters);
    }
  }

  private static double count(Map<String, DriverVolume> held, QosSpecs qos) {
    return held.values().stream().filter(v -> qos.equals(v.qosSpecs())).count();
  }

  private boolean injected(String hosts) {
    if (hosts == null || hosts.isBlank()) {
      return false;
    }
    return Arrays.stream(hosts.split(","))
        .map(String::trim)
        .anyMatch(h -> h.equals("*") || h.equals(host));
  }

  private void pause() {
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VolumeDriverException("interrupted");
    }
  }
}
