package io.ember.api.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The OpenAPI document at {@code /q/openapi}: every operation of the API, each described. */
@QuarkusTest
class OpenApiDocumentTest {

  private static final Pattern TEMPLATE = Pattern.compile("\\{([^}]+)}");

  private JsonNode document() throws Exception {
    String json =
        given()
            .queryParam("format", "json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    return new ObjectMapper().readTree(json);
  }

  @Test
  void listsEveryOperationOfTheApi() throws Exception {
    JsonNode doc = document();
    assertEquals("Ember Block Storage API", doc.path("info").path("title").asText());

    Map<String, Set<String>> operations = new TreeMap<>();
    doc.path("paths")
        .properties()
        .forEach(
            path -> {
              Set<String> methods = new TreeSet<>();
              path.getValue().fieldNames().forEachRemaining(methods::add);
              methods.remove("parameters");
              operations.put(path.getKey(), methods);
            });

    Map<String, Set<String>> expected = new TreeMap<>();
    expected.put("/", new TreeSet<>(List.of("get")));
    expected.put("/v3", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/volumes", new TreeSet<>(List.of("get", "post")));
    expected.put("/v3/{project_id}/volumes/detail", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/volumes/summary", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/attachments", new TreeSet<>(List.of("get", "post")));
    expected.put("/v3/{project_id}/attachments/detail", new TreeSet<>(List.of("get")));
    expected.put(
        "/v3/{project_id}/attachments/{id}", new TreeSet<>(List.of("get", "put", "delete")));
    expected.put("/v3/{project_id}/attachments/{id}/action", new TreeSet<>(List.of("post")));
    expected.put("/v3/{project_id}/volumes/{id}", new TreeSet<>(List.of("get", "put", "delete")));
    expected.put("/v3/{project_id}/volumes/{id}/action", new TreeSet<>(List.of("post")));
    expected.put("/v3/{project_id}/snapshots", new TreeSet<>(List.of("get", "post")));
    expected.put("/v3/{project_id}/snapshots/detail", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/snapshots/{id}", new TreeSet<>(List.of("get", "put", "delete")));
    expected.put("/v3/{project_id}/snapshots/{id}/action", new TreeSet<>(List.of("post")));
    expected.put(
        "/v3/{project_id}/snapshots/{id}/metadata", new TreeSet<>(List.of("get", "post", "put")));
    expected.put(
        "/v3/{project_id}/snapshots/{id}/metadata/{key}",
        new TreeSet<>(List.of("get", "put", "delete")));
    expected.put(
        "/v3/{project_id}/volumes/{id}/metadata", new TreeSet<>(List.of("get", "post", "put")));
    expected.put(
        "/v3/{project_id}/volumes/{id}/metadata/{key}",
        new TreeSet<>(List.of("get", "put", "delete")));
    for (String transfers : List.of("os-volume-transfer", "volume-transfers")) {
      String base = "/v3/{project_id}/" + transfers;
      expected.put(base, new TreeSet<>(List.of("get", "post")));
      expected.put(base + "/detail", new TreeSet<>(List.of("get")));
      expected.put(base + "/{id}", new TreeSet<>(List.of("get", "delete")));
      expected.put(base + "/{id}/accept", new TreeSet<>(List.of("post")));
    }
    expected.put("/v3/{project_id}/messages", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/messages/{id}", new TreeSet<>(List.of("get", "delete")));
    expected.put(
        "/v3/{project_id}/os-quota-sets/{target}", new TreeSet<>(List.of("get", "put", "delete")));
    expected.put("/v3/{project_id}/os-quota-sets/{target}/defaults", new TreeSet<>(List.of("get")));
    expected.put(
        "/v3/{project_id}/os-quota-class-sets/{quota_class}", new TreeSet<>(List.of("get", "put")));
    expected.put("/v3/{project_id}/limits", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/types", new TreeSet<>(List.of("get", "post")));
    expected.put("/v3/{project_id}/types/default", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/types/{id}", new TreeSet<>(List.of("get", "put", "delete")));
    expected.put("/v3/{project_id}/types/{id}/action", new TreeSet<>(List.of("post")));
    expected.put("/v3/{project_id}/types/{id}/extra_specs", new TreeSet<>(List.of("get", "post")));
    expected.put(
        "/v3/{project_id}/types/{id}/extra_specs/{key}",
        new TreeSet<>(List.of("get", "put", "delete")));
    expected.put(
        "/v3/{project_id}/types/{id}/os-volume-type-access", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/types/{id}/encryption", new TreeSet<>(List.of("get", "post")));
    expected.put(
        "/v3/{project_id}/types/{id}/encryption/{key}",
        new TreeSet<>(List.of("get", "put", "delete")));
    expected.put("/v3/{project_id}/group_types", new TreeSet<>(List.of("get", "post")));
    expected.put("/v3/{project_id}/group_types/default", new TreeSet<>(List.of("get")));
    expected.put(
        "/v3/{project_id}/group_types/{id}", new TreeSet<>(List.of("get", "put", "delete")));
    expected.put(
        "/v3/{project_id}/group_types/{id}/group_specs", new TreeSet<>(List.of("get", "post")));
    expected.put(
        "/v3/{project_id}/group_types/{id}/group_specs/{key}",
        new TreeSet<>(List.of("get", "put", "delete")));
    expected.put("/v3/{project_id}/groups", new TreeSet<>(List.of("get", "post")));
    expected.put("/v3/{project_id}/group_snapshots", new TreeSet<>(List.of("get", "post")));
    expected.put("/v3/{project_id}/group_snapshots/detail", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/group_snapshots/{id}", new TreeSet<>(List.of("get", "delete")));
    expected.put("/v3/{project_id}/group_snapshots/{id}/action", new TreeSet<>(List.of("post")));
    expected.put("/v3/{project_id}/groups/action", new TreeSet<>(List.of("post")));
    expected.put("/v3/{project_id}/groups/detail", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/groups/{id}", new TreeSet<>(List.of("get", "put")));
    expected.put("/v3/{project_id}/groups/{id}/action", new TreeSet<>(List.of("post")));
    expected.put("/v3/{project_id}/qos-specs", new TreeSet<>(List.of("get", "post")));
    expected.put("/v3/{project_id}/qos-specs/{id}", new TreeSet<>(List.of("get", "put", "delete")));
    expected.put("/v3/{project_id}/qos-specs/{id}/delete_keys", new TreeSet<>(List.of("put")));
    expected.put("/v3/{project_id}/qos-specs/{id}/associations", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/qos-specs/{id}/associate", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/qos-specs/{id}/disassociate", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/qos-specs/{id}/disassociate_all", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/os-services", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/os-services/{action}", new TreeSet<>(List.of("put")));
    expected.put("/v3/{project_id}/scheduler-stats/get_pools", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/os-availability-zone", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/os-hosts", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/os-hosts/{host}", new TreeSet<>(List.of("get")));
    expected.put("/v3/{project_id}/capabilities/{host}", new TreeSet<>(List.of("get")));
    for (String manage :
        List.of(
            "manageable_volumes",
            "os-volume-manage",
            "manageable_snapshots",
            "os-snapshot-manage")) {
      expected.put("/v3/{project_id}/" + manage, new TreeSet<>(List.of("get", "post")));
      expected.put("/v3/{project_id}/" + manage + "/detail", new TreeSet<>(List.of("get")));
    }
    expected.put("/v3/{project_id}/extensions", new TreeSet<>(List.of("get")));
    assertEquals(expected.toString(), operations.toString());

    // The status codes Cinder answers with, not the generator's default 200.
    JsonNode paths = doc.path("paths");
    assertTrue(paths.path("/").path("get").path("responses").has("300"));
    assertTrue(paths.path("/v3/{project_id}/volumes").path("post").path("responses").has("202"));
    assertTrue(
        paths.path("/v3/{project_id}/volumes/{id}").path("delete").path("responses").has("202"));
    assertTrue(
        paths.path("/v3/{project_id}/messages/{id}").path("delete").path("responses").has("204"));
  }

  /** A summary for every operation, and every path template's parameter declared. */
  @Test
  void describesEachOperationAndItsPathParameters() throws Exception {
    JsonNode paths = document().path("paths");
    paths
        .properties()
        .forEach(
            path -> {
              Set<String> templated = new TreeSet<>();
              Matcher m = TEMPLATE.matcher(path.getKey());
              while (m.find()) {
                templated.add(m.group(1));
              }
              path.getValue()
                  .properties()
                  .forEach(
                      op -> {
                        if (op.getKey().equals("parameters")) {
                          return;
                        }
                        String where = op.getKey() + " " + path.getKey();
                        assertFalse(
                            op.getValue().path("summary").asText().isBlank(),
                            where + " has no summary");
                        Set<String> declared = new TreeSet<>();
                        for (JsonNode p : op.getValue().path("parameters")) {
                          if ("path".equals(p.path("in").asText())) {
                            declared.add(p.path("name").asText());
                          }
                        }
                        for (JsonNode p : path.getValue().path("parameters")) {
                          if ("path".equals(p.path("in").asText())) {
                            declared.add(p.path("name").asText());
                          }
                        }
                        assertTrue(
                            declared.containsAll(templated),
                            where + " declares " + declared + " of " + templated);
                      });
            });
  }
}
