package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.Topics;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ScheduleVolume;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Volume types, extra specs, type access, the default type and volumes created with a type. */
@QuarkusTest
class TypesApiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private final Topics topics = new Topics(TestKafka.prefix());
  private final ProjectApi api = new ProjectApi();
  private final ProjectApi other = new ProjectApi();

  private String types() {
    return "/v3/" + api.project + "/types";
  }

  private RequestSpecification member() {
    return api.as("alice");
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private String createType(String name, boolean isPublic, String specsJson) {
    return api.admin()
        .body(
            "{\"volume_type\": {\"name\": \""
                + name
                + "\", \"description\": \"d\", \"os-volume-type-access:is_public\": "
                + isPublic
                + ", \"extra_specs\": "
                + specsJson
                + "}}")
        .post(types())
        .then()
        .statusCode(200)
        .extract()
        .path("volume_type.id");
  }

  @Test
  void createShowUpdateListDeleteInCindersShapes() {
    String name = unique("gold");
    api.admin()
        .body(
            "{\"volume_type\": {\"name\": \""
                + name
                + "\", \"description\": \"shape type\", \"os-volume-type-access:is_public\":"
                + " true, \"extra_specs\": {\"volume_backend_name\": \"fake\"}}}")
        .post(types())
        .then()
        .statusCode(200)
        .body("volume_type.name", equalTo(name))
        .body("volume_type.is_public", equalTo(true))
        .body("volume_type.description", equalTo("shape type"))
        .body("volume_type.extra_specs.volume_backend_name", equalTo("fake"))
        .body("volume_type.'os-volume-type-access:is_public'", equalTo(true))
        .body("volume_type", not(hasKey("qos_specs_id")));
    String id =
        api.admin()
            .get(types() + "?name=" + name + "&is_public=None")
            .then()
            .statusCode(200)
            .extract()
            .path("volume_types[0].id");

    api.admin()
        .get(types() + "/" + id)
        .then()
        .statusCode(200)
        .body("volume_type.id", equalTo(id))
        .body("volume_type.qos_specs_id", nullValue())
        .body("volume_type", hasKey("qos_specs_id"))
        .body("volume_type.'os-volume-type-access:is_public'", equalTo(true));
    // Cinder's v3 show is by id only: a name is not found.
    api.admin()
        .get(types() + "/" + name)
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Volume type " + name + " could not be found."));

    api.admin()
        .body("{\"volume_type\": {\"description\": \"updated\"}}")
        .put(types() + "/" + id)
        .then()
        .statusCode(200)
        .body("volume_type.description", equalTo("updated"))
        .body("volume_type", not(hasKey("os-volume-type-access:is_public")));

    // Without the project segment too (cinderclient's URLs).
    api.admin()
        .get("/v3/types")
        .then()
        .statusCode(200)
        .body("volume_types.id", hasItem(id))
        .body("volume_types.name", hasItem("__DEFAULT__"));

    api.admin().delete(types() + "/" + id).then().statusCode(202);
    api.admin().get(types() + "/" + id).then().statusCode(404);
    List<CloudEvent> notes = notifications(id, 3);
    assertEquals(
        List.of("volume_type.create", "volume_type.update", "volume_type.delete"),
        notes.stream().map(CloudEvent::type).toList());
    @SuppressWarnings("unchecked")
    Map<String, Object> created =
        (Map<String, Object>) notes.get(0).dataFields().get("volume_types");
    assertEquals(name, created.get("name"));
    assertEquals(Map.of("volume_backend_name", "fake"), created.get("extra_specs"));
  }

  @Test
  void theDefaultTypeIsThereAndCannotBeDeleted() {
    String id =
        api.admin()
            .get(types() + "/default")
            .then()
            .statusCode(200)
            .body("volume_type.name", equalTo("__DEFAULT__"))
            .body("volume_type.description", equalTo("Default Volume Type"))
            .body("volume_type.qos_specs_id", nullValue())
            .body("volume_type", not(hasKey("os-volume-type-access:is_public")))
            .extract()
            .path("volume_type.id");
    api.admin()
        .delete(types() + "/" + id)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("The volume type " + id + " is a default volume type and cannot be deleted."));
  }

  @Test
  void refusals() {
    String name = unique("dup");
    String id = createType(name, true, "{}");
    api.admin()
        .body("{\"volume_type\": {\"name\": \"" + name + "\"}}")
        .post(types())
        .then()
        .statusCode(409)
        .body("conflictingRequest.message", equalTo("Volume Type " + name + " already exists."));
    api.admin()
        .body("{\"volume_type\": {\"name\": \"   \"}}")
        .post(types())
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("An invalid 'name' value was provided. The 'name' can not be empty."));
    api.admin()
        .body("{\"volume_type\": {\"name\": \"x\", \"description\": \"" + "d".repeat(256) + "\"}}")
        .post(types())
        .then()
        .statusCode(400);
    api.admin()
        .body(
            "{\"volume_type\": {\"name\": \"x\", \"os-volume-type-access:is_public\": \"maybe\"}}")
        .post(types())
        .then()
        .statusCode(400);
    api.admin()
        .body("{\"volume_type\": {}}")
        .put(types() + "/" + id)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("Specify volume type name, description, is_public or a combination thereof."));
    api.admin()
        .body("{\"extra_specs\": {\"bad key!\": \"v\"}}")
        .post(types() + "/" + id + "/extra_specs")
        .then()
        .statusCode(400);
    String missing = UUID.randomUUID().toString();
    api.admin()
        .get(types() + "/" + missing)
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Volume type " + missing + " could not be found."));
    api.admin()
        .body("{\"addProjectAccess\": {\"project\": \"" + other.project + "\"}}")
        .post(types() + "/" + id + "/action")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid volume type: Type access modification is not applicable to public"
                    + " volume type."));
    api.admin().get(types() + "/" + id + "/os-volume-type-access").then().statusCode(404);
    api.admin()
        .get(types() + "/" + id + "/extra_specs/nope")
        .then()
        .statusCode(404)
        .body(
            "itemNotFound.message",
            equalTo("Volume Type " + id + " has no extra specs with key nope."));
  }

  @Test
  void writesAreForAdmins() {
    String id = createType(unique("adm"), true, "{}");
    member()
        .body("{\"volume_type\": {\"name\": \"mine\"}}")
        .post(types())
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo("Policy doesn't allow volume_extension:type_create to be performed."));
    member()
        .body("{\"volume_type\": {\"description\": \"x\"}}")
        .put(types() + "/" + id)
        .then()
        .statusCode(403);
    member().delete(types() + "/" + id).then().statusCode(403);
    member()
        .body("{\"extra_specs\": {\"a\": \"b\"}}")
        .post(types() + "/" + id + "/extra_specs")
        .then()
        .statusCode(403);
    member()
        .body("{\"a\": \"b\"}")
        .put(types() + "/" + id + "/extra_specs/a")
        .then()
        .statusCode(403);
    member().delete(types() + "/" + id + "/extra_specs/a").then().statusCode(403);
    member()
        .body("{\"addProjectAccess\": {\"project\": \"p\"}}")
        .post(types() + "/" + id + "/action")
        .then()
        .statusCode(403);
    member().get(types() + "/" + id + "/os-volume-type-access").then().statusCode(403);
    // Reading is for everyone, without the admin-only attributes.
    member()
        .get(types() + "/" + id)
        .then()
        .statusCode(200)
        .body("volume_type", not(hasKey("qos_specs_id")));
  }

  @Test
  void extraSpecsSetShowUpdateUnset() {
    String id = createType(unique("specs"), true, "{\"volume_backend_name\": \"fake\"}");
    api.admin()
        .body("{\"extra_specs\": {\"custom:foo\": \"bar\", \"multiattach\": \"<is> True\"}}")
        .post(types() + "/" + id + "/extra_specs")
        .then()
        .statusCode(200)
        .body("extra_specs.'custom:foo'", equalTo("bar"));
    api.admin()
        .get(types() + "/" + id + "/extra_specs")
        .then()
        .statusCode(200)
        .body("extra_specs.volume_backend_name", equalTo("fake"))
        .body("extra_specs.'custom:foo'", equalTo("bar"));
    // A project sees only the user-visible specs.
    member()
        .get(types() + "/" + id + "/extra_specs")
        .then()
        .statusCode(200)
        .body("extra_specs", equalTo(Map.of("multiattach", "<is> True")));
    api.admin()
        .body("{\"custom:foo\": \"baz\"}")
        .put(types() + "/" + id + "/extra_specs/custom:foo")
        .then()
        .statusCode(200)
        .body("'custom:foo'", equalTo("baz"));
    api.admin()
        .body("{\"other\": \"baz\"}")
        .put(types() + "/" + id + "/extra_specs/custom:foo")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Request body and URI mismatch"));
    api.admin()
        .get(types() + "/" + id + "/extra_specs/custom:foo")
        .then()
        .statusCode(200)
        .body("'custom:foo'", equalTo("baz"));
    api.admin().delete(types() + "/" + id + "/extra_specs/custom:foo").then().statusCode(202);
    api.admin().get(types() + "/" + id + "/extra_specs/custom:foo").then().statusCode(404);
    List<String> events = notifications(id, 4).stream().map(CloudEvent::type).toList();
    assertTrue(events.contains("volume_type_extra_specs.create"), events.toString());
    assertTrue(events.contains("volume_type_extra_specs.delete"), events.toString());
  }

  @Test
  void aPrivateTypeIsForTheProjectsItIsOpenedTo() {
    String name = unique("private");
    String id = createType(name, false, "{}");
    RequestSpecification stranger = other.as("bob");
    String otherTypes = "/v3/" + other.project + "/types";
    stranger.get(otherTypes + "/" + id).then().statusCode(404);
    List<String> seen =
        stranger.get(otherTypes).then().statusCode(200).extract().path("volume_types.id");
    assertFalse(seen.contains(id));
    other
        .as("bob")
        .body("{\"volume\": {\"size\": 1, \"volume_type\": \"" + name + "\"}}")
        .post(other.volumes())
        .then()
        .statusCode(404)
        .body(
            "itemNotFound.message",
            equalTo("Volume type with name " + name + " could not be found."));
    other
        .as("bob")
        .body("{\"volume\": {\"size\": 1, \"volume_type\": \"" + id + "\"}}")
        .post(other.volumes())
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Volume type " + id + " could not be found."));
    // Admin listing: absent is_public = public (+ own access), None = all, false = private only.
    List<String> publicOnly = api.admin().get(types()).then().extract().path("volume_types.id");
    assertFalse(publicOnly.contains(id));
    List<String> all =
        api.admin().get(types() + "?is_public=None").then().extract().path("volume_types.id");
    assertTrue(all.contains(id));
    List<String> privates =
        api.admin().get(types() + "?is_public=false").then().extract().path("volume_types.name");
    assertTrue(privates.contains(name) && !privates.contains("__DEFAULT__"));

    api.admin()
        .body("{\"addProjectAccess\": {\"project\": \"" + other.project + "\"}}")
        .post(types() + "/" + id + "/action")
        .then()
        .statusCode(202);
    api.admin()
        .body("{\"addProjectAccess\": {\"project\": \"" + other.project + "\"}}")
        .post(types() + "/" + id + "/action")
        .then()
        .statusCode(409);
    api.admin()
        .get(types() + "/" + id + "/os-volume-type-access")
        .then()
        .statusCode(200)
        .body("volume_type_access[0].project_id", equalTo(other.project))
        .body("volume_type_access[0].volume_type_id", equalTo(id));
    stranger
        .get(otherTypes + "/" + id)
        .then()
        .statusCode(200)
        .body("volume_type.name", equalTo(name));
    String volume =
        other
            .as("bob")
            .body("{\"volume\": {\"size\": 1, \"volume_type\": \"" + name + "\"}}")
            .post(other.volumes())
            .then()
            .statusCode(202)
            .body("volume.volume_type", equalTo(name))
            .extract()
            .path("volume.id");
    assertEquals(id, scheduled(volume).volume().volumeTypeId());

    api.admin()
        .body("{\"removeProjectAccess\": {\"project\": \"" + other.project + "\"}}")
        .post(types() + "/" + id + "/action")
        .then()
        .statusCode(202);
    api.admin()
        .body("{\"removeProjectAccess\": {\"project\": \"" + other.project + "\"}}")
        .post(types() + "/" + id + "/action")
        .then()
        .statusCode(404)
        .body(
            "itemNotFound.message",
            equalTo(
                "Volume type access not found for "
                    + id
                    + " / "
                    + other.project
                    + " combination."));
  }

  @Test
  void aVolumeOfATypeShowsItsNameAndCarriesItsExtraSpecsToTheScheduler() throws Exception {
    String name = unique("fast");
    String id = createType(name, true, "{\"volume_backend_name\": \"fake\", \"speed\": \"fast\"}");
    String byName =
        api.admin()
            .body("{\"volume\": {\"size\": 1, \"volume_type\": \"" + name + "\"}}")
            .post(api.volumes())
            .then()
            .statusCode(202)
            .body("volume.volume_type", equalTo(name))
            .extract()
            .path("volume.id");
    String byId =
        api.admin()
            .body("{\"volume\": {\"size\": 1, \"volume_type\": \"" + id + "\"}}")
            .post(api.volumes())
            .then()
            .statusCode(202)
            .body("volume.volume_type", equalTo(name))
            .extract()
            .path("volume.id");
    ScheduleVolume schedule = scheduled(byName);
    assertEquals(id, schedule.volume().volumeTypeId());
    assertEquals(
        Map.of("volume_backend_name", "fake", "speed", "fast"), schedule.volume().extraSpecs());
    assertEquals(id, scheduled(byId).volume().volumeTypeId());
    api.admin()
        .header("OpenStack-API-Version", "volume 3.63")
        .get(api.volumes() + "/" + byId)
        .then()
        .statusCode(200)
        .body("volume.volume_type", equalTo(name))
        .body("volume.volume_type_id", equalTo(id));
    api.admin()
        .get(api.volumes() + "/detail")
        .then()
        .statusCode(200)
        .body("volumes.volume_type", hasItem(name));

    // In use: no delete, no extra spec change.
    api.admin()
        .delete(types() + "/" + id)
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Target volume type is still in use."));
    api.admin()
        .body("{\"extra_specs\": {\"a\": \"b\"}}")
        .post(types() + "/" + id + "/extra_specs")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Volume Type is currently in use."));

    // A rename shows at once in the volume view.
    String renamed = unique("faster");
    api.admin()
        .body("{\"volume_type\": {\"name\": \"" + renamed + "\"}}")
        .put(types() + "/" + id)
        .then()
        .statusCode(200);
    api.admin().get(api.volumes() + "/" + byId).then().body("volume.volume_type", equalTo(renamed));

    // Without a type: the default one.
    String plain = api.create(api.admin(), 1);
    api.admin()
        .get(api.volumes() + "/" + plain)
        .then()
        .body("volume.volume_type", equalTo("__DEFAULT__"));
    String defaultId =
        api.admin().get(types() + "/default").then().extract().path("volume_type.id");
    assertEquals(defaultId, scheduled(plain).volume().volumeTypeId());
  }

  /**
   * The type's back-end QoS spec rides in schedule_volume, read from the API's type catalog: a
   * change of the spec or of the association shows in the next create.
   */
  @Test
  void aTypesBackEndQosSpecTravelsWithTheCreateAndFollowsItsChanges() {
    String typeId = createType(unique("qos-typed"), true, "{}");
    String qosId =
        api.admin()
            .body(
                "{\"qos_specs\": {\"name\": \""
                    + unique("qos")
                    + "\", \"consumer\": \"back-end\", \"total_iops_sec\": \"500\"}}")
            .post("/v3/" + api.project + "/qos-specs")
            .then()
            .statusCode(200)
            .extract()
            .path("qos_specs.id");
    String volumeBody = "{\"volume\": {\"size\": 1, \"volume_type\": \"" + typeId + "\"}}";
    String before =
        api.admin().body(volumeBody).post(api.volumes()).then().extract().path("volume.id");
    assertEquals(null, scheduled(before).volume().qosSpecs());

    api.admin()
        .get("/v3/" + api.project + "/qos-specs/" + qosId + "/associate?vol_type_id=" + typeId)
        .then()
        .statusCode(202);
    String associated =
        api.admin().body(volumeBody).post(api.volumes()).then().extract().path("volume.id");
    assertEquals(
        Map.of("total_iops_sec", "500"), scheduled(associated).volume().qosSpecs().specs());

    api.admin()
        .body("{\"qos_specs\": {\"total_iops_sec\": \"900\"}}")
        .put("/v3/" + api.project + "/qos-specs/" + qosId)
        .then()
        .statusCode(200);
    String changed =
        api.admin().body(volumeBody).post(api.volumes()).then().extract().path("volume.id");
    assertEquals(Map.of("total_iops_sec", "900"), scheduled(changed).volume().qosSpecs().specs());

    api.admin()
        .get("/v3/" + api.project + "/qos-specs/" + qosId + "/disassociate?vol_type_id=" + typeId)
        .then()
        .statusCode(202);
    String after =
        api.admin().body(volumeBody).post(api.volumes()).then().extract().path("volume.id");
    assertEquals(null, scheduled(after).volume().qosSpecs());
  }

  private ScheduleVolume scheduled(String volumeId) {
    List<ConsumerRecord<String, String>> records =
        TestKafka.await(topics.schedulerRequests(), r -> volumeId.equals(r.key()), 1, WAIT);
    assertEquals(1, records.size(), "schedule_volume for " + volumeId);
    return Envelope.fromJson(records.get(0).value()).payloadAs(ScheduleVolume.class);
  }

  private List<CloudEvent> notifications(String typeId, int count) {
    return TestKafka.await(topics.notifications(), r -> typeId.equals(r.key()), count, WAIT)
        .stream()
        .map(r -> CloudEvent.fromJson(r.value()))
        .toList();
  }
}
