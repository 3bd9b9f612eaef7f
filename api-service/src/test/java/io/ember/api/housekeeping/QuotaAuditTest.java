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

  @Test
  void driftedPerTypeUsageIsCorrectedToWhatExists() throws InterruptedException {
    String type = "audit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    admin()
        .body("{\"volume_type\": {\"name\": \"" + type + "\"}}")
        .post("/v3/" + project + "/types")
        .then()
        .statusCode(200);
    for (String volume :
        new String[] {
          "{\"size\": 2, \"volume_type\": \"" + type + "\"}",
          "{\"size\": 3, \"volume_type\": \"" + type + "\"}",
          "{\"size\": 1}"
        }) {
      admin()
          .body("{\"volume\": " + volume + "}")
          .post("/v3/" + project + "/volumes")
          .then()
          .statusCode(202);
    }
    String gone = "volumes_audit_gone_" + type;
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              sql(
                  "update quota_usages set in_use = in_use + 4 where project_id = :p"
                      + " and resource = 'volumes_"
                      + type
                      + "'");
              sql(
                  "update quota_usages set reserved = 3 where project_id = :p"
                      + " and resource = 'gigabytes_"
                      + type
                      + "'");
              sql(
                  "delete from quota_usages where project_id = :p"
                      + " and resource = 'gigabytes___DEFAULT__'");
              sql(
                  "insert into quota_usages (project_id, resource, in_use, reserved)"
                      + " values (:p, '"
                      + gone
                      + "', 5, 0)");
            });

    Map<String, Integer> expected =
        Map.of(
            "volumes_" + type,
            2,
            "volumes_" + type + ".reserved",
            0,
            "gigabytes_" + type,
            5,
            "gigabytes_" + type + ".reserved",
            0,
            "gigabytes___DEFAULT__",
            1,
            gone,
            0);
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
      int goneInUse =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      ((Number)
                              em.createNativeQuery(
                                      "select in_use from quota_usages where project_id = :p"
                                          + " and resource = :r")
                                  .setParameter("p", project)
                                  .setParameter("r", gone)
                                  .getSingleResult())
                          .intValue());
      seen =
          Map.of(
              "volumes_" + type,
              usage.getInt("quota_set.volumes_" + type + ".in_use"),
              "volumes_" + type + ".reserved",
              usage.getInt("quota_set.volumes_" + type + ".reserved"),
              "gigabytes_" + type,
              usage.getInt("quota_set.gigabytes_" + type + ".in_use"),
              "gigabytes_" + type + ".reserved",
              usage.getInt("quota_set.gigabytes_" + type + ".reserved"),
              "gigabytes___DEFAULT__",
              usage.getInt("quota_set.gigabytes___DEFAULT__.in_use"),
              gone,
              goneInUse);
      if (expected.equals(seen)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("usage stayed " + seen + ", expected " + expected);
  }

  private void sql(String statement) {
    em.createNativeQuery(statement).setParameter("p", project).executeUpdate();
  }
}
