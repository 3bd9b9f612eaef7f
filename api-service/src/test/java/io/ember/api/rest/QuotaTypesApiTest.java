package io.ember.api.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.ProjectApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Quota per volume type ({@code volumes_<type>}, {@code gigabytes_<type>}, {@code
 * snapshots_<type>}) and the quota class {@code default}, through HTTP as the clients use them.
 */
@QuarkusTest
class QuotaTypesApiTest {

  private final ProjectApi api = new ProjectApi();

  /** A type name of this run only (letters and underscores: a JSON path can name its keys). */
  private static String typeName() {
    return "qt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private String createType(String name) {
    return api.admin()
        .body("{\"volume_type\": {\"name\": \"" + name + "\"}}")
        .post("/v3/" + api.project + "/types")
        .then()
        .statusCode(200)
        .extract()
        .path("volume_type.id");
  }

  private Response createVolume(ProjectApi in, String type, int size) {
    String typed = type == null ? "" : ", \"volume_type\": \"" + type + "\"";
    return in.as("alice").body("{\"volume\": {\"size\": " + size + typed + "}}").post(in.volumes());
  }

  private String created(ProjectApi in, String type, int size) {
    Response r = createVolume(in, type, size);
    assertEquals(202, r.statusCode(), r.asString());
    return r.path("volume.id");
  }

