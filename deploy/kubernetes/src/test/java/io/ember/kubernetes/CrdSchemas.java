package io.ember.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The pinned CRDs in deploy/kubernetes/crds (Strimzi 1.2.0, CloudNativePG 1.30.0): each served
 * version's openAPIV3Schema, by "apiVersion/kind". Fields a schema does not declare are refused, as
 * the API server's strict field validation does (a typo would otherwise be pruned in silence); CEL
 * rules (x-kubernetes-validations) are not evaluated.
 */
final class CrdSchemas {

  private final Map<String, JsonSchema> schemas = new HashMap<>();

  static CrdSchemas pinned() {
    CrdSchemas crds = new CrdSchemas();
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    try (Stream<Path> files = Files.list(Repo.module().resolve("crds"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        JsonNode crd = Rendered.YAML.readTree(file.toFile());
        String group = crd.path("spec").path("group").asText();
        String kind = crd.path("spec").path("names").path("kind").asText();
        for (JsonNode version : crd.path("spec").path("versions")) {
          if (!version.path("served").asBoolean()) {
            continue;
          }
          JsonNode schema = version.path("schema").path("openAPIV3Schema").deepCopy();
          closed(schema);
          crds.schemas.put(
              group + "/" + version.path("name").asText() + "/" + kind, factory.getSchema(schema));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return crds;
  }

  boolean covers(JsonNode object) {
    return schemas.containsKey(key(object));
  }

  /** Empty when the object is valid against its CRD's schema. */
  List<String> validate(JsonNode object) {
    JsonSchema schema = schemas.get(key(object));
    return schema.validate(object).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  private static String key(JsonNode object) {
    return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
  }

  private static void closed(JsonNode schema) {
    if (!(schema instanceof ObjectNode node)) {
      return;
    }
    if (node.has("properties")
        && !node.has("additionalProperties")
        && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      node.put("additionalProperties", false);
    }
    node.path("properties").forEach(CrdSchemas::closed);
    closed(node.path("items"));
    closed(node.path("additionalProperties"));
    for (String combined : List.of("allOf", "anyOf", "oneOf")) {
      node.path(combined).forEach(CrdSchemas::closed);
    }
  }
}
