package io.ember.volume.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.AdoptMigrationTarget;
import io.ember.model.contract.CompleteMigration;
import io.ember.model.contract.CreateMigrationTarget;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.MigrateVolume;
import io.ember.model.contract.MigrationTargetReady;
import io.ember.model.contract.Retry;
import io.ember.model.contract.VolumeMigrateFailed;
import io.ember.model.contract.VolumeMigrated;
import io.ember.model.contract.VolumeMigrationStatus;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.reply.Reply;
import io.ember.model.reply.ReplyAddress;
import io.ember.model.reply.ReplyFailedException;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.fake.FakeDriver;
import io.ember.volume.manager.MigrationChannels;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A copying migration as this host takes part in it, driven over its command topic: as the
 * destination it creates the target, opens a one-time data channel (HTTP, token checked, once) and
 * adopts the target as the volume; as the source it asks the other host for a target, streams the
 * bytes to the channel it is given, and completes, or fails with its volume intact.
 */
@QuarkusTest
class MigrationCommandsTest {

  private static final String HOST = "testnode@fake";
  private static final String POOL = HOST + "#fake";
  private static final String OTHER = "othernode@fake";
  // A migration streams a whole GiB over loopback HTTP: on a loaded 2-core machine that took over
  // 30 s once (CI, 2026-12-07). Successful waits end as soon as the events arrive.
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final long GIB = 1L << 30;

  private static KafkaCompanion kafka;
  private static Topics topics;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Inject FakeDriver driver;
  @Inject BackendVolumes volumes;

  @BeforeAll
  static void connect() {
    kafka = new KafkaCompanion("localhost:9092");
    topics = new Topics(ConfigProvider.getConfig().getValue("ember.topic-prefix", String.class));
  }

  @AfterAll
  static void disconnect() {
    kafka.close();
  }

  // ---- destination ----

  @Test
  void theDestinationTakesTheBytesOnceWithItsTokenAndAdoptsTheTarget() throws Exception {
    String volumeId = newId();
    String targetId = newId();
    send(
        HOST,
        volumeId,
        Envelope.of(
            MessageType.CREATE_MIGRATION_TARGET,
            volumeId,
            context(),
            new CreateMigrationTarget(volumeId, targetId, "proj", 1, POOL, OTHER)));
    MigrationTargetReady ready =
        one(topics.volumeHost(OTHER), volumeId, MessageType.MIGRATION_TARGET_READY)
            .payloadAs(MigrationTargetReady.class);
    assertNull(ready.error());
    assertEquals(targetId, ready.targetId());
    assertTrue(ready.url().startsWith("http://127.0.0.1:"), ready.url());
    assertTrue(ready.url().endsWith(MigrationChannels.PATH + targetId), ready.url());
    assertTrue(driver.holds(targetId), "the target exists");

    byte[] head = pattern(1);
    byte[] tail = pattern(2);
    byte[] bytes = new byte[(int) (8L << 20)];
    System.arraycopy(head, 0, bytes, 0, head.length);
    System.arraycopy(tail, 0, bytes, bytes.length - tail.length, tail.length);

    assertEquals(401, put(ready.url(), "not-the-token", bytes), "a wrong token is refused");
    assertEquals(204, put(ready.url(), ready.token(), bytes));
    assertEquals(401, put(ready.url(), ready.token(), bytes), "the channel is good once");
    assertArrayEquals(head, read(targetId, 0, head.length));
    assertArrayEquals(tail, read(targetId, bytes.length - tail.length, tail.length));

    send(
        HOST,
        volumeId,
        Envelope.of(
            MessageType.ADOPT_MIGRATION_TARGET,
            volumeId,
            context(),
            new AdoptMigrationTarget(volumeId, targetId, "proj", 1, POOL)));
    VolumeMigrated migrated =
        one(topics.volumeEvents(), volumeId, MessageType.VOLUME_MIGRATED)
            .payloadAs(VolumeMigrated.class);
    assertEquals(POOL, migrated.pool());
    assertTrue(migrated.providerLocation().endsWith("/" + volumeId), migrated.providerLocation());
    assertTrue(driver.holds(volumeId), "the target is the volume now");
    assertFalse(driver.holds(targetId));
    assertArrayEquals(head, read(volumeId, 0, head.length));
    assertTrue(inTransaction(() -> volumes.find(volumeId).isPresent()));
    assertFalse(inTransaction(() -> volumes.find(targetId).isPresent()));
  }

