package io.ember.api.type;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.fault.CinderFault;
import io.ember.api.volume.VolumeFields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of the type requests as Cinder's request schemas ({@code api/schemas/volume_types.py},
 * {@code types_extra_specs.py}, {@code volume_type_access.py}), with their messages.
 */
public final class VolumeTypeFields {

  /** Keys of the extra specs given with a new type ({@code parameter_types.extra_specs}). */
  static final Pattern TYPE_SPEC_KEY = Pattern.compile("^[a-zA-Z0-9-_:. /]{1,255}$");

  /** Keys of the extra specs set on a type ({@code extra_specs_with_no_spaces_key}). */
  static final Pattern SPEC_KEY = Pattern.compile("^[a-zA-Z0-9-_:.]{1,255}$");

  private static final Set<String> TRUE =
      Set.of("True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes", "y", "t");
  private static final Set<String> FALSE =
      Set.of("False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no", "n", "f");

  private VolumeTypeFields() {}

  /** What {@code POST /types} asks for. */
  public record NewType(
      String name, String description, boolean isPublic, Map<String, String> extraSpecs) {}

  /** What {@code PUT /types/{id}} changes; null: unchanged. */
  public record TypeChange(String name, String description, Boolean isPublic) {}

  static NewType create(JsonNode body) {
    JsonNode type = object(body, "volume_type");
    only(type, Set.of("name", "description", "extra_specs", "os-volume-type-access:is_public"));
    String name = requiredName(type);
    String description = VolumeFields.optionalString(type, "description");
    JsonNode access = type.get("os-volume-type-access:is_public");
    boolean isPublic = access == null || bool("os-volume-type-access:is_public", access);
    Map<String, String> specs = specs("extra_specs", type.get("extra_specs"), TYPE_SPEC_KEY, true);
    return new NewType(name, description, isPublic, specs);
  }

  /** Cinder's {@code parameter_types.name} of a new type: a string of 1 to 255, not blank. */
  static String requiredName(JsonNode type) {
    JsonNode name = type.get("name");
    if (name == null) {
      throw CinderFault.badRequest("'name' is a required property");
    }
    if (!name.isTextual()) {
      throw VolumeFields.invalidField("name", name, name + " is not of type 'string'");
    }
    if (name.asText().isEmpty()) {
      throw VolumeFields.invalidField("name", name, "'' is too short");
    }
    if (name.asText().length() > 255) {
      throw VolumeFields.invalidField("name", name, "'" + name.asText() + "' is too long");
    }
    if (name.asText().isBlank()) {
      throw CinderFault.badRequest(
          "An invalid 'name' value was provided. The 'name' can not be empty.");
    }
    return name.asText();
  }

  static TypeChange update(JsonNode body) {
    JsonNode type = object(body, "volume_type");
    only(type, Set.of("name", "description", "is_public"));
    String name = changedName(type, "Volume type name can not be empty.");
    String description = VolumeFields.optionalString(type, "description");
    JsonNode access = type.get("is_public");
    Boolean isPublic = access == null || access.isNull() ? null : bool("is_public", access);
    if (name == null && description == null && isPublic == null) {
      throw CinderFault.badRequest(
          "Specify volume type name, description, is_public or a combination thereof.");
    }
    return new TypeChange(name, description, isPublic);
  }

  /** The new name of an update, null when it keeps its name; blank: {@code blankMessage}. */
  static String changedName(JsonNode type, String blankMessage) {
    JsonNode nameNode = type.get("name");
    if (nameNode == null || nameNode.isNull()) {
      return null;
    }
    if (!nameNode.isTextual()) {
      throw VolumeFields.invalidField(
          "name", nameNode, nameNode + " is not of type 'string', 'null'");
    }
    if (nameNode.asText().isEmpty()) {
      throw VolumeFields.invalidField("name", nameNode, "'' is too short");
    }
    if (nameNode.asText().length() > 255) {
      throw VolumeFields.invalidField("name", nameNode, "'" + nameNode.asText() + "' is too long");
    }
    if (nameNode.asText().isBlank()) {
      throw CinderFault.badRequest(blankMessage);
    }
    return nameNode.asText();
  }

  /** {@code POST /types/{id}/extra_specs}: {@code {"extra_specs": {...}}}. */
  static Map<String, String> extraSpecs(JsonNode body) {
    return specsBody(body, "extra_specs");
  }

