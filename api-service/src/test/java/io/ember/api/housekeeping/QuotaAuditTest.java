package io.ember.api.housekeeping;

import static io.restassured.RestAssured.given;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Usage that drifted from what exists (here: written behind the API's back) is put right. */
@QuarkusTest
@TestProfile(FastHousekeeping.class)
class QuotaAuditTest {

  private final String project = UUID.randomUUID().toString().replace("-", "");

  @Inject EntityManager em;

  private RequestSpecification admin() {
    return given().header("X-Auth-Token", "admin:" + project).contentType("application/json");
  }

  @Test
  void driftedUsageIsCorrectedToWhatExists() throws InterruptedException {
    admin()
        .body("{\"volume\": {\"size\": 3}}")
        .post("/v3/" + project + "/volumes")
        .then()
        .statusCode(202);
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "update quota_usages set in_use = in_use + 5, reserved = 2"
                            + " where project_id = :p")
                    .setParameter("p", project)
                    .executeUpdate());

    Map<String, Integer> expected =
        Map.of(
            "volumes.in_use", 1,
            "volumes.reserved", 0,
            "gigabytes.in_use", 3,
            "gigabytes.reserved", 0);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Map<String, Integer> seen = null;
    while (System.nanoTime() < deadline) {
      var usage =
          admin()
              .get("/v3/" + project + "/os-quota-sets/" + project + "?usage=True")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      seen =
          Map.of(
              "volumes.in_use", usage.getInt("quota_set.volumes.in_use"),
              "volumes.reserved", usage.getInt("quota_set.volumes.reserved"),
              "gigabytes.in_use", usage.getInt("quota_set.gigabytes.in_use"),
              "gigabytes.reserved", usage.getInt("quota_set.gigabytes.reserved"));
      if (expected.equals(seen)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("usage stayed " + seen + ", expected " + expected);
  }
}
