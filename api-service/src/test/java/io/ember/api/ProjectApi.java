package io.ember.api;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.UUID;

/** A fresh project seen through the API, as its admin or one of its users: the tests' client. */
final class ProjectApi {

  private static final Duration WAIT = Duration.ofSeconds(20);

  final String project;

  ProjectApi() {
    this.project = UUID.randomUUID().toString().replace("-", "");
  }

  /** A request with the noauth token {@code user:project}. */
  RequestSpecification as(String user) {
    return given().header("X-Auth-Token", user + ":" + project).contentType("application/json");
  }

  RequestSpecification admin() {
    return as("admin");
  }

  String volumes() {
    return "/v3/" + project + "/volumes";
  }

  Response show(String id) {
    return admin().get(volumes() + "/" + id);
  }

  /** The volume's status, or {@code "404"} once it is gone. */
  String statusOf(String id) {
    Response r = show(id);
    return r.statusCode() == 404 ? "404" : r.path("volume.status");
  }

  void awaitStatus(String id, String status) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String seen;
    while (!status.equals(seen = statusOf(id))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("volume " + id + " stayed " + seen + ", expected " + status);
      }
      Thread.sleep(50);
    }
  }

  /** What {@code GET os-quota-sets?usage=True} shows in use of {@code resource}. */
  int inUse(String resource) {
    return admin()
        .get("/v3/" + project + "/os-quota-sets/" + project + "?usage=True")
        .then()
        .statusCode(200)
        .extract()
        .path("quota_set." + resource + ".in_use");
  }
}
