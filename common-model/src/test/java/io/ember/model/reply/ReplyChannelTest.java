package io.ember.model.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.RequestContext;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.health.ReplyChannelHealth;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The waiting side of request-reply against the real broker (deploy/local/ember kafka-up): a host
 * answering late but in time, a host that never answers, a reply that comes twice, and two
 * processes that each get only their own replies.
 */
class ReplyChannelTest {

  private static final String BOOTSTRAP =
      System.getProperty("kafka.bootstrap.servers", "localhost:9092");

  /** The answers the contract carries; any record does. */
  record Connection(String driverVolumeType) {}

  private final String prefix = "test-reply-" + UUID.randomUUID();
  private final ExecutorService callbacks = Executors.newFixedThreadPool(2);
  private KafkaProducer<String, String> host;
  private ReplyChannel channel;
  private ReplyChannel other;

  @BeforeEach
  void start() {
    host =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP),
            new StringSerializer(),
            new StringSerializer());
    channel =
        new ReplyChannel(BOOTSTRAP, prefix + ".reply.api-1", Duration.ofSeconds(5), callbacks);
    channel.start();
  }

  @AfterEach
  void stop() throws Exception {
    channel.close();
    if (other != null) {
      other.close();
    }
    host.close();
    callbacks.shutdownNow();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP))) {
      List<String> made =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(t -> t.startsWith(prefix))
              .toList();
      admin.deleteTopics(made).all().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSlowHostThatAnswersInTimeCompletesTheCall() throws Exception {
    PendingCall call = channel.open("initialize_connection", Duration.ofSeconds(10));
    Thread.sleep(1_500);
    answer(call.address(), Reply.success(call.address().correlationId(), new Connection("iscsi")));

    Reply reply = call.reply().get(10, TimeUnit.SECONDS);
    assertEquals("iscsi", reply.resultAs(Connection.class).driverVolumeType());
    assertEquals(0, channel.waiting());
  }

  @Test
  void aStoppedHostFailsTheCallAtItsDeadline() {
    long start = System.nanoTime();
    PendingCall call = channel.open("initialize_connection", Duration.ofMillis(800));

    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> call.reply().get(10, TimeUnit.SECONDS));
    assertInstanceOf(ReplyTimeoutException.class, failed.getCause());
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(tookMillis >= 750 && tookMillis < 5_000, "took " + tookMillis + " ms");
    assertEquals(0, channel.waiting());
  }

  @Test
  void aDuplicateOrLateReplyIsDroppedWithoutError() throws Exception {
    PendingCall call = channel.open("terminate_connection", Duration.ofSeconds(10));
    PendingCall expired = channel.open("terminate_connection", Duration.ofMillis(100));
    assertThrows(ExecutionException.class, () -> expired.reply().get(5, TimeUnit.SECONDS));

    answer(call.address(), Reply.success(call.address().correlationId(), new Connection("first")));
    answer(call.address(), Reply.success(call.address().correlationId(), new Connection("again")));
    answer(expired.address(), Reply.success(expired.address().correlationId(), null));

    assertEquals(
        "first",
        call.reply().get(10, TimeUnit.SECONDS).resultAs(Connection.class).driverVolumeType());
    // A later call still gets its own reply: the dropped ones broke nothing.
    PendingCall next = channel.open("terminate_connection", Duration.ofSeconds(10));
    answer(next.address(), Reply.failure(next.address().correlationId(), "refused", 400));
    Reply refused = next.reply().get(10, TimeUnit.SECONDS);
    ReplyFailedException fault =
        assertThrows(ReplyFailedException.class, () -> refused.resultAs(Connection.class));
    assertEquals("refused", fault.getMessage());
    assertEquals(400, fault.code());
    assertEquals(0, channel.waiting());
  }

  @Test
  void eachProcessReadsOnlyItsOwnReplies() throws Exception {
    other = new ReplyChannel(BOOTSTRAP, prefix + ".reply.api-2", Duration.ofSeconds(5), callbacks);
    other.start();
    assertNotEquals(channel.topic(), other.topic());
    PendingCall mine = channel.open("attachment_update", Duration.ofSeconds(10));
    PendingCall theirs = other.open("attachment_update", Duration.ofSeconds(10));

    answer(theirs.address(), Reply.success(theirs.address().correlationId(), new Connection("b")));
    answer(mine.address(), Reply.success(mine.address().correlationId(), new Connection("a")));

    assertEquals(
        "a", mine.reply().get(10, TimeUnit.SECONDS).resultAs(Connection.class).driverVolumeType());
    assertEquals(
        "b",
        theirs.reply().get(10, TimeUnit.SECONDS).resultAs(Connection.class).driverVolumeType());
  }

  @Test
  void anAbandonedCallFailsAtOnceAndItsReplyIsDropped() {
    PendingCall call = channel.open("attachment_delete", Duration.ofSeconds(10));
    call.abandon(new IllegalStateException("rolled back"));

    CompletableFuture<Reply> reply = call.reply();
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> reply.get(5, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, failed.getCause());
    channel.deliver(Reply.success(call.address().correlationId(), null));
    assertEquals(0, channel.waiting());
  }

  @Test
  void aReaderThatFailsIsNotReadyUntilItReadsAgainAndItsCallsStillGetTheirReplies()
      throws Exception {
    // The reader dies when the worker pool refuses the completion it hands over, as a full or
    // stopping pool does.
    AtomicBoolean refusing = new AtomicBoolean();
    Executor gate =
        task -> {
          if (refusing.get()) {
            throw new RejectedExecutionException("worker pool refuses");
          }
          callbacks.execute(task);
        };
    other = new ReplyChannel(BOOTSTRAP, prefix + ".reply.api-3", Duration.ofSeconds(5), gate);
    other.start();
    assertEquals(HealthCheckResponse.Status.UP, ReplyChannelHealth.of(other).getStatus());

    refusing.set(true);
    PendingCall call = other.open("initialize_connection", Duration.ofSeconds(30));
    answer(call.address(), Reply.success(call.address().correlationId(), new Connection("iscsi")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (other.problem() == null) {
      assertTrue(System.nanoTime() < deadline, "the failed reader never said so");
      Thread.sleep(20);
    }
    HealthCheckResponse down = ReplyChannelHealth.of(other);
    assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
    assertTrue(
        down.getData().orElseThrow().get(other.topic()).toString().contains("worker pool refuses"),
        down.getData().toString());

    refusing.set(false);
    assertEquals(
        "iscsi",
        call.reply().get(15, TimeUnit.SECONDS).resultAs(Connection.class).driverVolumeType());
    assertEquals(1, other.restarts());
    assertNull(other.problem());
    assertEquals(HealthCheckResponse.Status.UP, ReplyChannelHealth.of(other).getStatus());
    // And it goes on reading what comes next.
    PendingCall next = other.open("initialize_connection", Duration.ofSeconds(10));
    answer(next.address(), Reply.success(next.address().correlationId(), new Connection("rbd")));
    assertEquals(
        "rbd",
        next.reply().get(10, TimeUnit.SECONDS).resultAs(Connection.class).driverVolumeType());
  }

  /** What a volume host's {@link ReplySender} puts on the reply topic. */
  private void answer(ReplyAddress address, Reply reply) throws Exception {
    Envelope envelope =
        Envelope.of(
            MessageType.REPLY, "volume-1", new RequestContext("req-1", "u", "p", List.of()), reply);
    host.send(new ProducerRecord<>(address.topic(), "volume-1", envelope.toJson()))
        .get(10, TimeUnit.SECONDS);
  }
}
