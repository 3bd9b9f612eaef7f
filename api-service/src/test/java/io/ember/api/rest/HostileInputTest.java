package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ember.api.testsupport.ProjectApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 23's hostile requests, each as an attacker sent it: every answer is a Cinder fault, never a
 * 500 or a hang, and a refused request leaves nothing behind.
 */
@QuarkusTest
class HostileInputTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final ProjectApi api = new ProjectApi();

  /** What came back: status and the parsed body (null when it is not JSON). */
  record Answer(int status, String raw, JsonNode body) {
    String message(String fault) {
      JsonNode f = body == null ? null : body.get(fault);
      return f == null ? null : f.path("message").asText();
    }
  }

  private static URI uri(String path) {
    return URI.create("http://localhost:" + RestAssured.port + path);
  }

  /** Sends bytes as they are, with a deadline far below the 60 s hang issue 23 saw. */
  private Answer send(String method, String path, String contentType, byte[] body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("X-Auth-Token", token == null ? "admin:" + api.project : token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode parsed;
    try {
      parsed = JSON.readTree(response.body());
    } catch (Exception e) {
      parsed = null;
    }
    return new Answer(response.statusCode(), response.body(), parsed);
  }

  private Answer post(String path, String contentType, String body) throws Exception {
    return send("POST", path, contentType, body.getBytes(StandardCharsets.UTF_8), null);
  }

  private void assertNothingCreated() {
    api.admin().get(api.volumes()).then().statusCode(200).body("volumes.size()", equalTo(0));
    api.admin()
        .get("/v3/" + api.project + "/os-quota-sets/" + api.project + "?usage=True")
        .then()
        .body("quota_set.volumes.in_use", equalTo(0))
        .body("quota_set.volumes.reserved", equalTo(0))
        .body("quota_set.gigabytes.in_use", equalTo(0));
  }

  private static void assertFault(Answer answer, int status, String fault) {
    assertEquals(status, answer.status(), answer.raw());
    assertTrue(answer.body() != null && answer.body().has(fault), answer.raw());
    assertEquals(status, answer.body().get(fault).path("code").asInt(), answer.raw());
  }

  // ---- NUL characters: PostgreSQL refuses 0x00, so they used to be 500s ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"volume\": {\"size\": 1, \"name\": \"a\\u0000b\"}}",
        "{\"volume\": {\"size\": 1, \"description\": \"a\\u0000b\"}}",
        "{\"volume\": {\"size\": 1, \"metadata\": {\"k\": \"a\\u0000b\"}}}",
        "{\"volume\": {\"size\": 1, \"name\": \"\\ud800\"}}",
      })
  void aNulOrABrokenCharacterInAFieldIs400(String body) throws Exception {
    Answer answer = post(api.volumes(), "application/json", body);
    assertFault(answer, 400, "badRequest");
    assertTrue(
        answer.message("badRequest").startsWith("Invalid input for field/attribute "),
        answer.raw());
    assertNothingCreated();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"snapshot\": {\"volume_id\": \"%s\", \"name\": \"a\\u0000b\"}}",
        "{\"snapshot\": {\"volume_id\": \"%s\", \"description\": \"a\\u0000b\"}}",
        "{\"snapshot\": {\"volume_id\": \"%s\", \"metadata\": {\"k\": \"a\\u0000b\"}}}",
        "{\"snapshot\": {\"volume_id\": \"%s\", \"metadata\": {\"k\\u0000\": \"v\"}}}",
        "{\"snapshot\": {\"volume_id\": \"%s\", \"name\": \"\\ud800\"}}",
        "{\"snapshot\": {\"volume_id\": \"%s\", \"force\": [true]}}",
        "{\"snapshot\": {\"volume_id\": [\"%s\"]}}",
        "{\"snapshot\": \"%s\"}",
      })
  void aHostileSnapshotCreateIs400AndTakesNoQuota(String template) throws Exception {
    // A volume that may be snapshotted: only the body is wrong.
    String volume = api.create(api.admin(), 1);
    api.placeOn(io.ember.api.testsupport.TestHostTopic.HOST, volume);
    Answer answer =
        post("/v3/" + api.project + "/snapshots", "application/json", template.formatted(volume));
    assertFault(answer, 400, "badRequest");
    assertTrue(
        answer.message("badRequest").startsWith("Invalid input for field/attribute "),
        answer.raw());
    api.admin()
        .get("/v3/" + api.project + "/os-quota-sets/" + api.project + "?usage=True")
        .then()
        .body("quota_set.snapshots.in_use", equalTo(0));
  }

  @Test
  void aNulInAnUpdateIs400AndChangesNothing() throws Exception {
    String id = api.create(api.admin(), 1);
    Answer answer =
        send(
            "PUT",
            api.volumes() + "/" + id,
            "application/json",
            "{\"volume\": {\"name\": \"x\\u0000\"}}".getBytes(StandardCharsets.UTF_8),
            null);
    assertFault(answer, 400, "badRequest");
    api.show(id).then().body("volume.name", equalTo(null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/volumes?name=%00",
        "/volumes/detail?status=a%00",
        "/os-quota-sets/%00",
        "/os-quota-sets/ab%00cd?usage=True",
        "/snapshots?name=%00",
        "/snapshots/detail?status=a%00",
        "/snapshots/%00",
        "/snapshots/%00/metadata/k"
      })
  void aNulInTheUrlIs400(String path) throws Exception {
    Answer answer = send("GET", "/v3/" + api.project + path, null, null, null);
    assertFault(answer, 400, "badRequest");
  }

  // ---- sort, sizes and quota values out of range ----

  @ParameterizedTest
  @ValueSource(strings = {":", ",", ":asc", ",,name", "name:asc:desc", "name:up"})
  void aMalformedSortIs400(String sort) {
    // Every list that sorts: volumes, types, QoS specs (the fuzz run found ":" a 500 on types).
    for (String list :
        List.of(
            api.volumes(),
            "/v3/" + api.project + "/types",
            "/v3/" + api.project + "/qos-specs",
            "/v3/" + api.project + "/snapshots")) {
      api.admin()
          .queryParam("sort", sort)
          .get(list)
          .then()
          .statusCode(400)
          .body("badRequest.code", equalTo(400))
          .body("badRequest.message", startsWith("Invalid input received: "));
    }
  }

  @Test
  void theLargestSizeIsRefusedByQuotaEvenWhenUnlimited() {
    api.create(api.admin(), 1);
    api.admin()
        .body("{\"volume\": {\"size\": 2147483647}}")
        .post(api.volumes())
        .then()
        .statusCode(413)
        .body(
            "overLimit.message",
            equalTo(
                "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed"
                    + " gigabytes quota. Requested 2147483647G, quota is 1000G and 1G has been"
                    + " consumed."));
    api.admin()
        .body("{\"quota_set\": {\"gigabytes\": -1}}")
        .put("/v3/" + api.project + "/os-quota-sets/" + api.project)
        .then()
        .statusCode(200);
    api.admin()
        .body("{\"volume\": {\"size\": 2147483647}}")
        .post(api.volumes())
        .then()
        .statusCode(413)
        .body("overLimit.message", startsWith("VolumeSizeExceedsAvailableQuota: "));
    api.admin()
        .get("/v3/" + api.project + "/os-quota-sets/" + api.project + "?usage=True")
        .then()
        .body("quota_set.gigabytes.in_use", equalTo(1))
        .body("quota_set.gigabytes.reserved", equalTo(0));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4294967301",
        "9223372036854775808",
        "123456789012345678901234567890",
        "2147483648",
        "\"4294967301\""
      })
  void aQuotaValueThatCannotBeStoredIs400AndNotTruncated(String value) {
    api.admin()
        .body("{\"quota_set\": {\"volumes\": " + value + "}}")
        .put("/v3/" + api.project + "/os-quota-sets/" + api.project)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message", startsWith("Invalid input for field/attribute volumes. Value: "))
        .body("badRequest.message", org.hamcrest.Matchers.endsWith("maximum of 2147483647"));
    api.admin()
        .get("/v3/" + api.project + "/os-quota-sets/" + api.project)
        .then()
        .body("quota_set.volumes", equalTo(10));
  }

  // ---- over-long ids and names ----

  @ParameterizedTest
  @ValueSource(ints = {65, 300})
  void anOverLongQuotaTargetIs400(int length) throws Exception {
    Answer answer =
        send(
            "GET", "/v3/" + api.project + "/os-quota-sets/" + "a".repeat(length), null, null, null);
    assertFault(answer, 400, "badRequest");
    answer =
        send(
            "PUT",
            "/v3/" + api.project + "/os-quota-sets/" + "a".repeat(length),
            "application/json",
            "{\"quota_set\": {\"volumes\": 3}}".getBytes(StandardCharsets.UTF_8),
            null);
    assertFault(answer, 400, "badRequest");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"user:PROJECT65", "USER300:PROJECT", "admin:ab%zz", "admin:a b", "admin:a\"b"})
  void aTokenThatNamesNoPossibleCallerIs401(String template) throws Exception {
    String token =
        template
            .replace("PROJECT65", "a".repeat(65))
            .replace("USER300", "u".repeat(300))
            .replace(":PROJECT", ":" + api.project);
    for (String path : new String[] {"/v3/volumes", "/v3/" + api.project + "/volumes"}) {
      Answer answer = send("GET", path, null, null, token);
      assertFault(answer, 401, "unauthorized");
    }
  }

  @Test
  void aFiveMegabyteNameIsNotEchoedWhole() throws Exception {
    String name = "n".repeat(5 * 1024 * 1024);
    Answer answer =
        post(
            api.volumes(),
            "application/json",
            "{\"volume\": {\"size\": 1, \"name\": \"" + name + "\"}}");
    assertFault(answer, 400, "badRequest");
    assertTrue(answer.raw().length() < 2048, "answer of " + answer.raw().length() + " chars");
    assertTrue(
        answer
            .message("badRequest")
            .startsWith("Invalid input for field/attribute name. Value: nnn"),
        answer.message("badRequest"));
    assertTrue(answer.message("badRequest").endsWith(" is too long"), answer.message("badRequest"));
  }

  // ---- bodies: empty, not JSON, not one document, not UTF-8 ----

  @Test
  void anEmptyPostIsAnsweredAtOnce() throws Exception {
    long start = System.nanoTime();
    Answer answer = send("POST", api.volumes(), "application/json", null, null);
    assertFault(answer, 400, "badRequest");
    answer = send("PUT", api.volumes() + "/" + java.util.UUID.randomUUID(), null, null, null);
    assertFault(answer, 400, "badRequest");
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "took too long");
    assertNothingCreated();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "multipart/form-data; boundary=xyz",
        "application/x-www-form-urlencoded",
        "application/xml",
        "image/png"
      })
  void aBodyOfAnotherMediaTypeIs415AtOnce(String type) throws Exception {
    String body =
        type.startsWith("multipart")
            ? "--xyz\r\nContent-Disposition: form-data; name=\"volume\"\r\n\r\n{\"size\": 1}\r\n--xyz--\r\n"
            : "{\"volume\": {\"size\": 1}}";
    Answer answer = post(api.volumes(), type, body);
    assertFault(answer, 415, "badMediaType");
    assertEquals("Unsupported Content-Type", answer.message("badMediaType"));
    assertNothingCreated();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "text/plain"})
  void aBodyWithoutAJsonTypeIs400(String type) throws Exception {
    Answer answer =
        post(api.volumes(), type.isEmpty() ? null : type, "{\"volume\": {\"size\": 1}}");
    assertFault(answer, 400, "badRequest");
    assertEquals("Unsupported Content-Type", answer.message("badRequest"));
    assertNothingCreated();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"volume\": {\"size\": 1}} garbage",
        "{\"volume\": {\"size\": 1}}{\"volume\": {\"size\": 1}}",
        "{\"volume\": {\"size\": 1}} {}",
      })
  void anythingAfterTheDocumentIsMalformed(String body) throws Exception {
    Answer answer = post(api.volumes(), "application/json", body);
    assertFault(answer, 400, "badRequest");
    assertEquals("Malformed request body", answer.message("badRequest"));
    assertNothingCreated();
  }

  @Test
  void invalidUtf8IsMalformed() throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("{\"volume\": {\"size\": 1, \"name\": \"a".getBytes(StandardCharsets.UTF_8));
    body.write(0xff);
    body.write(0xc3);
    body.writeBytes("\"}}".getBytes(StandardCharsets.UTF_8));
    Answer answer = send("POST", api.volumes(), "application/json", body.toByteArray(), null);
    assertFault(answer, 400, "badRequest");
    assertEquals("Malformed request body", answer.message("badRequest"));
    assertNothingCreated();
  }

  // ---- the HTTP layer's own refusals are Cinder faults too ----

  @Test
  void aBodyOverTheLimitIs413Fault() throws Exception {
    byte[] body = new byte[11 * 1024 * 1024];
    java.util.Arrays.fill(body, (byte) ' ');
    Answer answer = send("POST", api.volumes(), "application/json", body, null);
    assertFault(answer, 413, "overLimit");
  }

  @Test
  void anOverLongUrlIs414Fault() throws Exception {
    Answer answer = send("GET", api.volumes() + "?name=" + "x".repeat(20_000), null, null, null);
    assertFault(answer, 414, "computeFault");
  }

  @Test
  void overLargeHeadersAre431Fault() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri(api.volumes()))
            .timeout(Duration.ofSeconds(10))
            .header("X-Auth-Token", "admin:" + api.project)
            .header("X-Padding", "p".repeat(30_000))
            .GET()
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(431, response.statusCode());
    JsonNode body = JSON.readTree(response.body());
    assertEquals(431, body.path("computeFault").path("code").asInt(), response.body());
  }

  /**
   * Past 64 KB the HTTP layer refuses before any handler runs, so the answer has no body: what
   * Cinder's eventlet server answers past its own 8 KB limits. Refused, never a 500 or a hang.
   */
  @Test
  void beyondTheHttpLayersLimitsTheRefusalHasNoBody() throws Exception {
    Answer url = send("GET", api.volumes() + "?name=" + "x".repeat(70_000), null, null, null);
    assertEquals(414, url.status());
    HttpRequest request =
        HttpRequest.newBuilder(uri(api.volumes()))
            .timeout(Duration.ofSeconds(10))
            .header("X-Auth-Token", "admin:" + api.project)
            .header("X-Padding", "p".repeat(70_000))
            .GET()
            .build();
    HttpResponse<String> headers = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(431, headers.statusCode());
    assertEquals("", headers.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/q/health", "/q/openapi", "/q/health/ready", "/q/metrics"})
  void managementEndpointsAnswerOnlyGetAndHead(String path) throws Exception {
    for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
      Answer answer = send(method, path, "application/json", "{}".getBytes(), null);
      assertFault(answer, 405, "badMethod");
    }
    assertEquals(200, send("GET", path, null, null, null).status());
    assertEquals(200, send("HEAD", path, null, null, null).status());
  }

  @Test
  void aMethodTheResourceLacksIs405Fault() throws Exception {
    Answer answer = send("PATCH", api.volumes(), "application/json", "{}".getBytes(), null);
    assertFault(answer, 405, "badMethod");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v3/%25/limits",
        "/v3/%20/volumes/detail",
        "/v3/admin/os-quota-sets/%25/defaults",
        "/v3/%7Bid%7D/volumes"
      })
  void anEscapedCharacterWhereAProjectOrResourceGoesIsTheRoutersNotFound(String path)
      throws Exception {
    Answer answer = send("GET", path, null, null, null);
    assertEquals(404, answer.status(), answer.raw());
    assertEquals(
        "404 Not Found", answer.body() == null ? null : answer.body().path("code").asText());
  }

  @Test
  void aSourceThatCannotExistIs404() throws Exception {
    for (String source : new String[] {"\"backup_id\": \"x\"", "\"source_volid\": \"x\""}) {
      Answer answer =
          post(api.volumes(), "application/json", "{\"volume\": {\"size\": 1, " + source + "}}");
      assertFault(answer, 404, "itemNotFound");
    }
    // An image Cinder cannot find is its controller's 400, not a 404.
    Answer image =
        post(api.volumes(), "application/json", "{\"volume\": {\"size\": 1, \"imageRef\": \"x\"}}");
    assertFault(image, 400, "badRequest");
    assertNothingCreated();
  }

  @Test
  void anUnknownPathOutsideTheApiIsA404WithABody() throws Exception {
    Answer answer = send("GET", "/nothing/here", null, null, null);
    assertEquals(404, answer.status());
    // Cinder's router answers webob's 404 body there, as ErrorAnswersTest checks under /v3.
    assertEquals(
        "404 Not Found", answer.body() == null ? null : answer.body().path("code").asText());
  }

  /** Java's default client offers h2c ("Upgrade: h2c") on its first request, body and all. */
  @Test
  void aClientOfferingTheHttp2UpgradeIsAnsweredInHttp1() throws Exception {
    HttpClient http2 = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(uri(api.volumes()))
            .timeout(Duration.ofSeconds(10))
            .header("X-Auth-Token", "admin:" + api.project)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"volume\": {\"size\": 1}}"))
            .build();
    HttpResponse<String> answer = http2.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(202, answer.statusCode(), answer.body());
    assertEquals(HttpClient.Version.HTTP_1_1, answer.version());
    assertEquals("creating", JSON.readTree(answer.body()).path("volume").path("status").asText());
  }
}
