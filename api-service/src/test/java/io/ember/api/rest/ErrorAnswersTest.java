package io.ember.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets Cinder's answers, never a 500. */
@QuarkusTest
class ErrorAnswersTest {

  private final String project = UUID.randomUUID().toString().replace("-", "");

  private RequestSpecification admin() {
    return given().header("X-Auth-Token", "admin:" + project).contentType("application/json");
  }

  private ValidatableResponse createVolume(int size) {
    return admin()
        .body("{\"volume\": {\"size\": " + size + "}}")
        .post("/v3/" + project + "/volumes")
        .then();
  }

  /** A create of {@code size} GB refused with a 413 and Cinder's {@code message}. */
  private void refused(int size, String message) {
    createVolume(size).statusCode(413).body("overLimit.message", equalTo(message));
  }

  private void setQuota(String quotaSet) {
    admin()
        .body("{\"quota_set\": " + quotaSet + "}")
        .put("/v3/" + project + "/os-quota-sets/" + project)
        .then()
        .statusCode(200);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"volume\": {\"size\": 0}}|Invalid input for field/attribute size. Value: 0. 0 is less than the minimum of 1",
        "{\"volume\": {\"size\": -1}}|Invalid input for field/attribute size. Value: -1. -1 is less than the minimum of 1",
        "{\"volume\": {\"size\": \"abc\"}}|Invalid input for field/attribute size. Value: abc. 'abc' does not match '^[0-9]+$'",
        "{\"volume\": {\"size\": 1.5}}|Invalid input for field/attribute size. Value: 1.5. 1.5 is not of type 'integer', 'string'",
        "{\"volume\": {\"size\": 99999999999}}|Invalid input for field/attribute size. Value: 99999999999. 99999999999 is greater than the maximum of 2147483647",
        "{\"volume\": {}}|Invalid input received: Volume size 'None' must be an integer and greater than 0",
        "{\"volume\": {\"size\": 1, \"name\": 5}}|Invalid input for field/attribute name. Value: 5. 5 is not of type 'string', 'null'",
        "{\"volume\": {\"size\": 1, \"metadata\": {\"k\": 1}}}|Invalid input for field/attribute metadata. Value: {\"k\":1}. 1 is not of type 'string'",
        "{\"volume\": {\"size\": 1, \"metadata\": [1]}}|Invalid input for field/attribute metadata. Value: [1]. [1] is not of type 'object'",
        "{\"volume\": {\"size\": 1, \"availability_zone\": \"mars\"}}|Invalid input received: Availability zone 'mars' is invalid.",
        "{\"volume\": 7}|Invalid input for field/attribute volume. Value: 7. is not of type 'object'",
        "{\"vol\": {\"size\": 1}}|'volume' is a required property",
        "[]|'volume' is a required property",
        "{\"volume\": {\"size\": |Malformed request body",
      })
  void badCreateBodiesAreCinders400(String body, String message) {
    admin()
        .body(body)
        .post("/v3/" + project + "/volumes")
        .then()
        .statusCode(400)
        .body("badRequest.code", equalTo(400))
        .body("badRequest.message", equalTo(message));
  }

  @Test
  void anUnknownVolumeTypeIs404() {
    admin()
        .body("{\"volume\": {\"size\": 1, \"volume_type\": \"gold\"}}")
        .post("/v3/" + project + "/volumes")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Volume type with name gold could not be found."));
  }

  @Test
  void quotaExceededIs413WithCindersMessage() {
    admin()
        .body("{\"quota_set\": {\"volumes\": 1, \"gigabytes\": 5}}")
        .put("/v3/" + project + "/os-quota-sets/" + project)
        .then()
        .statusCode(200)
        .body("quota_set.volumes", equalTo(1));
    createVolume(6)
        .statusCode(413)
        .header("Retry-After", "0")
        .body("overLimit.retryAfter", equalTo("0"))
        .body(
            "overLimit.message",
            equalTo(
                "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes"
                    + " quota. Requested 6G, quota is 5G and 0G has been consumed."));
    createVolume(1).statusCode(202);
    refused(
        1,
        "VolumeLimitExceeded: Maximum number of volumes allowed (1) exceeded for quota 'volumes'.");
    admin()
        .get("/v3/" + project + "/os-quota-sets/" + project + "?usage=True")
        .then()
        .body("quota_set.volumes.in_use", equalTo(1))
        .body("quota_set.volumes.reserved", equalTo(0))
        .body("quota_set.gigabytes.in_use", equalTo(1));
    admin().get("/v3/" + project + "/volumes/detail").then().body("volumes.size()", equalTo(1));
  }

  @Test
  void aVolumeLargerThanThePerVolumeLimitIs413AndTakesNoQuota() {
    setQuota("{\"per_volume_gigabytes\": 4}");
    refused(
        5,
        "VolumeSizeExceedsLimit: Requested volume size 5G is larger than maximum allowed"
            + " limit 4G.");
    createVolume(4).statusCode(202);
    admin()
        .get("/v3/" + project + "/os-quota-sets/" + project + "?usage=True")
        .then()
        .body("quota_set.volumes.in_use", equalTo(1))
        .body("quota_set.gigabytes.in_use", equalTo(4))
        .body("quota_set.gigabytes.reserved", equalTo(0));
  }

  @Test
  void theDefaultLimitsApplyToAProjectWithoutItsOwn() {
    // volumes defaults to 10 (Cinder's quota_volumes); the eleventh create is refused.
    for (int i = 0; i < 10; i++) {
      createVolume(1).statusCode(202);
    }
    refused(
        1,
        "VolumeLimitExceeded: Maximum number of volumes allowed (10) exceeded for quota"
            + " 'volumes'.");
  }

  @Test
  void aVolumeStillCreatingCannotBeDeleted() {
    String id =
        admin()
            .body("{\"volume\": {\"size\": 1}}")
            .post("/v3/" + project + "/volumes")
            .then()
            .statusCode(202)
            .extract()
            .path("volume.id");
    admin()
        .delete("/v3/" + project + "/volumes/" + id)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Invalid volume: Volume status must be available or error or error_restoring or"
                    + " error_extending or error_managing and must not be migrating, attached, belong"
                    + " to a group, have snapshots, awaiting a transfer, or be disassociated from"
                    + " snapshots after volume transfer."));
  }

  @Test
  void unknownIdsAndPathsAre404() {
    admin()
        .get("/v3/" + project + "/volumes/00000000-0000-0000-0000-000000000000")
        .then()
        .statusCode(404)
        .body(
            "itemNotFound.message",
            equalTo("Volume 00000000-0000-0000-0000-000000000000 could not be found."));
    admin().get("/v3/" + project + "/volumes/not-a-uuid").then().statusCode(404);
    admin()
        .get("/v3/" + project + "/servers/detail")
        .then()
        .statusCode(404)
        .body("code", equalTo("404 Not Found"))
        .body("title", equalTo("Not Found"));
  }

  @Test
  void theTokensProjectMustBeTheUrlsProject() {
    admin()
        .get("/v3/fedcba9876543210fedcba9876543210/volumes")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Malformed request url"));
  }

  @Test
  void withoutATokenNoauthHandsOneOut() {
    given()
        .get("/v3/" + project + "/volumes")
        .then()
        .statusCode(204)
        .header("X-Auth-Token", "admin:admin");
  }

  @Test
  void unsupportedMicroversionsAre406() {
    admin()
        .header("OpenStack-API-Version", "volume 3.99")
        .get("/v3/" + project + "/volumes")
        .then()
        .statusCode(406)
        .body(
            "computeFault.message",
            equalTo(
                "Version 3.99 is not supported by the API. Minimum is 3.0 and maximum is 3.70."));
  }

  @Test
  void versionsAreDiscoverable() {
    given()
        .get("/")
        .then()
        .statusCode(300)
        .body("versions[0].id", equalTo("v3.0"))
        .body("versions[0].version", equalTo("3.70"))
        .body("versions[0].min_version", equalTo("3.0"));
    admin()
        .get("/v3/")
        .then()
        .statusCode(200)
        .body("versions[0].id", equalTo("v3.0"))
        .body("versions[0].version", equalTo("3.70"))
        .body("versions[0].min_version", equalTo("3.0"))
        .header("X-OpenStack-Request-Id", startsWith("req-"));
  }

  @Test
  void projectlessUrlsUseTheTokensProject() {
    admin()
        .header("OpenStack-API-Version", "volume 3.70")
        .get("/v3/volumes/detail")
        .then()
        .statusCode(200)
        .header("OpenStack-API-Version", "volume 3.70");
  }
}
