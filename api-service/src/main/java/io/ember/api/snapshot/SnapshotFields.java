package io.ember.api.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.qos.PyRepr;
import io.ember.api.type.VolumeTypeFields;
import io.ember.api.volume.VolumeFields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** The bodies of the snapshot requests, checked with the messages of Cinder's schemas. */
public final class SnapshotFields {

  private static final Set<String> CREATE =
      Set.of("name", "display_name", "description", "volume_id", "force", "metadata");
  private static final Set<String> UPDATE =
      Set.of("name", "description", "display_name", "display_description");

  /** Cinder's snapshot metadata schema: no '/' in a key, unlike a volume's. */
  private static final Pattern METADATA_KEY = Pattern.compile("^[a-zA-Z0-9-_:. ]{1,255}$");

  /** What {@code POST /snapshots} asks for; {@code force} is null when not given. */
  public record Create(
      String volumeId,
      String name,
      String description,
      Boolean force,
      Map<String, String> metadata) {}

  private SnapshotFields() {}

  public static Create create(JsonNode body) {
    JsonNode snapshot = root(body, "snapshot");
    only(snapshot, CREATE);
    if (!snapshot.has("volume_id")) {
      throw invalid("snapshot", snapshot, "'volume_id' is a required property");
    }
    JsonNode volumeId = snapshot.get("volume_id");
    String volume = null;
    if (!volumeId.isNull()) {
      if (!volumeId.isTextual()) {
        throw invalid(
            "volume_id", volumeId, PyRepr.of(volumeId) + " is not of type 'string', 'null'");
      }
      if (!isUuid(volumeId.asText())) {
        throw invalid("volume_id", volumeId, PyRepr.of(volumeId) + " is not a 'uuid'");
      }
      volume = volumeId.asText();
    }
    String name = VolumeFields.optionalString(snapshot, "name");
    if (name == null) {
      name = VolumeFields.optionalString(snapshot, "display_name");
    }
    Boolean force =
        snapshot.has("force") && !snapshot.get("force").isNull()
            ? VolumeTypeFields.bool("force", snapshot.get("force"))
            : null;
    return new Create(
        volume,
        name,
        VolumeFields.optionalString(snapshot, "description"),
        force,
        metadata(snapshot.get("metadata"), "metadata"));
  }

  /** A {@code POST /manageable_snapshots} request, as Cinder's {@code snapshot_manage} schema. */
  public record Manage(
      String volumeId,
      Map<String, String> ref,
      String name,
      String description,
      Map<String, String> metadata) {}

  private static final java.util.Set<String> MANAGE =
      java.util.Set.of("description", "name", "ref", "volume_id", "metadata");

  public static Manage manage(JsonNode body) {
    JsonNode snapshot = root(body, "snapshot");
    only(snapshot, MANAGE);
    for (String required : new String[] {"ref", "volume_id"}) {
      if (!snapshot.has(required)) {
        throw invalid("snapshot", snapshot, "'" + required + "' is a required property");
      }
    }
    JsonNode ref = snapshot.get("ref");
    if (!ref.isObject()) {
      throw invalid("ref", ref, PyRepr.of(ref) + " is not of type 'object'");
    }
    JsonNode volumeId = snapshot.get("volume_id");
    if (!volumeId.isTextual() || !isUuid(volumeId.asText())) {
      throw invalid("volume_id", volumeId, PyRepr.of(volumeId) + " is not a 'uuid'");
    }
    Map<String, String> refs = new java.util.LinkedHashMap<>();
    ref.fields().forEachRemaining(e -> refs.put(e.getKey(), e.getValue().asText()));
    return new Manage(
        volumeId.asText(),
        refs,
        VolumeFields.optionalString(snapshot, "name"),
        VolumeFields.optionalString(snapshot, "description"),
        metadata(snapshot.get("metadata"), "metadata"));
  }

  /** What {@code PUT /snapshots/{id}} changes: field → new value (null clears). */
  public static Map<String, String> update(JsonNode body) {
    JsonNode snapshot = root(body, "snapshot");
    only(snapshot, UPDATE);
    if (snapshot.isEmpty()) {
      throw invalid("snapshot", snapshot, "{} is not valid under any of the given schemas");
    }
    Map<String, String> changes = new LinkedHashMap<>();
    for (String field : UPDATE) {
      if (snapshot.has(field)) {
        changes.put(field, VolumeFields.optionalString(snapshot, field));
      }
    }
    return changes;
  }

  /** {@code {"metadata": {...}}} of the metadata collection's POST and PUT. */
  public static Map<String, String> metadataBody(JsonNode body) {
    if (body == null || !body.isObject() || !body.has("metadata")) {
      throw CinderFault.badRequest("'metadata' is a required property");
    }
    JsonNode metadata = body.get("metadata");
    if (metadata.isNull()) {
      throw invalid("metadata", metadata, "None is not of type 'object'");
    }
    return metadata(metadata, "metadata");
  }

  /** {@code {"meta": {key: value}}} of {@code PUT .../metadata/{key}}: exactly one item. */
  public static Map<String, String> metaItem(JsonNode body, String key) {
    if (body == null || !body.isObject() || !body.has("meta")) {
      throw CinderFault.badRequest("'meta' is a required property");
    }
    JsonNode meta = body.get("meta");
    if (meta.isObject() && meta.isEmpty()) {
      throw invalid("meta", meta, "{} does not have enough properties");
    }
    if (meta.isObject() && meta.size() > 1) {
      throw invalid("meta", meta, PyRepr.of(meta) + " has too many properties");
    }
    if (meta.isNull()) {
      throw invalid("meta", meta, "None is not of type 'object'");
    }
    Map<String, String> item = metadata(meta, "meta");
    if (!item.containsKey(key)) {
      throw CinderFault.badRequest("Request body and URI mismatch");
    }
    return item;
  }

