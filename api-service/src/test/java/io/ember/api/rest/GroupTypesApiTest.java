package io.ember.api.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testsupport.ProjectApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Group types and group specs (3.11), as Tempest's group type tests and cinderclient use them. */
@QuarkusTest
class GroupTypesApiTest {

  private final ProjectApi api = new ProjectApi();

  private String groupTypes() {
    return "/v3/" + api.project + "/group_types";
  }

  private RequestSpecification admin() {
    return api.admin().header("OpenStack-API-Version", "volume 3.11");
  }

  private RequestSpecification member() {
    return api.as("alice").header("OpenStack-API-Version", "volume 3.11");
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private String create(String name, boolean isPublic) {
    return admin()
        .body("{\"group_type\": {\"name\": \"" + name + "\", \"is_public\": " + isPublic + "}}")
        .post(groupTypes())
        .then()
        .statusCode(202)
        .extract()
        .path("group_type.id");
  }

  @Test
  void createListUpdateShowDeleteAsTempest() {
    String name = unique("gt");
    String id =
        admin()
            .body(
                "{\"group_type\": {\"name\": \""
                    + name
                    + "\", \"description\": \"first\", \"is_public\": true, \"group_specs\":"
                    + " {\"consistent_group_snapshot_enabled\": \"<is> False\"}}}")
            .post(groupTypes())
            .then()
            .statusCode(202)
            .body("group_type.name", equalTo(name))
            .body("group_type.description", equalTo("first"))
            .body("group_type.is_public", equalTo(true))
            .body("group_type.group_specs.consistent_group_snapshot_enabled", equalTo("<is> False"))
            .extract()
            .path("group_type.id");

    admin().get(groupTypes()).then().statusCode(200).body("group_types.id", hasItem(id));

    String renamed = unique("gt-updated");
    admin()
        .body("{\"group_type\": {\"name\": \"" + renamed + "\", \"description\": \"second\"}}")
        .put(groupTypes() + "/" + id)
        .then()
        .statusCode(200)
        .body("group_type.name", equalTo(renamed))
        .body("group_type.description", equalTo("second"));
    admin()
        .get(groupTypes() + "/" + id)
        .then()
        .statusCode(200)
        .body("group_type.name", equalTo(renamed))
        .body("group_type.is_public", equalTo(true))
        .body("group_type.group_specs.consistent_group_snapshot_enabled", equalTo("<is> False"));
    // Only admins see the specs.
    member()
        .get(groupTypes() + "/" + id)
        .then()
        .statusCode(200)
        .body("group_type", not(hasKey("group_specs")));

    admin().delete(groupTypes() + "/" + id).then().statusCode(202);
    admin().get(groupTypes()).then().statusCode(200).body("group_types.id", not(hasItem(id)));
    admin()
        .get(groupTypes() + "/" + id)
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Group type " + id + " could not be found."));
  }

  @Test
  void listsSortedAndFilteredOnIsPublic() {
    String a = "a_" + unique("gt");
    String b = "b_" + unique("gt");
    create(a, true);
    create(b, false);

    List<String> asc =
        admin().get(groupTypes() + "?sort=name:asc&is_public=None").path("group_types.name");
    assertTrue(asc.indexOf(a) >= 0 && asc.indexOf(a) < asc.indexOf(b), asc.toString());
    List<String> desc =
        admin().get(groupTypes() + "?sort=name:desc&is_public=None").path("group_types.name");
    assertTrue(desc.indexOf(b) >= 0 && desc.indexOf(b) < desc.indexOf(a), desc.toString());

    admin()
        .get(groupTypes() + "?is_public=False")
        .then()
        .body("group_types.name", hasItem(b))
        .body("group_types.name", not(hasItem(a)));
    admin()
        .get(groupTypes() + "?is_public=True")
        .then()
        .body("group_types.name", hasItem(a))
        .body("group_types.name", not(hasItem(b)));
    // A project sees the public ones only, whatever it asks.
    member()
        .get(groupTypes() + "?is_public=False")
        .then()
        .statusCode(200)
        .body("group_types.name", hasItem(a))
        .body("group_types.name", not(hasItem(b)))
        .body("group_types.name", hasItem("default_cgsnapshot_type"));
  }

  @Test
  void groupSpecsCreateShowUpdateListDelete() {
    String id = create(unique("gt"), true);
    String specs = groupTypes() + "/" + id + "/group_specs";
    admin()
        .body("{\"group_specs\": {\"key1\": \"value1\", \"key2\": \"value2\"}}")
        .post(specs)
        .then()
        .statusCode(202)
        .body("group_specs.key1", equalTo("value1"))
        .body("group_specs.size()", equalTo(2));
    admin()
        .body("{\"group_specs\": {\"key2\": \"value2-updated\", \"key3\": \"value3\"}}")
        .post(specs)
        .then()
        .statusCode(202)
        .body("group_specs.size()", equalTo(2));
    admin().get(specs + "/key2").then().statusCode(200).body("key2", equalTo("value2-updated"));
    admin()
        .body("{\"key3\": \"value3-updated\"}")
        .put(specs + "/key3")
        .then()
        .statusCode(200)
        .body("key3", equalTo("value3-updated"));
    admin()
        .get(specs)
        .then()
        .statusCode(200)
        .body("group_specs.key1", equalTo("value1"))
        .body("group_specs.key2", equalTo("value2-updated"))
        .body("group_specs.key3", equalTo("value3-updated"));
    for (String key : List.of("key1", "key2", "key3")) {
      admin().delete(specs + "/" + key).then().statusCode(202);
      admin()
          .get(specs + "/" + key)
          .then()
          .statusCode(404)
          .body(
              "itemNotFound.message",
              equalTo("Group Type " + id + " has no extra spec with key " + key + "."));
    }
    admin()
        .delete(specs + "/key1")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Group Type " + id + " has no specs with key key1."));
    admin()
        .body("{\"key4\": \"v\"}")
        .put(specs + "/key5")
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Request body and URI mismatch"));
  }

  @Test
  void cindersErrors() {
    String name = unique("gt");
    create(name, true);
    admin()
        .body("{\"group_type\": {\"name\": \"" + name + "\"}}")
        .post(groupTypes())
        .then()
        .statusCode(409)
        .body("conflictingRequest.message", equalTo("Group Type " + name + " already exists."));
    admin()
        .body("{\"group_type\": {\"description\": \"no name\"}}")
        .post(groupTypes())
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("'name' is a required property"));
    String id = create(unique("gt"), true);
    admin()
        .body("{\"group_type\": {}}")
        .put(groupTypes() + "/" + id)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("Specify group type name, description or a combination thereof."));
    member()
        .body("{\"group_type\": {\"name\": \"" + unique("gt") + "\"}}")
        .post(groupTypes())
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo("Policy doesn't allow group:group_types:create to be performed."));
    admin()
        .get(groupTypes() + "/default")
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Default group type can not be found."));
    // Below 3.11 the resource does not exist.
    api.admin().get(groupTypes()).then().statusCode(404);
  }
}