  /** A body of specs under {@code root} ({@code extra_specs}, {@code group_specs}). */
  static Map<String, String> specsBody(JsonNode body, String root) {
    if (body == null || !body.isObject() || !body.has(root)) {
      throw CinderFault.badRequest("'" + root + "' is a required property");
    }
    only(body, Set.of(root));
    JsonNode specs = body.get(root);
    if (!specs.isObject()) {
      throw VolumeFields.invalidField(root, specs, specs + " is not of type 'object'");
    }
    return specs(root, specs, SPEC_KEY, true);
  }

  /** {@code PUT /types/{id}/extra_specs/{key}}: {@code {"<key>": "<value>"}}. */
  static Map<String, String> oneSpec(JsonNode body, String key) {
    if (body == null || !body.isObject()) {
      throw CinderFault.badRequest("Invalid input received: " + body + " is not of type 'object'");
    }
    if (body.size() > 1) {
      throw CinderFault.badRequest(body + " has too many properties");
    }
    if (body.isEmpty()) {
      throw CinderFault.badRequest("{} does not have enough properties");
    }
    Map<String, String> spec = specs(null, body, SPEC_KEY, true);
    if (!spec.containsKey(key)) {
      throw CinderFault.badRequest("Request body and URI mismatch");
    }
    return spec;
  }

  /** The project of {@code addProjectAccess} / {@code removeProjectAccess}. */
  static String project(JsonNode action) {
    if (action == null || !action.isObject()) {
      throw CinderFault.badRequest(
          "Invalid input received: " + action + " is not of type 'object'");
    }
    only(action, Set.of("project"));
    JsonNode project = action.get("project");
    if (project == null) {
      throw CinderFault.badRequest("'project' is a required property");
    }
    if (!project.isTextual()) {
      throw VolumeFields.invalidField("project", project, project + " is not of type 'string'");
    }
    if (project.asText().isEmpty()) {
      throw VolumeFields.invalidField("project", project, "'' is too short");
    }
    if (project.asText().length() > 255) {
      throw VolumeFields.invalidField("project", project, "'" + project.asText() + "' is too long");
    }
    return project.asText();
  }

  /** Cinder's {@code parameter_types.boolean}: a JSON boolean or one of its strings. */
  public static boolean bool(String field, JsonNode value) {
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isTextual() && TRUE.contains(value.asText())) {
      return true;
    }
    if (value.isTextual() && FALSE.contains(value.asText())) {
      return false;
    }
    throw VolumeFields.invalidField(
        field,
        value,
        (value.isTextual() ? "'" + value.asText() + "'" : value.toString())
            + " is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes',"
            + " 'yes', 'y', 't', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off',"
            + " 'NO', 'No', 'no', 'n', 'f']");
  }

  static Map<String, String> specs(String field, JsonNode specs, Pattern keys, boolean nullValues) {
    Map<String, String> result = new LinkedHashMap<>();
    if (specs == null || specs.isNull()) {
      return result;
    }
    String shownField = field == null ? "" : field;
    if (!specs.isObject()) {
      throw VolumeFields.invalidField(shownField, specs, specs + " is not of type 'object'");
    }
    for (Map.Entry<String, JsonNode> entry : specs.properties()) {
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      if (!keys.matcher(key).matches()) {
        String message = "Additional properties are not allowed ('" + key + "' was unexpected)";
        throw field == null
            ? CinderFault.badRequest(message)
            : VolumeFields.invalidField(field, specs, message);
      }
      if (value.isNull() && nullValues) {
        result.put(key, null);
        continue;
      }
      if (!value.isTextual()) {
        throw VolumeFields.invalidField(key, value, value + " is not of type 'string', 'null'");
      }
      if (value.asText().length() > 255) {
        throw VolumeFields.invalidField(key, value, "'" + value.asText() + "' is too long");
      }
      result.put(key, value.asText());
    }
    return result;
  }

  static JsonNode object(JsonNode body, String root) {
    JsonNode node = body == null || !body.isObject() ? null : body.get(root);
    if (node == null) {
      throw CinderFault.badRequest("'" + root + "' is a required property");
    }
    only(body, Set.of(root));
    if (!node.isObject()) {
      throw VolumeFields.invalidField(root, node, node + " is not of type 'object'");
    }
    return node;
  }

  static void only(JsonNode object, Set<String> allowed) {
    for (var it = object.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw CinderFault.badRequest(
            "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
  }
}
