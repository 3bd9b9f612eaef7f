package io.ember.volume.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.ConnectVolume;
import io.ember.model.contract.ConnectionInfo;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.DisconnectVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Retry;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.reply.Reply;
import io.ember.model.reply.ReplyAddress;
import io.ember.model.reply.ReplyFailedException;
import io.ember.volume.driver.fake.FakeDriver;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connection calls (request-reply) as the API sends them: commands with a reply address on this
 * host's topic, their replies read back from that reply topic, the driver's exports and the
 * attach/detach notifications checked.
 */
@QuarkusTest
class ConnectionCallsTest {

  private static final String HOST = "testnode@fake";
  private static final String POOL = HOST + "#fake";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Map<String, Object> CONNECTOR =
      Map.of("host", "compute-1", "initiator", "iqn.1993-08.org.debian:01:test");

  private static KafkaCompanion kafka;
  private static Topics topics;
  private static String replyTopic;

  @Inject FakeDriver driver;

  @BeforeAll
  static void connect() {
    kafka = new KafkaCompanion("localhost:9092");
    topics = new Topics(ConfigProvider.getConfig().getValue("ember.topic-prefix", String.class));
    replyTopic = topics.replies("test-api-" + UUID.randomUUID());
  }

  @AfterAll
  static void disconnect() {
    kafka.close();
  }

  @Test
  void attachmentUpdateAnswersTheConnectionAndExportsTheVolume() {
    String id = placed();
    ReplyAddress address = new ReplyAddress(replyTopic, UUID.randomUUID().toString());

    send(id, connect(id, MessageType.ATTACHMENT_UPDATE, "ro").withReply(address));

    ConnectionInfo info = reply(address).resultAs(ConnectionInfo.class);
    assertEquals("iscsi", info.driverVolumeType());
    assertEquals("ro", info.data().get("access_mode"));
    assertEquals(Map.of("total_iops_sec", "500"), info.data().get("qos_specs"));
    assertEquals(false, info.data().get("encrypted"));
    // The shape of Cinder's recorded fake-driver answer: no target details beside these.
    assertEquals(
        Set.of("access_mode", "qos_specs", "encrypted", "cacheable"), info.data().keySet());
    assertTrue(driver.connections(id).contains("compute-1"));
    List<String> announced = notifications(id).stream().map(CloudEvent::type).toList();
    assertTrue(
        announced.containsAll(List.of("volume.attach.start", "volume.attach.end")),
        announced.toString());
  }

  @Test
  void theSameCallSentAgainIsAnsweredTheSameWithoutTheEffectAgain() {
    String id = placed();
    ReplyAddress address = new ReplyAddress(replyTopic, UUID.randomUUID().toString());
    send(id, connect(id, MessageType.ATTACHMENT_UPDATE, "rw").withReply(address));
    reply(address);

    // A new message id, the same call: the kept reply goes out again.
    send(id, connect(id, MessageType.ATTACHMENT_UPDATE, "ro").withReply(address));

    List<Reply> both = replies(address, 2);
    assertEquals(2, both.size());
    assertEquals("rw", both.get(1).resultAs(ConnectionInfo.class).data().get("access_mode"));
  }

  @Test
  void aVolumeThisHostDoesNotHoldIsAnsweredWithAFault() {
    String id = UUID.randomUUID().toString();
    ReplyAddress address = new ReplyAddress(replyTopic, UUID.randomUUID().toString());

    send(id, connect(id, MessageType.INITIALIZE_CONNECTION, "rw").withReply(address));

    Reply answer = reply(address);
    ReplyFailedException fault =
        assertThrows(ReplyFailedException.class, () -> answer.resultAs(ConnectionInfo.class));
    assertEquals(404, fault.code());
    assertEquals("Volume " + id + " could not be found on " + HOST + ".", fault.getMessage());
  }

  @Test
  void attachmentDeleteEndsTheConnection() {
    String id = placed();
    ReplyAddress connected = new ReplyAddress(replyTopic, UUID.randomUUID().toString());
    send(id, connect(id, MessageType.ATTACHMENT_UPDATE, "rw").withReply(connected));
    reply(connected);
    assertTrue(driver.connections(id).contains("compute-1"));

    ReplyAddress deleted = new ReplyAddress(replyTopic, UUID.randomUUID().toString());
    send(
        id,
        Envelope.of(
                MessageType.ATTACHMENT_DELETE,
                id,
                context(),
                new DisconnectVolume(id, "proj", POOL, "att-1", CONNECTOR, false))
            .withReply(deleted));

    Reply answer = reply(deleted);
    assertFalse(answer.failed());
    assertNull(answer.resultAs(Object.class));
    assertFalse(driver.connections(id).contains("compute-1"));
    List<String> announced = notifications(id).stream().map(CloudEvent::type).toList();
    assertTrue(
        announced.containsAll(List.of("volume.detach.start", "volume.detach.end")),
        announced.toString());
  }

  // ---- helpers ----

  /** A volume created on this host through its command topic. */
  private String placed() {
    String id = UUID.randomUUID().toString();
    VolumeSpec spec =
        new VolumeSpec(id, "proj", "user", 1, "vol", "nova", null, null, Map.of(), Instant.now());
    send(
        id,
        Envelope.of(
            MessageType.CREATE_VOLUME,
            id,
            context(),
            new CreateVolume(spec, POOL, new Retry(1, List.of(), null), false)));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!driver.holds(id) && System.nanoTime() < deadline) {
      sleep();
    }
    assertTrue(driver.holds(id), "volume " + id + " created");
    return id;
  }

  private static Envelope connect(String id, MessageType type, String mode) {
    return Envelope.of(
        type,
        id,
        context(),
        new ConnectVolume(
            id, "proj", POOL, "att-1", CONNECTOR, mode, Map.of("total_iops_sec", "500"), false));
  }

  private static RequestContext context() {
    return new RequestContext("req-" + UUID.randomUUID(), "user", "proj", List.of("member"));
  }

  private static void send(String key, Envelope envelope) {
    kafka
        .produceStrings()
        .fromRecords(new ProducerRecord<>(topics.volumeHost(HOST), key, envelope.toJson()))
        .awaitCompletion(WAIT);
  }

  private static Reply reply(ReplyAddress address) {
    List<Reply> found = replies(address, 1);
    assertEquals(1, found.size(), "a reply to " + address.correlationId());
    return found.get(0);
  }

  private static List<Reply> replies(ReplyAddress address, int count) {
    return records(
            address.topic(),
            r ->
                Envelope.fromJson(r.value())
                    .payloadAs(Reply.class)
                    .correlationId()
                    .equals(address.correlationId()),
            count)
        .stream()
        .map(r -> Envelope.fromJson(r.value()).payloadAs(Reply.class))
        .toList();
  }

  private static List<CloudEvent> notifications(String volumeId) {
    return records(
            topics.notifications(), r -> volumeId.equals(r.key()), 100, Duration.ofSeconds(3))
        .stream()
        .map(r -> CloudEvent.fromJson(r.value()))
        .toList();
  }

  private static List<ConsumerRecord<String, String>> records(
      String topic, Predicate<ConsumerRecord<String, String>> match, int count) {
    return records(topic, match, count, WAIT);
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

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
