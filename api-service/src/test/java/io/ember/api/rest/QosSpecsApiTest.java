package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.api.testsupport.VolumeTypeRows;
import io.ember.model.Topics;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code /qos-specs}: every operation with Cinder's status codes and bodies (recorded in
 * cinder-shapes/qos_*.json), each refusal with Cinder's message, and the notifications.
 */
@QuarkusTest
class QosSpecsApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Inject AgroalDataSource db;

  private final ProjectApi api = new ProjectApi();
  private final String base = "/v3/" + api.project + "/qos-specs";
  private final String unique = UUID.randomUUID().toString().substring(0, 8);

  private RequestSpecification admin() {
    return api.admin();
  }

  private String create(String name, String extra) {
    return admin()
        .body("{\"qos_specs\": {\"name\": \"" + name + "\"" + extra + "}}")
        .post(base)
        .then()
        .statusCode(200)
        .extract()
        .path("qos_specs.id");
  }

  private void assertFault(Response r, int status, String message) {
    String fault =
        switch (status) {
          case 400 -> "badRequest";
          case 403 -> "forbidden";
          case 404 -> "itemNotFound";
          case 409 -> "conflictingRequest";
          default -> throw new IllegalArgumentException();
        };
    r.then()
        .statusCode(status)
        .body(fault + ".code", equalTo(status))
        .body(fault + ".message", equalTo(message));
  }

  /** The notification {@code eventType} sent about spec {@code id}. */
  private JsonNode notification(String id, String eventType) {
    return notifications(id, eventType, 1).get(0);
  }

  /** The {@code count} notifications {@code eventType} sent about spec {@code id}, in order. */
  private List<JsonNode> notifications(String id, String eventType, int count) {
    List<ConsumerRecord<String, String>> sent =
        TestKafka.await(
            new Topics(TestKafka.prefix()).notifications(),
            r -> id.equals(r.key()) && CloudEvent.fromJson(r.value()).type().equals(eventType),
            count,
            WAIT);
    assertEquals(count, sent.size(), eventType + " about " + id);
    return sent.stream()
        .map(
            r -> {
              CloudEvent n = CloudEvent.fromJson(r.value());
              assertEquals("QoSSpecs", n.source());
              assertEquals("INFO", n.priority());
              return Json.MAPPER.<JsonNode>valueToTree(n.data());
            })
        .toList();
  }

  @Test
  void createShowAndListAnswerAsCinder() {
    String name = "shape-qos-" + unique;
    Response created =
        admin()
            .body(
                "{\"qos_specs\": {\"name\": \""
                    + name
                    + "\", \"consumer\": \"back-end\", \"total_iops_sec\": \"1000\","
                    + " \"read_bytes_sec\": \"1048576\"}}")
            .post(base);
    created.then().statusCode(200);
    String id = created.path("qos_specs.id");
    Map<String, Object> spec = created.path("qos_specs");
    assertEquals(List.of("id", "name", "consumer", "specs"), List.copyOf(spec.keySet()));
    assertEquals(name, spec.get("name"));
    assertEquals("back-end", spec.get("consumer"));
    assertEquals(Map.of("total_iops_sec", "1000", "read_bytes_sec", "1048576"), spec.get("specs"));
    List<Map<String, String>> links = created.path("links");
    assertEquals("self", links.get(0).get("rel"));
    assertTrue(links.get(0).get("href").endsWith("/v3/" + api.project + "/qos-specs/" + id));
    assertEquals("bookmark", links.get(1).get("rel"));
    assertTrue(links.get(1).get("href").endsWith("/" + api.project + "/qos-specs/" + id));
    assertFalse(links.get(1).get("href").contains("/v3/"));

    Response shown = admin().get(base + "/" + id);
    shown.then().statusCode(200);
    Map<String, Object> body = shown.path("");
    assertEquals(List.of("qos_specs", "links"), List.copyOf(body.keySet()));
    assertEquals(spec, shown.path("qos_specs"));

    Response listed = admin().get(base);
    listed.then().statusCode(200);
    Map<String, Object> listBody = listed.path("");
    assertEquals(List.of("qos_specs"), List.copyOf(listBody.keySet()));
    List<Map<String, Object>> items = listed.path("qos_specs");
    Map<String, Object> item =
        items.stream().filter(i -> id.equals(i.get("id"))).findFirst().orElseThrow();
    assertEquals(spec, item);

    JsonNode payload = notification(id, "qos_specs.create");
    assertEquals(name, payload.path("name").asText());
    assertEquals("back-end", payload.path("specs").path("consumer").asText());
    assertEquals("1000", payload.path("specs").path("total_iops_sec").asText());
    assertTrue(payload.path("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*\\.\\d{6}"));
  }

  @Test
  void consumerDefaultsToBackEndAndTheNameIsStripped() {
    String id = create("  spaced-" + unique + " ", ", \"k\": \"v\"");
    Response shown = admin().get(base + "/" + id);
    assertEquals("spaced-" + unique, shown.path("qos_specs.name"));
    assertEquals("back-end", shown.path("qos_specs.consumer"));
    assertEquals(Map.of("k", "v"), shown.path("qos_specs.specs"));
    String front = create("front-" + unique, ", \"consumer\": \"front-end\"");
    assertEquals("front-end", admin().get(base + "/" + front).path("qos_specs.consumer"));
    assertEquals(Map.of(), admin().get(base + "/" + front).path("qos_specs.specs"));
  }

  @Test
  void createRefusalsAreCinders() {
    String name = "dup-" + unique;
    create(name, "");
    assertFault(
        admin().body("{\"qos_specs\": {\"name\": \"" + name + "\"}}").post(base),
        409,
        "QoS Specs " + name + " already exists.");
    assertFault(
        admin()
            .body("{\"qos_specs\": {\"name\": \"c-" + unique + "\", \"consumer\": \"nowhere\"}}")
            .post(base),
        400,
        "Invalid qos specs: Valid consumer of QoS specs are: QoSConsumerValues(default=<class"
            + " 'oslo_versionedobjects.fields.UnspecifiedDefault'>,nullable=False,"
            + "valid_values=('back-end', 'front-end', 'both'))");
    assertFault(
        admin().body("{\"specs\": {}}").post(base), 400, "'qos_specs' is a required property");
    assertFault(
        admin().body("{\"qos_specs\": {\"k\": \"v\"}}").post(base),
        400,
        "Invalid input for field/attribute qos_specs. Value: {'k': 'v'}. 'name' is a required"
            + " property");
    assertFault(
        admin().body("{\"qos_specs\": {\"name\": \"  \"}}").post(base),
        400,
        "An invalid 'name' value was provided. The 'name' can not be empty.");
    assertFault(
        admin().body("{\"qos_specs\": {\"name\": 5}}").post(base),
        400,
        "Invalid input for field/attribute name. Value: 5. 5 is not of type 'string'");
    assertFault(
        admin().body("{\"qos_specs\": {\"name\": \"n-" + unique + "\", \"iops\": 5}}").post(base),
        400,
        "Invalid input received: Value for key \"iops\" is not a string or unicode");
    assertFault(admin().body("{").post(base), 400, "Malformed request body");
    // Nothing of the refused requests was written.
    List<String> names = admin().get(base).path("qos_specs.name");
    assertFalse(names.contains("c-" + unique));
    assertFalse(names.contains("n-" + unique));
  }

  @Test
  void onlyAdminsMayUseQosSpecs() {
    String id = create("policy-" + unique, "");
    RequestSpecification user = api.as("alice");
    String rule = "Policy doesn't allow volume_extension:qos_specs_manage:%s to be performed.";
    assertFault(user.get(base), 403, rule.formatted("get_all"));
    assertFault(
        api.as("alice").body("{\"qos_specs\": {\"name\": \"x\"}}").post(base),
        403,
        rule.formatted("create"));
    assertFault(api.as("alice").get(base + "/" + id), 403, rule.formatted("get"));
    assertFault(
        api.as("alice").body("{\"qos_specs\": {\"a\": \"b\"}}").put(base + "/" + id),
        403,
        rule.formatted("update"));
    assertFault(
        api.as("alice").body("{\"keys\": [\"a\"]}").put(base + "/" + id + "/delete_keys"),
        403,
        rule.formatted("delete"));
    assertFault(api.as("alice").delete(base + "/" + id), 403, rule.formatted("delete"));
    assertFault(
        api.as("alice").get(base + "/" + id + "/associations"), 403, rule.formatted("get_all"));
    assertFault(
        api.as("alice").get(base + "/" + id + "/associate?vol_type_id=" + UUID.randomUUID()),
        403,
        rule.formatted("update"));
    assertFault(
        api.as("alice").get(base + "/" + id + "/disassociate?vol_type_id=" + UUID.randomUUID()),
        403,
        rule.formatted("update"));
    assertFault(
        api.as("alice").get(base + "/" + id + "/disassociate_all"), 403, rule.formatted("update"));
    admin().get(base + "/" + id).then().statusCode(200);
  }

  @Test
  void setKeysAnswersTheRequestAndChangesTheSpec() {
    String id = create("set-" + unique, ", \"total_iops_sec\": \"1000\"");
    Response set =
        admin()
            .body("{\"qos_specs\": {\"write_iops_sec\": \"500\", \"total_iops_sec\": \"2000\"}}")
            .put(base + "/" + id);
    set.then().statusCode(200);
    assertEquals(
        Map.of("qos_specs", Map.of("write_iops_sec", "500", "total_iops_sec", "2000")),
        set.path(""));
    assertEquals(
        Map.of("write_iops_sec", "500", "total_iops_sec", "2000"),
        admin().get(base + "/" + id).path("qos_specs.specs"));

    admin()
        .body("{\"qos_specs\": {\"consumer\": \"both\"}}")
        .put(base + "/" + id)
        .then()
        .statusCode(200);
    Response shown = admin().get(base + "/" + id);
    assertEquals("both", shown.path("qos_specs.consumer"));
    assertFalse(((Map<?, ?>) shown.path("qos_specs.specs")).containsKey("consumer"));

    List<JsonNode> updates = notifications(id, "qos_specs.update", 2);
    JsonNode payload = updates.get(0);
    assertEquals(id, payload.path("id").asText());
    assertFalse(payload.path("created_at").isMissingNode());
    assertFalse(payload.path("updated_at").isMissingNode());
    assertEquals("500", payload.path("specs").path("write_iops_sec").asText());
    assertEquals("both", updates.get(1).path("specs").path("consumer").asText());
  }

  @Test
  void setKeysRefusalsAreCinders() {
    String id = create("setbad-" + unique, "");
    assertFault(
        admin().body("{\"qos_specs\": {\"consumer\": \"elsewhere\"}}").put(base + "/" + id),
        400,
        "Invalid qos specs: Valid consumer of QoS specs are: QoSConsumerValues(default=<class"
            + " 'oslo_versionedobjects.fields.UnspecifiedDefault'>,nullable=False,"
            + "valid_values=('back-end', 'front-end', 'both'))");
    String unknown = UUID.randomUUID().toString();
    assertFault(
        admin().body("{\"qos_specs\": {\"a\": \"b\"}}").put(base + "/" + unknown),
        404,
        "No such QoS spec " + unknown + ".");
    assertFault(
        admin().body("{\"qos_specs\": {\"bad!key\": \"b\"}}").put(base + "/" + id),
        400,
        "Invalid input for field/attribute qos_specs. Value: {'bad!key': 'b'}. Additional"
            + " properties are not allowed ('bad!key' was unexpected)");
    assertFault(
        admin().body("{\"qos_specs\": {\"a\": 1}}").put(base + "/" + id),
        400,
        "Invalid input for field/attribute a. Value: 1. 1 is not of type 'string', 'null'");
    assertFault(
        admin().body("{\"specs\": {}}").put(base + "/" + id),
        400,
        "'qos_specs' is a required property");
    assertEquals("back-end", admin().get(base + "/" + id).path("qos_specs.consumer"));
  }

  @Test
  void deleteKeysRemovesKeysAndStopsAtAMissingOne() {
    String id = create("unset-" + unique, ", \"a\": \"1\", \"b\": \"2\", \"c\": \"3\"");
    admin()
        .body("{\"keys\": [\"a\"]}")
        .put(base + "/" + id + "/delete_keys")
        .then()
        .statusCode(202);
    assertEquals(Map.of("b", "2", "c", "3"), admin().get(base + "/" + id).path("qos_specs.specs"));
    JsonNode payload = notification(id, "qos_specs.delete_keys");
    assertEquals(id, payload.path("id").asText());
    assertFalse(payload.path("updated_at").isMissingNode());

    // As Cinder: keys before the missing one are removed, the rest stay.
    assertFault(
        admin().body("{\"keys\": [\"b\", \"zz\", \"c\"]}").put(base + "/" + id + "/delete_keys"),
        404,
        "QoS spec " + id + " has no spec with key zz.");
    assertEquals(Map.of("c", "3"), admin().get(base + "/" + id).path("qos_specs.specs"));

    String unknown = UUID.randomUUID().toString();
    assertFault(
        admin().body("{\"keys\": [\"c\"]}").put(base + "/" + unknown + "/delete_keys"),
        404,
        "No such QoS spec " + unknown + ".");
    assertFault(
        admin().body("{\"key\": [\"c\"]}").put(base + "/" + id + "/delete_keys"),
        400,
        "'keys' is a required property");
    assertFault(
        admin().body("{\"keys\": \"c\"}").put(base + "/" + id + "/delete_keys"),
        400,
        "Invalid input for field/attribute keys. Value: c. 'c' is not of type 'array'");
  }

  @Test
  void associateListsDisassociatesAndRefusesASecondSpec() {
    String id = create("assoc-" + unique, "");
    String other = create("assoc-other-" + unique, "");
    UUID type = VolumeTypeRows.insert(db, "type-" + unique);
    UUID type2 = VolumeTypeRows.insert(db, "type2-" + unique);

    Response associated = admin().get(base + "/" + id + "/associate?vol_type_id=" + type);
    associated.then().statusCode(202);
    assertEquals("", associated.asString());
    assertEquals(UUID.fromString(id), VolumeTypeRows.qosSpecsId(db, type));
    JsonNode payload = notification(id, "qos_specs.associate");
    assertEquals(type.toString(), payload.path("type_id").asText());
    // Associating again with the same spec is accepted and changes nothing.
    admin().get(base + "/" + id + "/associate?vol_type_id=" + type).then().statusCode(202);
    admin().get(base + "/" + id + "/associate?vol_type_id=" + type2).then().statusCode(202);

    Response associations = admin().get(base + "/" + id + "/associations");
    associations.then().statusCode(200);
    List<Map<String, String>> listed = associations.path("qos_associations");
    assertEquals(
        List.of(
            Map.of("association_type", "volume_type", "name", "type-" + unique, "id", "" + type),
            Map.of("association_type", "volume_type", "name", "type2-" + unique, "id", "" + type2)),
        listed);
    assertEquals(List.of("association_type", "name", "id"), List.copyOf(listed.get(0).keySet()));

    assertFault(
        admin().get(base + "/" + other + "/associate?vol_type_id=" + type),
        400,
        "Invalid volume type: Type "
            + type
            + " is already associated with another qos specs: "
            + id);
    assertFault(
        admin().get(base + "/" + id + "/associate"), 400, "Volume Type id must not be None.");
    assertFault(
        admin().get(base + "/" + id + "/disassociate?vol_type_id="),
        400,
        "Volume Type id must not be None.");
    UUID unknownType = UUID.randomUUID();
    assertFault(
        admin().get(base + "/" + id + "/associate?vol_type_id=" + unknownType),
        404,
        "Volume type " + unknownType + " could not be found.");
    assertFault(
        admin().get(base + "/" + id + "/disassociate?vol_type_id=" + unknownType),
        404,
        "Volume type " + unknownType + " could not be found.");
    String unknown = UUID.randomUUID().toString();
    assertFault(
        admin().get(base + "/" + unknown + "/associate?vol_type_id=" + type),
        404,
        "No such QoS spec " + unknown + ".");
    assertFault(
        admin().get(base + "/" + unknown + "/associations"),
        404,
        "No such QoS spec " + unknown + ".");
    assertFault(
        admin().get(base + "/" + unknown + "/disassociate_all"),
        404,
        "No such QoS spec " + unknown + ".");

    admin().get(base + "/" + id + "/disassociate?vol_type_id=" + type).then().statusCode(202);
    assertNull(VolumeTypeRows.qosSpecsId(db, type));
    assertEquals(
        type.toString(), notification(id, "qos_specs.disassociate").path("type_id").asText());
    // The type is free for the other spec now.
    admin().get(base + "/" + other + "/associate?vol_type_id=" + type).then().statusCode(202);
    assertEquals(UUID.fromString(other), VolumeTypeRows.qosSpecsId(db, type));

    admin().get(base + "/" + id + "/disassociate_all").then().statusCode(202);
    assertNull(VolumeTypeRows.qosSpecsId(db, type2));
    assertEquals(
        List.of(), admin().get(base + "/" + id + "/associations").path("qos_associations"));
    assertEquals(id, notification(id, "qos_specs.disassociate_all").path("id").asText());
  }

  @Test
  void deleteRefusesASpecInUseUnlessForced() {
    String id = create("del-" + unique, ", \"k\": \"v\"");
    UUID type = VolumeTypeRows.insert(db, "deltype-" + unique);
    admin().get(base + "/" + id + "/associate?vol_type_id=" + type).then().statusCode(202);

    assertFault(admin().delete(base + "/" + id), 400, "Qos specs still in use.");
    assertFault(admin().delete(base + "/" + id + "?force=false"), 400, "Qos specs still in use.");
    assertFault(
        admin().delete(base + "/" + id + "?force=maybe"),
        400,
        "Value 'maybe' for 'force' is not a boolean.");
    admin().get(base + "/" + id).then().statusCode(200);

    Response deleted = admin().delete(base + "/" + id + "?force=True");
    deleted.then().statusCode(202);
    assertEquals("", deleted.asString());
    assertNull(VolumeTypeRows.qosSpecsId(db, type));
    assertFault(admin().get(base + "/" + id), 404, "No such QoS spec " + id + ".");
    JsonNode payload = notification(id, "qos_specs.delete");
    assertEquals(id, payload.path("id").asText());
    assertFalse(payload.path("deleted_at").isMissingNode());

    String unused = create("del-unused-" + unique, "");
    admin().delete(base + "/" + unused).then().statusCode(202);
    assertFault(admin().delete(base + "/" + unused), 404, "No such QoS spec " + unused + ".");
    assertFault(admin().get(base + "/not-a-uuid"), 404, "No such QoS spec not-a-uuid.");
  }

  @Test
  void listSortsFiltersAndPages() {
    String a = create(unique + "-a", ", \"consumer\": \"front-end\"");
    String b = create(unique + "-b", "");
    String c = create(unique + "-c", "");

    List<String> byName = admin().get(base + "?sort=name:asc").path("qos_specs.id");
    int at = byName.indexOf(a);
    assertEquals(List.of(a, b, c), byName.subList(at, at + 3));

    Response page = admin().get(base + "?sort=name:asc&limit=1&marker=" + a);
    page.then().statusCode(200);
    assertEquals(List.of(b), page.path("qos_specs.id"));
    List<Map<String, String>> links = page.path("qos_specs_links");
    assertEquals("next", links.get(0).get("rel"));
    assertTrue(links.get(0).get("href").contains("/v3/" + api.project + "/qos-specs?"));
    assertTrue(links.get(0).get("href").contains("marker=" + b));

    List<String> desc = admin().get(base + "?sort_key=name&sort_dir=desc").path("qos_specs.id");
    int cAt = desc.indexOf(c);
    assertEquals(List.of(c, b, a), desc.subList(cAt, cAt + 3));
    assertEquals(List.of(a), admin().get(base + "?name=" + unique + "-a").path("qos_specs.id"));
    List<String> frontEnd = admin().get(base + "?consumer=front-end").path("qos_specs.id");
    assertTrue(frontEnd.contains(a));
    assertFalse(frontEnd.contains(b));
    // Project-less URLs (3.67+, cinderclient) reach the same resource.
    api.admin().get("/v3/qos-specs/" + a).then().statusCode(200).body("qos_specs.id", equalTo(a));

    String marker = UUID.randomUUID().toString();
    assertFault(
        admin().get(base + "?marker=" + marker), 404, "Marker " + marker + " could not be found.");
    assertFault(admin().get(base + "?limit=x"), 400, "limit param must be an integer");
    assertFault(admin().get(base + "?limit=-1"), 400, "limit param must be positive");
    assertFault(
        admin().get(base + "?sort=size:asc"), 400, "Invalid input received: Invalid sort key size");
  }
}
