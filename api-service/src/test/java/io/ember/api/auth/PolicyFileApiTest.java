package io.ember.api.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An operator's policy file, as a client meets it: the rules it sets decide, the others don't. */
@QuarkusTest
@TestProfile(PolicyFileApiTest.WithPolicyFile.class)
class PolicyFileApiTest {

  /** Members may create types; nobody may create volumes. */
  public static class WithPolicyFile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Path file = Files.createTempFile("ember-policy", ".yaml");
        Files.writeString(
            file,
            """
            "volume_extension:type_create": "rule:project_member_or_admin"
            "volume:create": "!"
            """);
        file.toFile().deleteOnExit();
        return Map.of("ember.auth.policy-file", file.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final String project = UUID.randomUUID().toString().replace("-", "");

  @Test
  void theFilesRulesReplaceCindersDefaultsAndTheRestStay() {
    given()
        .header("X-Auth-Token", "alice:" + project)
        .contentType("application/json")
        .body("{\"volume_type\": {\"name\": \"by-a-member-" + project + "\"}}")
        .post("/v3/" + project + "/types")
        .then()
        .statusCode(200)
        .body("volume_type.name", equalTo("by-a-member-" + project));

    given()
        .header("X-Auth-Token", "admin:" + project)
        .contentType("application/json")
        .body("{\"volume\": {\"size\": 1}}")
        .post("/v3/" + project + "/volumes")
        .then()
        .statusCode(403)
        .body("forbidden.message", equalTo("Policy doesn't allow volume:create to be performed."));

    // Not in the file: Cinder's default (types are deleted by admins only).
    given()
        .header("X-Auth-Token", "alice:" + project)
        .delete("/v3/" + project + "/types/" + UUID.randomUUID())
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo("Policy doesn't allow volume_extension:type_delete to be performed."));
  }
}
