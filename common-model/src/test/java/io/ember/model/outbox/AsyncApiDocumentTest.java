package io.ember.model.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.Json;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.ember.model.contract.SnapshotUsage;
import io.ember.model.contract.VolumeSource;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.contract.VolumeUsage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** docs/asyncapi.yaml says what consumers get: held here to what RecordFormat really sends. */
class AsyncApiDocumentTest {

  private static final JsonNode DOC = read();

  private final Topics topics = new Topics("ember");
  private final VolumeSpec spec =
      new VolumeSpec(
              "v1",
              "p1",
              "alice",
              3,
              "data",
              "nova",
              "t1",
              Map.of(),
              Map.of("k", "v"),
              Instant.parse("2026-11-26T10:00:00Z"))
          .withSource(VolumeSource.image("img-1"));

  @Test
  void aVolumeEventHasExactlyTheDocumentedAttributesHeadersAndUsageFields() throws Exception {
    ProducerRecord<String, String> record =
        sent(
            "volume.create.end",
            VolumeUsage.of(spec, "n1@fake#fake", "available", Instant.now())
                .withGlanceMetadata(Map.of("min_disk", "1")));

    JsonNode event = Json.MAPPER.readTree(record.value());
    assertEquals(documented("CloudEvent"), names(event), "the event's attributes");
    assertTrue(names(event).containsAll(required("CloudEvent")));
    Set<String> headers = new HashSet<>();
    for (Header h : record.headers()) {
      headers.add(h.key());
    }
    assertEquals(documented("CloudEventHeaders"), headers);
    assertEquals(documented("VolumeUsage"), names(event.path("data")));
    assertEquals(required("VolumeUsage"), names(event.path("data")));
  }

  @Test
  void aSnapshotEventCarriesTheDocumentedSnapshotFields() throws Exception {
    SnapshotUsage usage =
        new SnapshotUsage(
            "p1",
            "alice",
            "nova",
            "v1",
            3,
            "s1",
            "snap",
            Instant.now(),
            "available",
            "False",
            null);

    JsonNode data = Json.MAPPER.readTree(sent("snapshot.create.end", usage).value()).path("data");

    assertEquals(documented("SnapshotUsage"), names(data));
    assertEquals(required("SnapshotUsage"), names(data));
  }

  @Test
  void eachDocumentedMessageIsNamedForItsEventTypeAndListedForConsumers() {
    JsonNode messages = DOC.path("components").path("messages");
    Set<String> listed = new HashSet<>();
    DOC.path("operations")
        .path("receiveNotifications")
        .path("messages")
        .forEach(m -> listed.add(m.path("$ref").asText().replaceAll(".*/", "")));
    assertEquals(names(messages), listed);
    assertEquals(
        names(messages), names(DOC.path("channels").path("notifications").path("messages")));
    messages.forEach(
        m ->
            assertEquals(
                m.path("name").asText(),
                m.path("payload")
                    .path("allOf")
                    .get(1)
                    .path("properties")
                    .path("type")
                    .path("const")
                    .asText()));
    assertEquals(
        topics.notifications(),
        DOC.path("channels").path("notifications").path("address").asText());
  }

  private ProducerRecord<String, String> sent(String eventType, Object usage) {
    String row =
        Envelope.of(
                MessageType.NOTIFICATION,
                "v1",
                new RequestContext("req-1", "alice", "p1", List.of()),
                Notification.info("volume.n1@fake", eventType, usage))
            .toJson();
    return new RecordFormat(topics).record(topics.notifications(), "v1", row);
  }

  private static Set<String> documented(String schema) {
    return names(DOC.path("components").path("schemas").path(schema).path("properties"));
  }

  private static Set<String> required(String schema) {
    Set<String> required = new HashSet<>();
    DOC.path("components")
        .path("schemas")
        .path(schema)
        .path("required")
        .forEach(n -> required.add(n.asText()));
    return required;
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new HashSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode read() {
    try {
      return new ObjectMapper(new YAMLFactory())
          .readTree(Path.of("..", "docs", "asyncapi.yaml").toFile());
    } catch (Exception e) {
      throw new IllegalStateException("docs/asyncapi.yaml: " + e.getMessage(), e);
    }
  }
}