  /**
   * Found by the chaos run: a destination restarted mid-migration refuses the source's upload (its
   * token is gone), and the rest of the GiB the source still sent piled up in the heap until the
   * host died of it (128 MB heap). A refused upload is read and dropped as it comes.
   */
  @Test
  void aRefusedUploadIsReadAndDroppedNotKeptInMemory() throws Exception {
    String url =
        "http://127.0.0.1:"
            + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class)
            + MigrationChannels.PATH
            + newId();
    long size = 768L << 20;
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    long before = runtime.totalMemory() - runtime.freeMemory();
    java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean sampling =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread sampler =
        new Thread(
            () -> {
              while (sampling.get()) {
                // What stays after a collection: kept chunks count, the copies' garbage does not.
                System.gc();
                peak.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.start();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    int status;
    try {
      status =
          http.send(
                  HttpRequest.newBuilder(URI.create(url))
                      .header(MigrationChannels.TOKEN_HEADER, "not-the-token")
                      .PUT(
                          HttpRequest.BodyPublishers.fromPublisher(
                              HttpRequest.BodyPublishers.ofInputStream(() -> new ZeroStream(size)),
                              size))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
    } catch (IOException cut) {
      status = 401; // the host may also end the connection once it has answered
    }
    Thread.sleep(2000); // whatever still arrives after the answer
    sampling.set(false);
    sampler.join();
    assertEquals(401, status);
    long grown = peak.get() - before;
    assertTrue(
        grown < (128L << 20), "the refused upload kept " + (grown >> 20) + " MiB in the heap");
  }

  /** {@code size} zero bytes, made as they are read. */
  private static final class ZeroStream extends java.io.InputStream {
    private long left;

    ZeroStream(long size) {
      this.left = size;
    }

    @Override
    public int read() {
      if (left == 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }

  // ---- source ----

  @Test
  void theSourceStreamsItsBytesToTheTargetAndLetsItsCopyGo() throws Exception {
    String volumeId = createdVolume(Map.of());
    byte[] head = pattern(3);
    byte[] deep = pattern(4);
    write(volumeId, 0, head);
    write(volumeId, GIB - deep.length, deep);

    send(HOST, volumeId, migrate(volumeId));
    assertEquals(
        "migrating",
        one(topics.volumeEvents(), volumeId, MessageType.VOLUME_MIGRATION_STATUS)
            .payloadAs(VolumeMigrationStatus.class)
            .migrationStatus());
    CreateMigrationTarget target =
        one(topics.volumeHost(OTHER), volumeId, MessageType.CREATE_MIGRATION_TARGET)
            .payloadAs(CreateMigrationTarget.class);
    assertEquals(HOST, target.sourceHost());
    assertEquals(1, target.size());
    assertTrue(driver.holds(volumeId), "nothing moved yet");

    // The other host's channel: a server that keeps what it is sent.
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    AtomicInteger tokenSeen = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          if ("tok".equals(exchange.getRequestHeaders().getFirst(MigrationChannels.TOKEN_HEADER))) {
            tokenSeen.incrementAndGet();
          }
          try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(received);
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/t";
      send(HOST, volumeId, ready(target, url, null));
      assertEquals(
          2,
          events(topics.volumeEvents(), volumeId, MessageType.VOLUME_MIGRATION_STATUS, 2).size());
      AdoptMigrationTarget adopt =
          one(topics.volumeHost(OTHER), volumeId, MessageType.ADOPT_MIGRATION_TARGET)
              .payloadAs(AdoptMigrationTarget.class);
      assertEquals(target.targetId(), adopt.targetId());
    } finally {
      server.stop(0);
    }
    assertEquals(1, tokenSeen.get(), "sent once, with the token");
    byte[] sent = received.toByteArray();
    assertEquals(GIB, sent.length);
    assertArrayEquals(head, java.util.Arrays.copyOfRange(sent, 0, head.length));
    assertArrayEquals(
        deep, java.util.Arrays.copyOfRange(sent, (int) (GIB - deep.length), (int) GIB));
    awaitTrue(() -> !driver.holds(volumeId), "the source copy deleted");
    assertFalse(inTransaction(() -> volumes.find(volumeId).isPresent()));
  }

  @Test
  void theCompletionCallHandsTheVolumeToTheNewVolumesHostAndAnswers() throws Exception {
    String volumeId = createdVolume(Map.of());
    String newId = newId();
    ReplyAddress address = new ReplyAddress(topics.replies("test-api-" + newId()), newId());
    sendCompletion(volumeId, newId, address);

    Reply answer = one(address.topic(), volumeId, MessageType.REPLY).payloadAs(Reply.class);
    assertEquals(address.correlationId(), answer.correlationId());
    assertFalse(answer.failed(), String.valueOf(answer.fault()));
    AdoptMigrationTarget adopt =
        one(topics.volumeHost(OTHER), volumeId, MessageType.ADOPT_MIGRATION_TARGET)
            .payloadAs(AdoptMigrationTarget.class);
    assertEquals(new AdoptMigrationTarget(volumeId, newId, "proj", 1, OTHER + "#fake"), adopt);
    awaitTrue(() -> !driver.holds(volumeId), "the source copy deleted");
    assertFalse(inTransaction(() -> volumes.find(volumeId).isPresent()));

    // Called again for a volume it no longer holds: refused, nothing sent.
    ReplyAddress again = new ReplyAddress(address.topic(), newId());
    sendCompletion(volumeId, newId, again);
    Reply refused =
        events(again.topic(), volumeId, MessageType.REPLY, 2).stream()
            .map(e -> e.payloadAs(Reply.class))
            .filter(r -> again.correlationId().equals(r.correlationId()))
            .findFirst()
            .orElseThrow();
    ReplyFailedException fault =
        assertThrows(ReplyFailedException.class, () -> refused.resultAs(Object.class));
    assertEquals(400, fault.code());
    assertEquals(
        "Invalid volume: Volume " + volumeId + " could not be found on " + HOST + ".",
        fault.getMessage());
  }

  /** {@code migrate_volume_completion} of {@code volumeId} to this host, as the API calls it. */
  private static void sendCompletion(String volumeId, String newId, ReplyAddress address) {
    send(
        HOST,
        volumeId,
        Envelope.of(
                MessageType.MIGRATE_VOLUME_COMPLETION,
                volumeId,
                context(),
                new CompleteMigration(volumeId, newId, "proj", 1, POOL, OTHER + "#fake"))
            .withReply(address));
  }

  @Test
  void aRefusedUploadFailsTheMigrationDeletesTheTargetAndKeepsTheSource() throws Exception {
    String volumeId = createdVolume(Map.of());
    byte[] head = pattern(5);
    write(volumeId, 0, head);
    send(HOST, volumeId, migrate(volumeId));
    CreateMigrationTarget target =
        one(topics.volumeHost(OTHER), volumeId, MessageType.CREATE_MIGRATION_TARGET)
            .payloadAs(CreateMigrationTarget.class);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          // Read to the end before refusing, as the destination's channel does: a server that
          // answers while the client still sends races the client's write (the connection may be
          // reset before the refusal is read).
          exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
          exchange.sendResponseHeaders(401, -1);
          exchange.close();
        });
    server.start();
    try {
      send(
          HOST,
          volumeId,
          ready(target, "http://127.0.0.1:" + server.getAddress().getPort() + "/t", null));
      VolumeMigrateFailed failed =
          one(topics.volumeEvents(), volumeId, MessageType.VOLUME_MIGRATE_FAILED)
              .payloadAs(VolumeMigrateFailed.class);
      assertTrue(failed.reason().contains("401"), failed.reason());
    } finally {
      server.stop(0);
    }
    DeleteVolume cleanup =
        one(topics.volumeHost(OTHER), volumeId, MessageType.DELETE_VOLUME)
            .payloadAs(DeleteVolume.class);
    assertEquals(target.targetId(), cleanup.volumeId());
    assertTrue(driver.holds(volumeId));
    assertArrayEquals(head, read(volumeId, 0, head.length), "the source is intact");
    assertTrue(inTransaction(() -> volumes.find(volumeId).isPresent()));
  }

  @Test
  void aTargetThatCouldNotBeMadeOrAnInjectedDriverFailureFailsTheMigration() throws Exception {
    String volumeId = createdVolume(Map.of());
    send(HOST, volumeId, migrate(volumeId));
    CreateMigrationTarget target =
        one(topics.volumeHost(OTHER), volumeId, MessageType.CREATE_MIGRATION_TARGET)
            .payloadAs(CreateMigrationTarget.class);
    send(HOST, volumeId, ready(target, null, "no space"));
    assertTrue(
        one(topics.volumeEvents(), volumeId, MessageType.VOLUME_MIGRATE_FAILED)
            .payloadAs(VolumeMigrateFailed.class)
            .reason()
            .contains("no space"));
    assertTrue(driver.holds(volumeId));

    String failing = createdVolume(Map.of(FakeDriver.FAIL_MIGRATE, "*"));
    send(HOST, failing, migrate(failing));
    assertEquals(
        "injected migrate failure on " + HOST,
        one(topics.volumeEvents(), failing, MessageType.VOLUME_MIGRATE_FAILED)
            .payloadAs(VolumeMigrateFailed.class)
            .reason());
    assertTrue(driver.holds(failing));
    assertTrue(
        records(topics.volumeHost(OTHER), r -> failing.equals(r.key()), 1, Duration.ofSeconds(2))
            .isEmpty(),
        "no target asked for");
  }

  // ---- helpers ----

  private static Envelope migrate(String volumeId) {
    return Envelope.of(
        MessageType.MIGRATE_VOLUME,
        volumeId,
        context(),
        new MigrateVolume(volumeId, "proj", 1, POOL, OTHER + "#fake", false));
  }

  private static Envelope ready(CreateMigrationTarget target, String url, String error) {
    return Envelope.of(
        MessageType.MIGRATION_TARGET_READY,
        target.volumeId(),
        context(),
        new MigrationTargetReady(
            target.volumeId(),
            target.projectId(),
            target.size(),
            target.targetId(),
            target.destPool(),
            error == null ? "fake://" + OTHER + "/fake/" + target.targetId() : null,
            url,
            error == null ? "tok" : null,
            error));
  }

  private String createdVolume(Map<String, String> metadata) {
    String id = newId();
    VolumeSpec spec =
        new VolumeSpec(id, "proj", "user", 1, "vol", "nova", null, null, metadata, Instant.now());
    send(
        HOST,
        id,
        Envelope.of(
            MessageType.CREATE_VOLUME,
            id,
            context(),
            new CreateVolume(spec, POOL, new Retry(1, List.of(), null), false)));
    one(topics.volumeEvents(), id, MessageType.VOLUME_CREATED);
    return id;
  }

  private static int put(String url, String token, byte[] body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      request.header(MigrationChannels.TOKEN_HEADER, token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private void write(String volumeId, long position, byte[] bytes) throws IOException {
    try (SeekableByteChannel channel = driver.openVolume(handle(volumeId), true)) {
      channel.position(position).write(ByteBuffer.wrap(bytes));
    }
  }

  private byte[] read(String volumeId, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try (SeekableByteChannel channel = driver.openVolume(handle(volumeId), false)) {
      channel.position(position);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // read on
      }
    }
    return buffer.array();
  }

  private static DriverVolume handle(String id) {
    return new DriverVolume(id, 1, "fake", null, null);
  }

  private static byte[] pattern(long seed) {
    byte[] bytes = new byte[64 * 1024];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  private static RequestContext context() {
    return new RequestContext("req-m", "admin", "proj", List.of("admin"));
  }

  private static <T> T inTransaction(java.util.function.Supplier<T> read) {
    return QuarkusTransaction.requiringNew().call(read::get);
  }

  private static void awaitTrue(java.util.function.BooleanSupplier check, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!check.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }

  private static void send(String host, String key, Envelope envelope) {
    kafka
        .produceStrings()
        .fromRecords(new ProducerRecord<>(topics.volumeHost(host), key, envelope.toJson()))
        .awaitCompletion(WAIT);
  }

  private static List<ConsumerRecord<String, String>> records(
      String topic, Predicate<ConsumerRecord<String, String>> match, int count, Duration wait) {
    try (ConsumerTask<String, String> task =
        kafka
            .consumeStrings()
            .withGroupId("test-" + UUID.randomUUID())
            .withProp("auto.offset.reset", "earliest")
            .fromTopics(topic, records -> records.filter(match))) {
      try {
        task.awaitRecords(count, wait);
      } catch (AssertionError notYet) {
        // The caller judges what arrived.
      }
      return task.getRecords();
    }
  }

  private static List<Envelope> events(String topic, String key, MessageType type, int count) {
    return records(
            topic,
            r -> key.equals(r.key()) && Envelope.fromJson(r.value()).messageType() == type,
            count,
            WAIT)
        .stream()
        .map(r -> Envelope.fromJson(r.value()))
        .toList();
  }

  private static Envelope one(String topic, String key, MessageType type) {
    List<Envelope> found = events(topic, key, type, 1);
    assertEquals(1, found.size(), "expected " + type.wire() + " for " + key);
    assertNotNull(found.get(0));
    return found.get(0);
  }
}
