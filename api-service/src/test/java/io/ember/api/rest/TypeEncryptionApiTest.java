package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.VolumeDeleted;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Encryption types under {@code /types/{id}/encryption} and the volumes of an encrypted type. */
@QuarkusTest
class TypeEncryptionApiTest {

  private static final String LUKS =
      "{\"encryption\": {\"provider\": \"luks\", \"cipher\": \"aes-xts-plain64\","
          + " \"key_size\": 256, \"control_location\": \"front-end\"}}";
  private static final String UUID_PATTERN =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private final Topics topics = new Topics(TestKafka.prefix());
  private final ProjectApi api = new ProjectApi();

  @Inject AgroalDataSource dataSource;

  private String types() {
    return "/v3/" + api.project + "/types";
  }

  private String encryption(String typeId) {
    return types() + "/" + typeId + "/encryption";
  }

  private RequestSpecification member() {
    return api.as("alice");
  }

  private String createType() {
    return api.admin()
        .body(
            "{\"volume_type\": {\"name\": \"enc-"
                + UUID.randomUUID().toString().substring(0, 8)
                + "\"}}")
        .post(types())
        .then()
        .statusCode(200)
        .extract()
        .path("volume_type.id");
  }

  private String encryptedType() {
    String id = createType();
    api.admin().body(LUKS).post(encryption(id)).then().statusCode(200);
    return id;
  }

  private String volumeOf(RequestSpecification who, String typeId) {
    return who.body("{\"volume\": {\"size\": 1, \"volume_type\": \"" + typeId + "\"}}")
        .post(api.volumes())
        .then()
        .statusCode(202)
        .extract()
        .path("volume.id");
  }

  @Test
  void createShowUpdateDeleteInCindersShapes() {
    String id = createType();
    api.admin().get(encryption(id)).then().statusCode(200).body(equalTo("{}"));

    String encryptionId =
        api.admin()
            .body(LUKS)
            .post(encryption(id))
            .then()
            .statusCode(200)
            .body("encryption.provider", equalTo("luks"))
            .body("encryption.cipher", equalTo("aes-xts-plain64"))
            .body("encryption.key_size", equalTo(256))
            .body("encryption.control_location", equalTo("front-end"))
            .body("encryption.volume_type_id", equalTo(id))
            .body("encryption.encryption_id", matchesPattern(UUID_PATTERN))
            .extract()
            .path("encryption.encryption_id");

    api.admin()
        .get(encryption(id))
        .then()
        .statusCode(200)
        .body("volume_type_id", equalTo(id))
        .body("encryption_id", equalTo(encryptionId))
        .body("provider", equalTo("luks"))
        .body("cipher", equalTo("aes-xts-plain64"))
        .body("key_size", equalTo(256))
        .body("control_location", equalTo("front-end"))
        .body("deleted", equalTo(false))
        .body("deleted_at", nullValue())
        .body("created_at", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}"))
        .body("updated_at", nullValue());
    api.admin()
        .get(encryption(id) + "/cipher")
        .then()
        .statusCode(200)
        .body(equalTo("{\"cipher\":\"aes-xts-plain64\"}"));
    api.admin()
        .get(encryption(id) + "/nope")
        .then()
        .statusCode(404)
        .body(
            "itemNotFound.message",
            equalTo("Volume type encryption for type " + id + " does not exist."));

    // As cinderclient updates: the id in the path is "provider"; a string key size is an integer.
    api.admin()
        .body("{\"encryption\": {\"key_size\": \"512\", \"control_location\": \"back-end\"}}")
        .put(encryption(id) + "/provider")
        .then()
        .statusCode(200)
        .body(equalTo("{\"encryption\":{\"key_size\":512,\"control_location\":\"back-end\"}}"));
    api.admin()
        .get(encryption(id))
        .then()
        .body("key_size", equalTo(512))
        .body("control_location", equalTo("back-end"))
        .body("provider", equalTo("luks"))
        .body("encryption_id", equalTo(encryptionId))
        .body("updated_at", notNullValue());
    api.admin()
        .body("{\"encryption\": {\"cipher\": null, \"key_size\": null}}")
        .put(encryption(id) + "/" + encryptionId)
        .then()
        .statusCode(200);
    api.admin()
        .get(encryption(id))
        .then()
        .body("cipher", nullValue())
        .body("key_size", nullValue())
        .body("provider", equalTo("luks"));

    api.admin().delete(encryption(id) + "/" + encryptionId).then().statusCode(202);
    api.admin().get(encryption(id)).then().statusCode(200).body(equalTo("{}"));
    api.admin()
        .delete(encryption(id) + "/provider")
        .then()
        .statusCode(404)
        .body(
            "itemNotFound.message",
            equalTo("Volume type encryption for type " + id + " does not exist."));
    api.admin()
        .body("{\"encryption\": {\"provider\": \"plain\"}}")
        .put(encryption(id) + "/provider")
        .then()
        .statusCode(404)
        .body(
            "itemNotFound.message",
            equalTo("Volume type encryption for type " + id + " does not exist."));
    // Encrypted again after the delete: a new encryption id.
    api.admin()
        .body(LUKS)
        .post(encryption(id))
        .then()
        .statusCode(200)
        .body("encryption.encryption_id", not(equalTo(encryptionId)));

    // Cinder notifies a create and an update (not a delete), published as volumeTypeEncryption.
    List<CloudEvent> notes = notifications(id, 4);
    assertEquals(
        List.of(
            "volume_type_encryption.create",
            "volume_type_encryption.update",
            "volume_type_encryption.update",
            "volume_type_encryption.create"),
        notes.stream().map(CloudEvent::type).toList());
    assertEquals("volumeTypeEncryption", notes.get(0).source());
    Map<String, Object> created = notes.get(0).dataFields();
    assertEquals(id, created.get("type_id"));
    assertEquals(
        Map.of(
            "provider",
            "luks",
            "cipher",
            "aes-xts-plain64",
            "key_size",
            256,
            "control_location",
            "front-end",
            "volume_type_id",
            id,
            "encryption_id",
            encryptionId),
        created.get("specs"));
    assertEquals(Map.of("type_id", id, "id", "provider"), notes.get(1).dataFields());
    assertEquals(Map.of("type_id", id, "id", encryptionId), notes.get(2).dataFields());
  }

