package io.ember.api.view;

import io.ember.api.type.EncryptionType;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An encryption type in Cinder's shape: its whole database record, as {@code GET
 * /types/{id}/encryption} answers it (Cinder's soft-delete columns included, never set in Ember).
 */
public final class EncryptionTypeView {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  private EncryptionTypeView() {}

  /** The record; {@code {}} for a type without encryption, as Cinder. */
  public static Map<String, Object> record(EncryptionType e) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (e == null) {
      return m;
    }
    m.put("volume_type_id", e.volumeTypeId.toString());
    m.put("control_location", e.controlLocation);
    m.put("deleted", false);
    m.put("created_at", time(e.createdAt));
    m.put("updated_at", time(e.updatedAt));
    m.put("encryption_id", e.encryptionId.toString());
    m.put("key_size", e.keySize);
    m.put("provider", e.provider);
    m.put("deleted_at", null);
    m.put("cipher", e.cipher);
    return m;
  }

  private static String time(LocalDateTime t) {
    return t == null ? null : TIME.format(t);
  }
}
