package io.ember.api.view;

import io.ember.api.microversion.ApiVersion;
import io.ember.api.snapshot.Snapshot;
import java.net.URI;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Snapshots in Cinder's JSON shapes ({@code cinder/api/views/snapshots.py}, its v3 subclass and the
 * extended snapshot attributes extension, which only show and the detail list carry).
 */
public final class SnapshotView {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  private final URI base;
  private final ApiVersion version;

  public SnapshotView(URI base, ApiVersion version) {
    this.base = base;
    this.version = version;
  }

  /** The list entry of {@code GET /snapshots}. */
  public Map<String, Object> summary(Snapshot s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id.toString());
    m.put("created_at", time(s.createdAt));
    m.put("updated_at", time(s.updatedAt));
    m.put("name", s.name);
    m.put("description", s.description);
    m.put("volume_id", s.volumeId.toString());
    m.put("status", s.status);
    m.put("size", s.volumeSize);
    m.put("metadata", s.metadata);
    return m;
  }

  /** Create and update answers: the summary with the fields of the microversion. */
  public Map<String, Object> detail(Snapshot s) {
    Map<String, Object> m = summary(s);
    if (version.atLeast(14)) {
      m.put("group_snapshot_id", s.groupSnapshotId == null ? null : s.groupSnapshotId.toString());
    }
    if (version.atLeast(41)) {
      m.put("user_id", s.userId);
    }
    if (version.atLeast(65)) {
      m.put("consumes_quota", true);
    }
    return m;
  }

  /** Show and the detail list: with {@code os-extended-snapshot-attributes}. */
  public Map<String, Object> extended(Snapshot s) {
    Map<String, Object> m = detail(s);
    m.put("os-extended-snapshot-attributes:project_id", s.projectId);
    m.put("os-extended-snapshot-attributes:progress", s.progress);
    return m;
  }

  /** {@code snapshots_links} with the next page, as Cinder's {@code _get_collection_links}. */
  public List<Map<String, String>> nextLink(
      String projectId, String collection, Snapshot last, int limit) {
    String href =
        base
            + "v3/"
            + projectId
            + "/snapshots"
            + collection
            + "?limit="
            + limit
            + "&marker="
            + last.id;
    return List.of(Map.of("rel", "next", "href", href));
  }

  static String time(LocalDateTime t) {
    return t == null ? null : TIME.format(t);
  }
}
