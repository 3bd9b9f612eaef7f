package io.ember.api.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.qos.PyRepr;
import io.ember.api.type.VolumeTypeFields;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeFields;
import java.util.Set;

/** The bodies of the transfer requests, checked with the messages of Cinder's schemas. */
public final class TransferFields {

  /** What a create asks for; {@code name} stripped of surrounding spaces, as Cinder does. */
  public record Create(String volumeId, String name, boolean noSnapshots) {}

  private TransferFields() {}

  /**
   * {@code {"transfer": {"volume_id", "name", "no_snapshots"}}}; {@code no_snapshots} is part of
   * the schema of {@code /volume-transfers} from 3.55 only ({@code withSnapshotsChoice}).
   */
  public static Create create(JsonNode body, boolean withSnapshotsChoice) {
    JsonNode transfer = VolumeFields.root(body, "transfer");
    VolumeFields.only(
        transfer,
        withSnapshotsChoice
            ? Set.of("volume_id", "name", "no_snapshots")
            : Set.of("volume_id", "name"));
    JsonNode volumeId = transfer.get("volume_id");
    if (volumeId == null) {
      throw VolumeFields.invalidField("transfer", transfer, "'volume_id' is a required property");
    }
    if (!volumeId.isTextual()) {
      throw VolumeFields.invalidField(
          "volume_id", volumeId, PyRepr.of(volumeId) + " is not of type 'string'");
    }
    if (Volume.parseId(volumeId.asText()) == null) {
      throw VolumeFields.invalidField(
          "volume_id", volumeId, PyRepr.of(volumeId) + " is not a 'uuid'");
    }
    return new Create(
        volumeId.asText(),
        name(transfer.get("name")),
        transfer.has("no_snapshots")
            && VolumeTypeFields.bool("no_snapshots", transfer.get("no_snapshots")));
  }

  /**
   * Cinder's {@code name_skip_leading_trailing_spaces} or null: a name blank or over 255 characters
   * once stripped fails both branches of its {@code oneOf}.
   */
  private static String name(JsonNode name) {
    if (name == null || name.isNull()) {
      return null;
    }
    String stripped = name.isTextual() ? name.asText().strip() : "";
    if (stripped.isEmpty() || stripped.length() > 255 || stripped.indexOf(0) >= 0) {
      throw VolumeFields.invalidField(
          "name", name, PyRepr.of(name) + " is not valid under any of the given schemas");
    }
    return stripped;
  }

  /** The {@code auth_key} of {@code {"accept": {"auth_key": ...}}}: a string or an integer. */
  public static String authKey(JsonNode body) {
    JsonNode accept = VolumeFields.root(body, "accept");
    VolumeFields.only(accept, Set.of("auth_key"));
    JsonNode key = accept.get("auth_key");
    if (key == null) {
      throw VolumeFields.invalidField("accept", accept, "'auth_key' is a required property");
    }
    if (!key.isTextual() && !key.isIntegralNumber()) {
      throw VolumeFields.invalidField(
          "auth_key", key, PyRepr.of(key) + " is not of type 'string', 'integer'");
    }
    return key.asText();
  }
}
