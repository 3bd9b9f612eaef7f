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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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

  /**
   * Every event type the services name in their code (a string literal such as {@code
   * "volume.attach.end"}) is documented: a new notification without its message here fails. Message
   * types of the internal topics and publisher names are not notifications; event types built from
   * a prefix ({@code "snapshot." + suffix}) are not seen by this scan.
   */
  @Test
  void everyEventTypeTheServicesNameIsDocumented() throws IOException {
    Set<String> documented = new HashSet<>();
    DOC.path("components").path("messages").forEach(m -> documented.add(m.path("name").asText()));
    Set<String> internal = new HashSet<>(NOT_EVENTS);
    for (MessageType type : MessageType.values()) {
      internal.add(type.wire());
    }
    Set<String> named = new TreeSet<>();
    for (String module : List.of("api-service", "scheduler-service", "volume-service")) {
      Path sources = Path.of("..", module, "src", "main", "java");
      try (Stream<Path> files = Files.walk(sources)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher m = EVENT_TYPE.matcher(Files.readString(file));
          while (m.find()) {
            if (!internal.contains(m.group(1))) {
              named.add(m.group(1));
            }
          }
        }
      }
    }
    assertTrue(named.contains("volume.attach.start"), "the scan finds the events: " + named);
    named.removeAll(documented);
    assertEquals(Set.of(), named, "named in the code, missing from docs/asyncapi.yaml");
  }

  private static final Pattern EVENT_TYPE =
      Pattern.compile(
          "\"((?:volume|volumes|snapshot|scheduler|qos_specs|volume_type|volume_type_extra_specs"
              + "|volume_type_encryption|group|group_snapshot)\\.[a-z_]+(?:\\.[a-z_]+)*)\"");

  /** Names of that form that are no event type: consumer names and publisher ids. */
  private static final Set<String> NOT_EVENTS =
      Set.of("scheduler.requests", "volume.commands", "volume.api", "snapshot.api");

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