  @Test
  void badRequestsGetCindersMessages() {
    String id = createType();
    Map<String, String> refused =
        Map.ofEntries(
            Map.entry("{}", "'encryption' is a required property"),
            Map.entry(
                "{\"encryption\": 5}",
                "Invalid input for field/attribute encryption. Value: 5. 5 is not of type"
                    + " 'object'"),
            Map.entry(
                "{\"encryption\": {\"control_location\": \"front-end\"}}",
                "Invalid input for field/attribute encryption. Value: {'control_location':"
                    + " 'front-end'}. 'provider' is a required property"),
            Map.entry(
                "{\"encryption\": {\"provider\": \"luks\"}}",
                "Invalid input for field/attribute encryption. Value: {'provider': 'luks'}."
                    + " 'control_location' is a required property"),
            Map.entry(
                "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"middle\"}}",
                "Invalid input for field/attribute control_location. Value: middle. 'middle' is"
                    + " not one of ['front-end', 'back-end']"),
            Map.entry(
                "{\"encryption\": {\"provider\": null, \"control_location\": \"front-end\"}}",
                "Invalid input for field/attribute provider. Value: None. None is not of type"
                    + " 'string'"),
            Map.entry(
                "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"front-end\","
                    + " \"cipher\": 7}}",
                "Invalid input for field/attribute cipher. Value: 7. 7 is not of type 'string',"
                    + " 'null'"),
            Map.entry(
                "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"front-end\","
                    + " \"key_size\": \"abc\"}}",
                "Invalid input for field/attribute key_size. Value: abc. 'abc' is not a"
                    + " 'key_size'"),
            Map.entry(
                "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"front-end\","
                    + " \"key_size\": -1}}",
                "Invalid input for field/attribute key_size. Value: -1. -1 is less than the"
                    + " minimum of 0"),
            Map.entry(
                "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"front-end\","
                    + " \"key_size\": 4294967296}}",
                "Invalid input for field/attribute key_size. Value: 4294967296. 4294967296 is"
                    + " greater than the maximum of 2147483647"),
            Map.entry(
                "{\"encryption\": {\"provider\": \"luks\", \"control_location\": \"front-end\","
                    + " \"key_size\": 1.5}}",
                "Invalid input for field/attribute key_size. Value: 1.5. 1.5 is not of type"
                    + " 'string', 'integer', 'null'"),
            Map.entry(
                "{\"encryption\": {\"provider\": \""
                    + "p".repeat(256)
                    + "\","
                    + " \"control_location\": \"front-end\"}}",
                "Invalid input for field/attribute provider. Value: "
                    + "p".repeat(256)
                    + ". '"
                    + "p".repeat(256)
                    + "' is too long"),
            Map.entry(
                LUKS.substring(0, LUKS.length() - 1) + ", \"x\": 1}",
                "Additional properties are not allowed ('x' was unexpected)"),
            Map.entry("not json", "Malformed request body"));
    refused.forEach(
        (body, message) ->
            api.admin()
                .body(body)
                .post(encryption(id))
                .then()
                .statusCode(400)
                .body("badRequest.message", equalTo(message)));
    // The update checks the same fields but requires none.
    api.admin()
        .body("{\"encryption\": {\"control_location\": \"side\"}}")
        .put(encryption(id) + "/provider")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid input for field/attribute control_location. Value: side. 'side' is not"
                    + " one of ['front-end', 'back-end']"));
    api.admin().get(encryption(id)).then().body(equalTo("{}"));

    api.admin().body(LUKS).post(encryption(id)).then().statusCode(200);
    api.admin()
        .body(LUKS)
        .post(encryption(id))
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("Volume type encryption for type " + id + " already exists."));
  }

  @Test
  void anUnknownTypeIsNotFound() {
    String missing = UUID.randomUUID().toString();
    String typeMessage = "Volume type " + missing + " could not be found.";
    api.admin()
        .get(encryption(missing))
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo(typeMessage));
    api.admin()
        .get(encryption(missing) + "/provider")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo(typeMessage));
    api.admin()
        .body(LUKS)
        .post(encryption(missing))
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo(typeMessage));
    api.admin()
        .body(LUKS)
        .put(encryption(missing) + "/provider")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo(typeMessage));
    // Cinder's delete does not look the type up: it finds no encryption.
    api.admin()
        .delete(encryption(missing) + "/provider")
        .then()
        .statusCode(404)
        .body(
            "itemNotFound.message",
            equalTo("Volume type encryption for type " + missing + " does not exist."));
    api.admin()
        .get(encryption("not-a-uuid"))
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Volume type not-a-uuid could not be found."));
  }

  @Test
  void encryptionTypesAreForAdminsOnly() {
    String id = encryptedType();
    String rule =
        "Policy doesn't allow volume_extension:volume_type_encryption:%s to be performed.";
    member()
        .get(encryption(id))
        .then()
        .statusCode(403)
        .body("forbidden.message", equalTo(rule.formatted("get")));
    member()
        .get(encryption(id) + "/provider")
        .then()
        .statusCode(403)
        .body("forbidden.message", equalTo(rule.formatted("get")));
    member()
        .body(LUKS)
        .post(encryption(createType()))
        .then()
        .statusCode(403)
        .body("forbidden.message", equalTo(rule.formatted("create")));
    member()
        .body("{\"encryption\": {\"provider\": \"plain\"}}")
        .put(encryption(id) + "/provider")
        .then()
        .statusCode(403)
        .body("forbidden.message", equalTo(rule.formatted("update")));
    member()
        .delete(encryption(id) + "/provider")
        .then()
        .statusCode(403)
        .body("forbidden.message", equalTo(rule.formatted("delete")));
    // Cinder checks the body before the policy.
    member().body("{}").post(encryption(id)).then().statusCode(400);
    api.admin().get(encryption(id)).then().body("provider", equalTo("luks"));
  }

  @Test
  void aVolumesKeyGoesWithTheVolumeAndItsClonesKeyStays() throws Exception {
    String type = encryptedType();
    String volume = volumeOf(member(), type);
    api.placeOn("node1@fake", volume);
    String clone =
        member()
            .body("{\"volume\": {\"source_volid\": \"" + volume + "\"}}")
            .post(api.volumes())
            .then()
            .statusCode(202)
            .extract()
            .path("volume.id");
    String key = keyOf(volume);
    String cloneKey = keyOf(clone);
    assertEquals(List.of(true, true), List.of(keyExists(key), keyExists(cloneKey)));

    member().delete(api.volumes() + "/" + volume).then().statusCode(202);
    TestKafka.produce(
        topics.volumeEvents(),
        volume,
        Envelope.of(
                MessageType.VOLUME_DELETED,
                volume,
                new RequestContext("req-test", "admin", api.project, List.of()),
                new VolumeDeleted(volume, "node1@fake#fake"))
            .toJson());
    api.awaitStatus(volume, "404");
    assertEquals(List.of(false, true), List.of(keyExists(key), keyExists(cloneKey)));
  }

  private String keyOf(String volumeId) {
    return api.admin()
        .header("OpenStack-API-Version", "volume 3.70")
        .get(api.volumes() + "/" + volumeId)
        .then()
        .statusCode(200)
        .extract()
        .path("volume.encryption_key_id");
  }

  private boolean keyExists(String keyId) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement find =
            connection.prepareStatement("select 1 from encryption_keys where id = ?::uuid")) {
      find.setString(1, keyId);
      try (ResultSet row = find.executeQuery()) {
        return row.next();
      }
    }
  }

  @Test
  void aVolumeOfAnEncryptedTypeIsEncryptedAndKeepsItsTypesEncryption() throws Exception {
    String id = encryptedType();
    String encrypted =
        member()
            .body("{\"volume\": {\"size\": 1, \"volume_type\": \"" + id + "\"}}")
            .post(api.volumes())
            .then()
            .statusCode(202)
            .body("volume.encrypted", equalTo(true))
            .extract()
            .path("volume.id");
    String plain = api.create(member(), 1);
    member().get(api.volumes() + "/" + encrypted).then().body("volume.encrypted", equalTo(true));
    // Its own key from the key manager; Cinder shows its id (3.64+) only when there is one.
    api.admin()
        .header("OpenStack-API-Version", "volume 3.70")
        .get(api.volumes() + "/" + encrypted)
        .then()
        .statusCode(200)
        .body("volume.encrypted", equalTo(true))
        .body("volume.encryption_key_id", matchesPattern("[0-9a-f-]{36}"));
    api.admin()
        .header("OpenStack-API-Version", "volume 3.70")
        .get(api.volumes() + "/" + plain)
        .then()
        .body("volume", not(hasKey("encryption_key_id")));
    // A clone gets a copy of the key under an id of its own (the source's goes with the source).
    api.placeOn("node1@fake", encrypted);
    String key =
        api.admin()
            .header("OpenStack-API-Version", "volume 3.70")
            .get(api.volumes() + "/" + encrypted)
            .path("volume.encryption_key_id");
    String clone =
        member()
            .body("{\"volume\": {\"source_volid\": \"" + encrypted + "\"}}")
            .post(api.volumes())
            .then()
            .statusCode(202)
            .body("volume.encrypted", equalTo(true))
            .extract()
            .path("volume.id");
    api.admin()
        .header("OpenStack-API-Version", "volume 3.70")
        .get(api.volumes() + "/" + clone)
        .then()
        .body("volume.encryption_key_id", matchesPattern("[0-9a-f-]{36}"))
        .body("volume.encryption_key_id", not(equalTo(key)));
    member().get(api.volumes() + "/" + plain).then().body("volume.encrypted", equalTo(false));
    List<Map<String, Object>> detail =
        member().get(api.volumes() + "/detail").then().statusCode(200).extract().path("volumes");
    Map<String, Boolean> shown =
        detail.stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    v -> (String) v.get("id"), v -> (Boolean) v.get("encrypted")));
    assertEquals(Map.of(encrypted, true, plain, false, clone, true), shown);

    String inUse = "Cannot %s encryption specs. Volume type in use.";
    api.admin()
        .body("{\"encryption\": {\"key_size\": 512}}")
        .put(encryption(id) + "/provider")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo(inUse.formatted("update")));
    api.admin()
        .delete(encryption(id) + "/provider")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo(inUse.formatted("delete")));
    api.admin().get(encryption(id)).then().body("key_size", equalTo(256));

    String used = createType();
    volumeOf(member(), used);
    api.admin()
        .body(LUKS)
        .post(encryption(used))
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo(inUse.formatted("create")));
    api.admin().get(encryption(used)).then().body(equalTo("{}"));
  }

  private List<CloudEvent> notifications(String typeId, int count) {
    return TestKafka.await(
            topics.notifications(),
            r -> typeId.equals(r.key()) && r.value().contains("volume_type_encryption."),
            count + 1,
            Duration.ofSeconds(5))
        .stream()
        .map(r -> CloudEvent.fromJson(r.value()))
        .toList();
  }
}