  private JsonPath quotaSet(ProjectApi in, boolean usage) {
    return in.admin()
        .get("/v3/" + in.project + "/os-quota-sets/" + in.project + (usage ? "?usage=True" : ""))
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private Response setQuota(ProjectApi in, String body) {
    return in.admin().body(body).put("/v3/" + in.project + "/os-quota-sets/" + in.project);
  }

  @Test
  void quotaSetShowsEveryTypesResourcesAndTheirUsage() {
    String type = typeName();
    createType(type);

    Map<String, Object> set = quotaSet(api, false).getMap("quota_set");
    for (String base : new String[] {"volumes", "gigabytes", "snapshots"}) {
      assertEquals(-1, set.get(base + "_" + type), base + "_" + type + " in " + set);
      assertEquals(-1, set.get(base + "___DEFAULT__"), set.toString());
    }
    assertEquals(api.project, set.get("id"));

    created(api, type, 2);
    created(api, type, 3);
    created(api, null, 1);
    JsonPath usage = quotaSet(api, true);
    assertEquals(3, usage.getInt("quota_set.volumes.in_use"));
    assertEquals(6, usage.getInt("quota_set.gigabytes.in_use"));
    assertEquals(2, usage.getInt("quota_set.volumes_" + type + ".in_use"));
    assertEquals(5, usage.getInt("quota_set.gigabytes_" + type + ".in_use"));
    assertEquals(0, usage.getInt("quota_set.snapshots_" + type + ".in_use"));
    assertEquals(-1, usage.getInt("quota_set.volumes_" + type + ".limit"));
    assertEquals(0, usage.getInt("quota_set.volumes_" + type + ".reserved"));
    assertEquals(1, usage.getInt("quota_set.volumes___DEFAULT__.in_use"));
    assertEquals(1, usage.getInt("quota_set.gigabytes___DEFAULT__.in_use"));
  }

  @Test
  void aPerTypeLimitIsSetAndEnforcedWithCindersMessages() {
    String type = typeName();
    createType(type);

    Response updated = setQuota(api, "{\"quota_set\": {\"volumes_" + type + "\": 1}}");
    assertEquals(200, updated.statusCode(), updated.asString());
    assertEquals(1, (int) updated.path("quota_set.volumes_" + type));
    assertEquals(-1, (int) updated.path("quota_set.gigabytes_" + type));

    created(api, type, 1);
    Response over = createVolume(api, type, 1);
    assertEquals(413, over.statusCode(), over.asString());
    assertEquals(
        "VolumeLimitExceeded: Maximum number of volumes allowed (1) exceeded for quota 'volumes_"
            + type
            + "'.",
        over.path("overLimit.message"));
    assertEquals("0", over.path("overLimit.retryAfter"));
    // Other types are not held back by it.
    created(api, null, 1);

    setQuota(api, "{\"quota_set\": {\"volumes_" + type + "\": -1, \"gigabytes_" + type + "\": 5}}")
        .then()
        .statusCode(200);
    Response tooBig = createVolume(api, type, 5);
    assertEquals(413, tooBig.statusCode(), tooBig.asString());
    assertEquals(
        "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes_"
            + type
            + " quota. Requested 5G, quota is 5G and 1G has been consumed.",
        tooBig.path("overLimit.message"));
    created(api, type, 4);

    // Over the total and the type's at once: Cinder names the total (it reserves it first).
    setQuota(api, "{\"quota_set\": {\"volumes\": 3, \"volumes_" + type + "\": 2}}")
        .then()
        .statusCode(200);
    Response both = createVolume(api, type, 0 + 1);
    assertEquals(413, both.statusCode(), both.asString());
    assertEquals(
        "VolumeLimitExceeded: Maximum number of volumes allowed (3) exceeded for quota"
            + " 'volumes'.",
        both.path("overLimit.message"));

    JsonPath usage = quotaSet(api, true);
    assertEquals(2, usage.getInt("quota_set.volumes_" + type + ".in_use"));
    assertEquals(5, usage.getInt("quota_set.gigabytes_" + type + ".in_use"));
    assertEquals(5, usage.getInt("quota_set.gigabytes_" + type + ".limit"));
  }

  @Test
  void anUnknownTypesResourceOrABadLimitIsRefused() {
    Response unknown = setQuota(api, "{\"quota_set\": {\"volumes_no_such_type_here\": 3}}");
    assertEquals(400, unknown.statusCode());
    assertEquals(
        "Bad key(s) in quota set: volumes_no_such_type_here", unknown.path("badRequest.message"));

    String type = typeName();
    createType(type);
    Response below = setQuota(api, "{\"quota_set\": {\"gigabytes_" + type + "\": -2}}");
    assertEquals(400, below.statusCode());
    assertEquals(
        "Invalid input for field/attribute gigabytes_"
            + type
            + ". Value: -2. -2 is less than the minimum of -1",
        below.path("badRequest.message"));

    Response asMember =
        api.as("alice")
            .body("{\"quota_set\": {\"volumes_" + type + "\": 3}}")
            .put("/v3/" + api.project + "/os-quota-sets/" + api.project);
    assertEquals(403, asMember.statusCode());
  }

  @Test
  void aRenamedTypeKeepsItsQuotaAndADeletedTypesResourcesGo() throws Exception {
    String type = typeName();
    String id = createType(type);
    setQuota(api, "{\"quota_set\": {\"volumes_" + type + "\": 4}}").then().statusCode(200);
    String volume = created(api, type, 2);

    String renamed = typeName();
    api.admin()
        .body("{\"volume_type\": {\"name\": \"" + renamed + "\"}}")
        .put("/v3/" + api.project + "/types/" + id)
        .then()
        .statusCode(200);

    JsonPath usage = quotaSet(api, true);
    Map<String, Object> set = usage.getMap("quota_set");
    assertFalse(set.containsKey("volumes_" + type), set.toString());
    assertEquals(4, usage.getInt("quota_set.volumes_" + renamed + ".limit"));
    assertEquals(1, usage.getInt("quota_set.volumes_" + renamed + ".in_use"));
    assertEquals(2, usage.getInt("quota_set.gigabytes_" + renamed + ".in_use"));

    // Its volume, never placed, goes at once, and gives back under the new name.
    api.admin()
        .body("{\"os-reset_status\": {\"status\": \"error\"}}")
        .post(api.volumes() + "/" + volume + "/action")
        .then()
        .statusCode(202);
    api.as("alice").delete(api.volumes() + "/" + volume).then().statusCode(202);
    usage = quotaSet(api, true);
    assertEquals(0, usage.getInt("quota_set.volumes_" + renamed + ".in_use"));
    assertEquals(0, usage.getInt("quota_set.gigabytes_" + renamed + ".in_use"));
    assertEquals(0, usage.getInt("quota_set.volumes.in_use"));

    api.admin().delete("/v3/" + api.project + "/types/" + id).then().statusCode(202);
    set = quotaSet(api, false).getMap("quota_set");
    for (String base : new String[] {"volumes", "gigabytes", "snapshots"}) {
      assertFalse(set.containsKey(base + "_" + renamed), set.toString());
    }
    assertTrue(set.containsKey("volumes___DEFAULT__"));
  }

  @Test
  void theDefaultQuotaClassIsShownAndUpdatedByAdminsAndIsTheDefaultOfEveryProject() {
    String type = typeName();
    createType(type);
    String classes = "/v3/" + api.project + "/os-quota-class-sets/";

    JsonPath shown =
        api.admin().get(classes + "default").then().statusCode(200).extract().jsonPath();
    assertEquals("default", shown.getString("quota_class_set.id"));
    assertEquals(-1, shown.getInt("quota_class_set.volumes_" + type));
    assertTrue(shown.getMap("quota_class_set").containsKey("volumes"));
    assertTrue(shown.getMap("quota_class_set").containsKey("groups"));

    Response updated =
        api.admin()
            .body(
                "{\"quota_class_set\": {\"volumes_"
                    + type
                    + "\": 2, \"gigabytes_"
                    + type
                    + "\": \"50\"}}")
            .put(classes + "default");
    assertEquals(200, updated.statusCode(), updated.asString());
    assertEquals(2, (int) updated.path("quota_class_set.volumes_" + type));
    assertEquals(50, (int) updated.path("quota_class_set.gigabytes_" + type));
    assertEquals(
        2,
        api.admin()
            .get(classes + "default")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getInt("quota_class_set.volumes_" + type));

    // A project without a limit of its own has the class's: its defaults, its quota set, its 413.
    ProjectApi fresh = new ProjectApi();
    assertEquals(2, quotaSet(fresh, false).getInt("quota_set.volumes_" + type));
    assertEquals(
        2,
        fresh
            .admin()
            .get("/v3/" + fresh.project + "/os-quota-sets/" + fresh.project + "/defaults")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getInt("quota_set.volumes_" + type));
    created(fresh, type, 1);
    created(fresh, type, 1);
    Response over = createVolume(fresh, type, 1);
    assertEquals(413, over.statusCode(), over.asString());
    assertEquals(
        "VolumeLimitExceeded: Maximum number of volumes allowed (2) exceeded for quota 'volumes_"
            + type
            + "'.",
        over.path("overLimit.message"));

    // A project with its own limit keeps it.
    ProjectApi own = new ProjectApi();
    setQuota(own, "{\"quota_set\": {\"volumes_" + type + "\": 3}}").then().statusCode(200);
    for (int i = 0; i < 3; i++) {
      created(own, type, 1);
    }
    assertEquals(413, createVolume(own, type, 1).statusCode());

    // Another class falls back to the default class for what it does not set.
    String gold = "gold_" + type;
    api.admin()
        .body("{\"quota_class_set\": {\"volumes\": 77}}")
        .put(classes + gold)
        .then()
        .statusCode(200);
    JsonPath goldSet = api.admin().get(classes + gold).then().extract().jsonPath();
    assertEquals(77, goldSet.getInt("quota_class_set.volumes"));
    assertEquals(2, goldSet.getInt("quota_class_set.volumes_" + type));
    assertEquals(gold, goldSet.getString("quota_class_set.id"));
  }

  @Test
  void quotaClassesAreForAdminsAndRefuseBadLimits() {
    String classes = "/v3/" + api.project + "/os-quota-class-sets/default";
    Response show = api.as("alice").get(classes);
    assertEquals(403, show.statusCode());
    assertEquals(
        "Policy doesn't allow volume_extension:quota_classes:get to be performed.",
        show.path("forbidden.message"));
    Response update = api.as("alice").body("{\"quota_class_set\": {\"volumes\": 1}}").put(classes);
    assertEquals(403, update.statusCode());
    assertEquals(
        "Policy doesn't allow volume_extension:quota_classes:update to be performed.",
        update.path("forbidden.message"));

    Response missing = api.admin().body("{\"quota\": {}}").put(classes);
    assertEquals(400, missing.statusCode());
    assertEquals("'quota_class_set' is a required property", missing.path("badRequest.message"));
    Response below = api.admin().body("{\"quota_class_set\": {\"volumes\": -2}}").put(classes);
    assertEquals(400, below.statusCode());
    assertEquals(
        "Invalid input for field/attribute volumes. Value: -2. -2 is less than the minimum of -1",
        below.path("badRequest.message"));
    Response word = api.admin().body("{\"quota_class_set\": {\"volumes\": \"ten\"}}").put(classes);
    assertEquals(400, word.statusCode());
    assertEquals(
        "Invalid input for field/attribute volumes. Value: ten. 'ten' does not match '^[0-9]*$'",
        word.path("badRequest.message"));
    Response huge =
        api.admin().body("{\"quota_class_set\": {\"volumes\": 99999999999999999999}}").put(classes);
    assertEquals(400, huge.statusCode(), huge.asString());
    // Nothing of the refused updates was kept.
    assertEquals(
        10,
        api.admin()
            .get(classes)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getInt("quota_class_set.volumes"));
  }
}