  private static Map<String, String> metadata(JsonNode metadata, String field) {
    Map<String, String> result = new LinkedHashMap<>();
    if (metadata == null || metadata.isNull()) {
      return result;
    }
    if (!metadata.isObject()) {
      throw invalid(field, metadata, PyRepr.of(metadata) + " is not of type 'object'");
    }
    for (Map.Entry<String, JsonNode> entry : metadata.properties()) {
      if (!METADATA_KEY.matcher(entry.getKey()).matches()) {
        throw invalid(
            field,
            metadata,
            "Additional properties are not allowed ('"
                + Echo.cap(entry.getKey())
                + "' was unexpected)");
      }
      JsonNode value = entry.getValue();
      if (!value.isTextual()) {
        throw invalid(field, metadata, PyRepr.of(value) + " is not of type 'string'");
      }
      if (value.asText().length() > 255) {
        throw invalid(field, metadata, "'" + Echo.cap(value.asText()) + "' is too long");
      }
      if (value.asText().indexOf(0) >= 0) {
        // PostgreSQL stores no NUL: refused as Cinder refuses what its database cannot take.
        throw invalid(field, metadata, "'" + Echo.cap(value.asText()) + "' is not storable");
      }
      result.put(entry.getKey(), value.asText());
    }
    return result;
  }

  private static JsonNode root(JsonNode body, String root) {
    JsonNode node = body == null || !body.isObject() ? null : body.get(root);
    if (node == null) {
      throw CinderFault.badRequest("'" + root + "' is a required property");
    }
    only(body, Set.of(root));
    if (!node.isObject()) {
      throw invalid(root, node, PyRepr.of(node) + " is not of type 'object'");
    }
    return node;
  }

  private static void only(JsonNode object, Set<String> allowed) {
    for (var it = object.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw CinderFault.badRequest(
            "Additional properties are not allowed ('" + Echo.cap(field) + "' was unexpected)");
      }
    }
  }

  private static CinderFault invalid(String field, JsonNode value, String detail) {
    return VolumeFields.invalidField(field, value, detail);
  }

  static boolean isUuid(String text) {
    try {
      return UUID.fromString(text) != null && text.length() == 36;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The status of {@code os-reset_status} ({@code {"status": "..."}}), lower-cased; any of Cinder's
   * snapshot statuses.
   */
  public static String resetStatus(JsonNode args) {
    if (args == null || !args.isObject()) {
      throw invalid("os-reset_status", args, PyRepr.of(args) + " is not of type 'object'");
    }
    only(args, Set.of("status"));
    JsonNode status = args.get("status");
    if (status == null) {
      throw invalid("os-reset_status", args, "'status' is a required property");
    }
    if (!status.isTextual()) {
      throw invalid("status", status, PyRepr.of(status) + " is not of type 'string'");
    }
    String lower = status.asText().toLowerCase(java.util.Locale.ROOT);
    if (!SnapshotStatus.ALL.contains(lower)) {
      throw invalid("status", status, PyRepr.of(status) + " is not a 'snapshot_status'");
    }
    return lower;
  }

  /** What {@code os-update_snapshot_status} asks: a status, and a progress such as "80%". */
  public record StatusUpdate(String status, String progress) {}

  /**
   * The arguments of {@code os-update_snapshot_status}: a status (a string; which transitions are
   * allowed is the service's to say) and an optional progress, an integer percentage.
   */
  public static StatusUpdate statusUpdate(JsonNode args) {
    String action = "os-update_snapshot_status";
    if (args == null || !args.isObject()) {
      throw invalid(action, args, PyRepr.of(args) + " is not of type 'object'");
    }
    only(args, Set.of("status", "progress"));
    JsonNode status = args.get("status");
    if (status == null) {
      throw invalid(action, args, "'status' is a required property");
    }
    if (!status.isTextual()) {
      throw invalid("status", status, PyRepr.of(status) + " is not of type 'string'");
    }
    JsonNode progress = args.get("progress");
    String percent = null;
    if (progress != null && !progress.isNull() && !progress.asText().isEmpty()) {
      String text = progress.asText();
      int value;
      try {
        value = Integer.parseInt(text.substring(0, text.length() - 1));
      } catch (NumberFormatException e) {
        value = -1;
      }
      if (!progress.isTextual() || !text.endsWith("%") || value < 0 || value > 100) {
        throw CinderFault.badRequest("progress must be an integer percentage");
      }
      percent = text;
    }
    return new StatusUpdate(status.asText(), percent);
  }

  /** The {@code snapshot_id} of a {@code revert} action (null when not given). */
  public static String revertSnapshotId(JsonNode args) {
    if (args == null || !args.isObject()) {
      throw invalid("revert", args, PyRepr.of(args) + " is not of type 'object'");
    }
    JsonNode id = args.get("snapshot_id");
    if (id == null || id.isNull()) {
      return null;
    }
    if (!id.isTextual()) {
      throw invalid("snapshot_id", id, PyRepr.of(id) + " is not of type 'string', 'null'");
    }
    return id.asText();
  }
}
