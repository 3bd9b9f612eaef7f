package io.ember.model.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.Json;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.ember.model.contract.SnapshotUsage;
import io.ember.model.contract.VolumeDeleted;
import io.ember.model.contract.VolumeSource;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.contract.VolumeUsage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * What a consumer of each topic receives for an outbox row: the notifications' CloudEvent format.
 */
class RecordFormatTest {

  private final Topics topics = new Topics("t");
  private final RecordFormat format = new RecordFormat(topics);
  private final RequestContext context =
      new RequestContext("req-1", "alice", "p1", List.of("member"));
  private final VolumeSpec spec =
      new VolumeSpec(
              "v1",
              "p1",
              "alice",
              3,
              "data",
              "nova",
              "type-1",
              Map.of(),
              Map.of("k", "v"),
              Instant.parse("2026-11-26T10:00:00Z"))
          .withSource(VolumeSource.volume("v0", "node1@fake#fake"));

  @Test
  void aNotificationLeavesAsAStructuredCloudEventWithItsAttributesInHeaders() throws Exception {
    Notification sent =
        new Notification(
            "m1",
            "volume.node1@fake",
            "volume.create.end",
            "INFO",
            VolumeUsage.of(
                spec, "node1@fake#fake", "available", Instant.parse("2026-11-26T10:00:01Z")),
            Instant.parse("2026-11-26T10:00:02.5Z"));
    String row = Envelope.of(MessageType.NOTIFICATION, "v1", context, sent).toJson();

    ProducerRecord<String, String> record = format.record(topics.notifications(), "v1", row);

    assertEquals(topics.notifications(), record.topic());
    assertEquals("v1", record.key(), "keyed by the volume as before: one volume's events in order");
    assertEquals("application/cloudevents+json; charset=UTF-8", header(record, "content-type"));
    assertEquals("volume.create.end", header(record, "ce_type"));
    assertEquals("1.0", header(record, "ce_specversion"));
    assertEquals("m1", header(record, "ce_id"));
    assertEquals("volume.node1@fake", header(record, "ce_source"));
    assertEquals("2026-11-26T10:00:02.500Z", header(record, "ce_time"));
    assertEquals("v1", header(record, "ce_subject"));
    assertEquals("INFO", header(record, "ce_priority"));
    assertEquals("req-1", header(record, "ce_requestid"));

    JsonNode value = Json.MAPPER.readTree(record.value());
    assertEquals("1.0", value.path("specversion").asText());
    assertEquals("m1", value.path("id").asText());
    assertEquals("volume.node1@fake", value.path("source").asText());
    assertEquals("volume.create.end", value.path("type").asText());
    assertEquals("2026-11-26T10:00:02.500Z", value.path("time").asText());
    assertEquals("application/json", value.path("datacontenttype").asText());
    assertEquals("v1", value.path("subject").asText());
    assertEquals("INFO", value.path("priority").asText());
    assertEquals("req-1", value.path("requestid").asText());
    assertFalse(value.has("schema_version"), "no trace of Ember's internal envelope: " + value);

    JsonNode data = value.path("data");
    assertEquals("v1", data.path("volume_id").asText());
    assertEquals("p1", data.path("tenant_id").asText());
    assertEquals("alice", data.path("user_id").asText());
    assertEquals("node1@fake#fake", data.path("host").asText());
    assertEquals("nova", data.path("availability_zone").asText());
    assertEquals("type-1", data.path("volume_type").asText());
    assertEquals("data", data.path("display_name").asText());
    assertEquals("2026-11-26T10:00:00Z", data.path("created_at").asText());
    assertEquals("2026-11-26T10:00:01Z", data.path("launched_at").asText());
    assertEquals("available", data.path("status").asText());
    assertEquals(3, data.path("size").asInt());
    assertEquals("disabled", data.path("replication_status").asText());
    assertEquals("v", data.path("metadata").path("k").asText());
    assertEquals("v0", data.path("source_volid").asText());
    // Known-empty fields are there, as null, like Cinder's None.
    assertTrue(data.has("snapshot_id") && data.path("snapshot_id").isNull(), data.toString());
    assertTrue(data.has("image_id") && data.path("image_id").isNull(), data.toString());

    CloudEvent read = CloudEvent.fromJson(record.value());
    assertEquals("volume.create.end", read.type());
    assertEquals(Instant.parse("2026-11-26T10:00:02.5Z"), read.time());
    assertEquals("v0", read.dataFields().get("source_volid"));
  }

  @Test
  void theSameRowSentTwiceIsTheSameEvent() {
    String row =
        Envelope.of(
                MessageType.NOTIFICATION,
                "v1",
                context,
                Notification.info(
                    "volume.api",
                    "volume.update.start",
                    VolumeUsage.of(spec, null, "available", null)))
            .toJson();

    // The sweep may publish a row again: a consumer can drop the repeat by its id.
    assertEquals(
        format.record(topics.notifications(), "v1", row).value(),
        format.record(topics.notifications(), "v1", row).value());
  }

