package io.ember.api.view;

import io.ember.api.attachment.Attachment;
import io.ember.api.attachment.AttachmentStates;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Attachments in Cinder's JSON shapes ({@code cinder/api/v3/views/attachments.py}). */
public final class AttachmentView {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  private AttachmentView() {}

  /** The list's item: id, status, instance, volume id. */
  public static Map<String, Object> summary(Attachment a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id.toString());
    m.put("status", a.attachStatus);
    m.put("instance", a.instanceUuid);
    m.put("volume_id", a.volumeId.toString());
    return m;
  }

  /**
   * Show, detail, create and update. Cinder prints unset times as empty strings, an unset mode as
   * {@code ro} and an absent connection as {@code {}}.
   */
  public static Map<String, Object> detail(Attachment a) {
    Map<String, Object> m = summary(a);
    m.put("attached_at", time(a.attachTime));
    m.put("detached_at", time(a.detachTime));
    m.put("attach_mode", a.attachMode == null ? "ro" : a.attachMode);
    Map<String, Object> connection = AttachmentStates.readJson(a.connectionInfo);
    m.put("connection_info", connection == null ? Map.of() : connection);
    return m;
  }

  /** An item of a volume body's {@code attachments} (Cinder's volume view). */
  public static Map<String, Object> ofVolume(Attachment a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.volumeId.toString());
    m.put("attachment_id", a.id.toString());
    m.put("volume_id", a.volumeId.toString());
    m.put("server_id", a.instanceUuid);
    m.put("host_name", a.attachedHost);
    m.put("device", a.mountpoint);
    m.put("attached_at", a.attachTime == null ? null : TIME.format(a.attachTime));
    return m;
  }

  private static String time(LocalDateTime t) {
    return t == null ? "" : TIME.format(t);
  }
}
