package io.ember.model.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ember.model.RequestContext;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
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
    loop =
        new InboxLoop(
            "test.loop",
            topic,
            InboxLoop.settings(BOOTSTRAP, group, group + "-client"),
            inbox,
            InboxLoop.Gate.OPEN,
            envelope -> handled.add(envelope.messageId()),
            Inbox.DuplicateCheck.FIRST,
            null,
            Duration.ofMillis(500),
            Duration.ofSeconds(1));
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

  private List<String> send(int count) throws Exception {
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
            .send(new ProducerRecord<>(topic, "v1", envelope.toJson()))
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