  @Test
  void aRowPublishedFromItsSendersEnvelopeIsTheEventItsStoredRowMakes() {
    for (Object payload :
        List.of(
            VolumeUsage.of(spec, "node1@fake#fake", "available", Instant.now()),
            Map.of("volume_id", "v1", "reason", "no room"))) {
      Envelope sent =
          Envelope.of(
              MessageType.NOTIFICATION,
              "v1",
              context,
              Notification.error("volume.node1@fake", "volume.create.error", payload));
      String row = sent.toJson();

      // Right after its commit the relay has the envelope; the sweep only the stored row.
      ProducerRecord<String, String> fromEnvelope =
          format.record(topics.notifications(), "v1", row, sent);
      ProducerRecord<String, String> fromRow = format.record(topics.notifications(), "v1", row);

      assertEquals(fromRow.value(), fromEnvelope.value());
      assertEquals(fromRow.headers(), fromEnvelope.headers());
      assertEquals(fromRow.key(), fromEnvelope.key());
    }
  }

  @Test
  void anErrorNotificationWithAMapPayloadAndNoRequestIdKeepsItsFields() throws Exception {
    Map<String, Object> payload = new HashMap<>();
    payload.put("volume_id", "v1");
    payload.put("reason", "No valid backend was found.");
    payload.put("request_spec", null);
    String row =
        Envelope.of(
                MessageType.NOTIFICATION,
                "v1",
                null,
                Notification.error("scheduler.s1", "scheduler.create_volume", payload))
            .toJson();

    ProducerRecord<String, String> record = format.record(topics.notifications(), "v1", row);

    JsonNode value = Json.MAPPER.readTree(record.value());
    assertEquals("ERROR", value.path("priority").asText());
    assertEquals("ERROR", header(record, "ce_priority"));
    assertFalse(value.has("requestid"), "an absent attribute is left out, not null");
    assertNull(record.headers().lastHeader("ce_requestid"));
    assertTrue(value.path("data").has("request_spec"), "a null inside the data stays");
    assertEquals("No valid backend was found.", value.path("data").path("reason").asText());
  }

  @Test
  void aSnapshotUsageCarriesCindersSnapshotFields() throws Exception {
    SnapshotUsage usage =
        new SnapshotUsage(
            "p1",
            "alice",
            "nova",
            "v1",
            3,
            "s1",
            "snap",
            Instant.parse("2026-11-26T10:00:00Z"),
            "creating",
            "False",
            Map.of("a", "b"));
    String row =
        Envelope.of(
                MessageType.NOTIFICATION,
                "s1",
                context,
                Notification.info("snapshot.node1@fake", "snapshot.create.start", usage))
            .toJson();

    JsonNode data =
        Json.MAPPER.readTree(format.record(topics.notifications(), "s1", row).value()).path("data");

    assertEquals(
        List.of(
            "tenant_id",
            "user_id",
            "availability_zone",
            "volume_id",
            "volume_size",
            "snapshot_id",
            "display_name",
            "created_at",
            "status",
            "deleted",
            "metadata"),
        iterable(data.fieldNames()));
    assertEquals(3, data.path("volume_size").asInt());
  }

  @Test
  void messagesBetweenServicesLeaveAsWrittenWithoutHeaders() {
    String row =
        Envelope.of(MessageType.VOLUME_DELETED, "v1", context, new VolumeDeleted("v1", "h@b#p"))
            .toJson();

    ProducerRecord<String, String> record = format.record(topics.volumeEvents(), "v1", row);

    assertEquals(row, record.value());
    assertFalse(record.headers().iterator().hasNext());
  }

  @Test
  void whatIsNoNotificationGoesToTheDeadLetterTopicWithItsReasonNotToConsumers() {
    String row =
        Envelope.of(MessageType.VOLUME_DELETED, "v1", context, new VolumeDeleted("v1", "h@b#p"))
            .toJson();

    ProducerRecord<String, String> misdirected = format.record(topics.notifications(), "v1", row);
    ProducerRecord<String, String> garbled =
        format.record(topics.notifications(), "v2", "not json");

    assertEquals(topics.deadLetter(), misdirected.topic());
    assertEquals(row, misdirected.value());
    assertEquals("v1", misdirected.key());
    assertEquals("a volume.deleted is no notification", header(misdirected, "dead-letter-reason"));
    assertEquals(topics.notifications(), header(misdirected, "dead-letter-topic"));
    assertEquals(topics.deadLetter(), garbled.topic());
    assertEquals("not json", garbled.value());
    assertTrue(header(garbled, "dead-letter-reason").startsWith("not a valid Envelope"));
  }

  @Test
  void aReaderRefusesWhatIsNoCloudEvent() {
    assertThrows(ContractException.class, () -> CloudEvent.fromJson("{\"specversion\":\"0.3\"}"));
    assertThrows(
        ContractException.class,
        () ->
            CloudEvent.fromJson(
                Envelope.of(MessageType.VOLUME_DELETED, "v1", context, new VolumeDeleted("v1", "p"))
                    .toJson()));
  }

  private static String header(ProducerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> list = new java.util.ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }
}
