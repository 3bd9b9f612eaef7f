package io.ember.model.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.RequestContext;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poll loop against the real broker (deploy/local/ember kafka-up): records reach the handler in
 * order, a poll that cannot be handled is taken again from its first offset while the loop reports
 * the problem, and the offsets of what was handled are committed when the loop stops.
 */
class InboxLoopTest {

  private static final String BOOTSTRAP =
      System.getProperty("kafka.bootstrap.servers", "localhost:9092");

  private final String topic = "test-inbox-loop-" + UUID.randomUUID();
  private final String group = topic + "-group";
  private Admin admin;
  private InboxLoop loop;

  @BeforeEach
  void createTopic() throws Exception {
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP));
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (loop != null) {
      loop.stop(Duration.ofSeconds(10));
    }
    admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    admin.close();
  }

  @Test
  void aPollThatFailsIsTakenAgainAndItsOffsetsCommittedOnStop() throws Exception {
    List<String> sent = send(3);
    FailingInbox inbox = new FailingInbox(2);
    List<String> handled = new CopyOnWriteArrayList<>();
    loop = loop("test.loop", inbox, handled, new SimpleMeterRegistry());
    loop.start();

    await(() -> "database blinked".equals(loop.problem()), "the loop reports the failed poll");
    await(() -> handled.size() == sent.size(), "the records are handled after the failures");
    assertEquals(sent, handled);
    assertNull(loop.problem());
    assertEquals(3, inbox.calls.get(), "two failed attempts, then one that handled all three");

    loop.stop(Duration.ofSeconds(10));
    assertEquals("stopped", loop.problem());
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    assertEquals(3L, committed.get(new TopicPartition(topic, 0)).offset());
    assertEquals(sent, handled, "nothing was handled twice");
  }

  @Test
  void aLoopStoppedOnPurposeHandsItsPartitionsOverAtOnce() throws Exception {
    // Static members (group.instance.id) keep their partitions through a restart; one that stops
    // on purpose must still leave, or the next member waits out its 10 s session.
    List<String> first = send(1);
    List<String> handledByA = new CopyOnWriteArrayList<>();
    InboxLoop a = loop("test.a", new FailingInbox(0), handledByA, new SimpleMeterRegistry());
    a.start();
    await(() -> handledByA.equals(first), "the first member handles the first record");
    a.stop(Duration.ofSeconds(10));

    List<String> second = send(2);
    List<String> handledByB = new CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    loop = loop("test.b", new FailingInbox(0), handledByB, new SimpleMeterRegistry());
    loop.start();
    await(() -> handledByB.size() == 2, "the second member handles the records sent meanwhile");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertEquals(second, handledByB);
    assertTrue(seconds < 6, "the partition came after " + seconds + " s");
  }

  @Test
  void eachRecordsDeliveryAndEachPollsHandlingAreTimed() throws Exception {
    // Records stamped 5 s ago: their delivery, timed from the stamp, takes at least that.
    long stamp = System.currentTimeMillis() - 5_000;
    List<String> sent = send(2, stamp);
    MeterRegistry metrics = new SimpleMeterRegistry();
    List<String> handled = new CopyOnWriteArrayList<>();
    loop = loop("test.timed", new FailingInbox(0), handled, metrics);
    loop.start();
    await(() -> handled.size() == sent.size(), "both records are handled");

    Timer delivery = timer(metrics, InboxTimers.DELIVERY);
    Timer handling = timer(metrics, InboxTimers.HANDLING);
    assertEquals(2, delivery.count());
    assertTrue(
        delivery.totalTime(TimeUnit.MILLISECONDS) >= 2 * 5_000,
        "delivery timed from the records' stamps: " + delivery.totalTime(TimeUnit.MILLISECONDS));
    assertTrue(
        delivery.max(TimeUnit.MILLISECONDS) < 60_000, "and not from some earlier point in time");
    assertTrue(handling.count() >= 1, "one poll or two handled the records");
    assertTrue(handling.totalTime(TimeUnit.NANOSECONDS) > 0);
  }

  /** A loop on the test's topic that notes the ids of the messages it hands on. */
  private InboxLoop loop(String name, Inbox inbox, List<String> handled, MeterRegistry metrics) {
    return new InboxLoop(
        name,
        topic,
        InboxLoop.settings(
            BOOTSTRAP, group, group + "-client", group + "-" + name, Duration.ofSeconds(10)),
        inbox,
        InboxLoop.Gate.OPEN,
        envelope -> handled.add(envelope.messageId()),
        Inbox.DuplicateCheck.FIRST,
        null,
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        metrics);
  }

  private Timer timer(MeterRegistry metrics, String name) {
    return metrics.get(name).tag("consumer", "test.timed").tag("topic", topic).timer();
  }

  private List<String> send(int count) throws Exception {
    return send(count, null);
  }

  private List<String> send(int count, Long timestamp) throws Exception {
    Properties settings = new Properties();
    settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
    List<String> ids = new ArrayList<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
      RequestContext context = new RequestContext("req-loop", "alice", "p1", List.of("member"));
      for (int i = 0; i < count; i++) {
        Notification notification =
            new Notification(
                UUID.randomUUID().toString(),
                "test",
                "test.event",
                "INFO",
                Map.of(),
                Instant.now());
        Envelope envelope = Envelope.of(MessageType.NOTIFICATION, "v1", context, notification);
        ids.add(envelope.messageId());
        producer
            .send(new ProducerRecord<>(topic, null, timestamp, "v1", envelope.toJson()))
            .get(30, TimeUnit.SECONDS);
      }
    }
    return ids;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Fails the first {@code failures} polls as a database outage would, then hands records on. */
  private static final class FailingInbox extends Inbox {
    final AtomicInteger calls = new AtomicInteger();
    private final int failures;

    FailingInbox(int failures) {
      this.failures = failures;
    }

    @Override
    public void receive(
        String consumer,
        List<ConsumerRecord<String, String>> records,
        Consumer<Envelope> handler,
        DuplicateCheck check,
        Inbox.Prefetch prefetch) {
      if (calls.incrementAndGet() <= failures) {
        throw new IllegalStateException("database blinked");
      }
      records.forEach(r -> handler.accept(Envelope.fromJson(r.value())));
    }
  }
}
