package io.ember.volume.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.AcceptTransfer;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Retry;
import io.ember.model.contract.TransferAccepted;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.reply.Reply;
import io.ember.model.reply.ReplyAddress;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code accept_transfer} as the API calls it: a command with a reply address on this host's topic,
 * answered on that address with the host's result or its fault.
 */
@QuarkusTest
class AcceptTransferCallTest {

  private static final String HOST = "testnode@fake";
  private static final String POOL = HOST + "#fake";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static KafkaCompanion kafka;
  private static Topics topics;

  private final String replies = "test-replies-" + UUID.randomUUID();

  @BeforeAll
  static void connect() {
    kafka = new KafkaCompanion("localhost:9092");
    topics = new Topics(ConfigProvider.getConfig().getValue("ember.topic-prefix", String.class));
  }

  @AfterAll
  static void disconnect() {
    kafka.close();
  }

  @Test
  void aHeldVolumeIsAcceptedAndAnUnknownOneRefusedOnTheCallersAddress() {
    String volume = UUID.randomUUID().toString();
    send(
        volume,
        Envelope.of(
            MessageType.CREATE_VOLUME,
            volume,
            context(),
            new CreateVolume(
                new VolumeSpec(
                    volume, "giver", "alice", 1, "v", "nova", null, null, Map.of(), Instant.now()),
                POOL,
                new Retry(1, List.of(), null),
                false)));

    send(volume, call(volume, "call-1"));
    Reply accepted = reply("call-1");
    assertFalse(accepted.failed(), String.valueOf(accepted.fault()));
    assertEquals(volume, accepted.resultAs(TransferAccepted.class).volumeId());

    String unknown = UUID.randomUUID().toString();
    send(unknown, call(unknown, "call-2"));
    Reply refused = reply("call-2");
    assertTrue(refused.failed());
    assertEquals(500, refused.faultCode());
    assertEquals("Volume " + unknown + " could not be found.", refused.fault());
  }

  private Envelope call(String volume, String correlation) {
    return Envelope.of(
            MessageType.ACCEPT_TRANSFER,
            volume,
            context(),
            new AcceptTransfer(volume, "giver", POOL, "bob", "receiver", false))
        .withReply(new ReplyAddress(replies, correlation));
  }

  private Reply reply(String correlation) {
    try (ConsumerTask<String, String> task =
        kafka
            .consumeStrings()
            .withGroupId("test-" + UUID.randomUUID())
            .withProp("auto.offset.reset", "earliest")
            .fromTopics(
                replies,
                records ->
                    records.filter(
                        r ->
                            correlation.equals(
                                Envelope.fromJson(r.value())
                                    .payloadAs(Reply.class)
                                    .correlationId())))) {
      task.awaitRecords(1, WAIT);
      ConsumerRecord<String, String> record = task.getRecords().get(0);
      Envelope envelope = Envelope.fromJson(record.value());
      assertEquals(MessageType.REPLY, envelope.messageType());
      return envelope.payloadAs(Reply.class);
    }
  }

  private static RequestContext context() {
    return new RequestContext("req-t", "bob", "receiver", List.of("member"));
  }

  private static void send(String key, Envelope envelope) {
    kafka
        .produceStrings()
        .fromRecords(new ProducerRecord<>(topics.volumeHost(HOST), key, envelope.toJson()))
        .awaitCompletion(WAIT);
  }
}
