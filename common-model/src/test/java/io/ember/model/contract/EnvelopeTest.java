package io.ember.model.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ember.model.RequestContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

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
          null,
          Map.of("volume_backend_name", "fake"),
          Map.of("k", "v"),
          Instant.parse("2026-11-26T10:00:00Z"));

  @Test
  void aCommandSurvivesTheRoundTrip() {
    ScheduleVolume command = new ScheduleVolume(spec, Retry.first().failedOn("n1@fake", "boom"));
    Envelope sent = Envelope.of(MessageType.SCHEDULE_VOLUME, "v1", context, command);

    Envelope received = Envelope.fromJson(sent.toJson());

    assertEquals(sent.messageId(), received.messageId());
    assertEquals(sent.key(), received.key());
    assertEquals(sent.context(), received.context());
    assertEquals(sent.occurredAt(), received.occurredAt());
    assertEquals(MessageType.SCHEDULE_VOLUME, received.messageType());
    assertEquals("req-1", received.requestId());
    assertEquals(command, received.payloadAs(ScheduleVolume.class));
    assertEquals(command, received.payloadAs(ScheduleVolume.class), "a payload reads twice");
    assertSame(command, sent.payloadAs(ScheduleVolume.class), "the sender's record, unconverted");
  }

  @Test
  void aTypesBackEndQosTravelsWithTheSpecAndAnOlderMessageHasNone() {
    java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();
    keys.put("total_iops_sec", "500");
    keys.put("unset", null);
    VolumeSpec withQos =
        new VolumeSpec(
            "v1",
            "p1",
            "alice",
            3,
            "data",
            "nova",
            "t1",
            Map.of(),
            Map.of(),
            Instant.parse("2026-11-26T10:00:00Z"),
            new QosSpecs("q1", "gold", "back-end", keys));
    CreateVolume command = new CreateVolume(withQos, "n1@fake#fake", Retry.first(), true);

    CreateVolume received =
        Envelope.fromJson(Envelope.of(MessageType.CREATE_VOLUME, "v1", context, command).toJson())
            .payloadAs(CreateVolume.class);

    assertEquals(command, received);
    assertEquals("500", received.volume().qosSpecs().specs().get("total_iops_sec"));
    assertTrue(received.volume().qosSpecs().specs().containsKey("unset"));

    // A message from before the field existed: no qos_specs key at all.
    String old =
        Json.write(new ScheduleVolume(spec, Retry.first())).replace(",\"qos_specs\":null", "");
    assertTrue(!old.contains("qos_specs"), old);
    assertEquals(null, Json.read(old, ScheduleVolume.class).volume().qosSpecs());
    assertEquals(spec, Json.read(old, ScheduleVolume.class).volume());
  }

  @Test
  void thePayloadIsWrittenAsItsContractSerialisesAndReadsAsAnyShape() throws Exception {
    VolumeDeleted payload = new VolumeDeleted("v1", "n1@fake#fake");
    Envelope received =
        Envelope.fromJson(Envelope.of(MessageType.VOLUME_DELETED, "v1", context, payload).toJson());

    JsonNode tree = received.payloadAs(JsonNode.class);
    assertEquals(Json.MAPPER.readTree(Json.write(payload)), tree);
    assertEquals("n1@fake#fake", tree.path("pool").asText());
    assertEquals(Map.of("volume_id", "v1", "pool", "n1@fake#fake"), received.payloadAs(Map.class));
  }

  @Test
  void aNotificationCarriesItsUsageRecordAsSnakeCaseFields() {
    VolumeUsage usage =
        VolumeUsage.of(spec, "n1@fake#fake", "available", Instant.parse("2026-11-26T10:00:01Z"));
    Notification sent =
        new Notification("m1", "volume.n1", "volume.create.end", "INFO", usage, Instant.now());

    Notification received =
        Envelope.fromJson(Envelope.of(MessageType.NOTIFICATION, "v1", context, sent).toJson())
            .payloadAs(Notification.class);

    Map<String, Object> fields = received.payloadFields();
    assertEquals("v1", fields.get("volume_id"));
    assertEquals("p1", fields.get("tenant_id"));
    assertEquals("2026-11-26T10:00:01Z", fields.get("launched_at"));
    assertEquals(Map.of("k", "v"), fields.get("metadata"));
    assertEquals(fields, sent.payloadFields(), "the same fields before and after the wire");
  }

  @Test
  void theWireFormatIsSnakeCaseWithASchemaVersion() {
    String json =
        Envelope.of(
                MessageType.VOLUME_CREATED,
                "v1",
                context,
                new VolumeCreated("v1", "h@b#p", "loc", null))
            .toJson();
    assertTrue(json.contains("\"schema_version\":1"), json);
    assertTrue(json.contains("\"message_id\":"), json);
    assertTrue(json.contains("\"provider_location\":\"loc\""), json);
    assertTrue(json.contains("\"request_id\":\"req-1\""), json);
  }

  @Test
  void everyContractRoundTrips() {
    List<Object> payloads =
        List.of(
            new CreateVolume(spec, "n1@fake#fake", Retry.first().nextAttempt(), true),
            new DeleteVolume("v1", "p1", "n1@fake#fake", 3, "data", Map.of("k", "v")),
            new VolumeCreateFailed("v1", null, "No valid backend was found."),
            new VolumeDeleted("v1", "n1@fake#fake"),
            new VolumeDeleteFailed("v1", "n1@fake#fake", "busy"),
            new CapabilityReport(
                "n1@fake#fake",
                "fake",
                "Ember",
                "1.0",
                "iSCSI",
                "nova",
                100,
                90,
                10,
                10,
                true,
                true,
                20.0,
                0,
                Map.of("multiattach", "true"),
                List.of("v1"),
                Instant.parse("2026-11-26T10:00:00Z")));
    for (Object payload : payloads) {
      Envelope e =
          Envelope.fromJson(Envelope.of(MessageType.NOTIFICATION, "k", context, payload).toJson());
      assertEquals(payload, e.payloadAs(payload.getClass()));
    }
  }

  @Test
  void malformedMessagesAreContractErrors() {
    assertThrows(ContractException.class, () -> Envelope.fromJson("{not json"));
    assertThrows(ContractException.class, () -> Envelope.fromJson("{\"type\":\"x\"}"));
    String future =
        "{\"schema_version\":99,\"message_id\":\"m\",\"type\":\"volume.created\",\"payload\":{}}";
    assertThrows(ContractException.class, () -> Envelope.fromJson(future));
    Envelope unknownType =
        Envelope.fromJson(
            "{\"schema_version\":1,\"message_id\":\"m\",\"type\":\"nope\",\"payload\":{}}");
    assertThrows(ContractException.class, unknownType::messageType);
    Envelope wrongShape =
        Envelope.fromJson(
            "{\"schema_version\":1,\"message_id\":\"m\",\"type\":\"delete_volume\",\"payload\":{\"size\":\"big\"}}");
    assertThrows(ContractException.class, () -> wrongShape.payloadAs(DeleteVolume.class));
  }

  @Test
  void aKeystoneCallersDomainsTravelAndAnOlderMessageWithoutThemStillReads() throws Exception {
    RequestContext keystone =
        new RequestContext("req-2", "u1", "p1", List.of("reader"), "default", "d2");
    Envelope sent =
        Envelope.of(
            MessageType.VOLUME_DELETED, "v1", keystone, new VolumeDeleted("v1", "n1@fake#fake"));
    JsonNode json = Json.MAPPER.readTree(sent.toJson());
    assertEquals("default", json.path("context").path("user_domain_id").asText());
    assertEquals("d2", json.path("context").path("project_domain_id").asText());
    assertEquals(keystone, Envelope.fromJson(sent.toJson()).context());

    // A message written before the domains existed (a noauth caller, too) reads with none.
    ObjectNode older = (ObjectNode) json;
    ((ObjectNode) older.path("context")).remove(List.of("user_domain_id", "project_domain_id"));
    RequestContext read = Envelope.fromJson(older.toString()).context();
    assertEquals(new RequestContext("req-2", "u1", "p1", List.of("reader")), read);
  }
}
