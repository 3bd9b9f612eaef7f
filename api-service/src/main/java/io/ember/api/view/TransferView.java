package io.ember.api.view;

import io.ember.api.microversion.ApiVersion;
import io.ember.api.transfer.Transfer;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transfers in Cinder's shapes ({@code cinder/api/views/transfers.py}), for both paths: Cinder's
 * one view builder names {@code os-volume-transfer} in every link, {@code /volume-transfers} too.
 */
public final class TransferView {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  private static final String COLLECTION = "os-volume-transfer";

  private final URI base;
  private final ApiVersion version;

  public TransferView(URI base, ApiVersion version) {
    this.base = base;
    this.version = version;
  }

  /** The list entry of a plain list, and the accept answer: id, volume, name, links. */
  public Map<String, Object> summary(Transfer t, String projectId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id.toString());
    m.put("volume_id", t.volumeId.toString());
    m.put("name", t.name);
    m.put("links", links(t, projectId));
    return m;
  }

  /** Show and the detail list; with {@code no_snapshots} from 3.55 and the history from 3.57. */
  public Map<String, Object> detail(Transfer t, String projectId) {
    return detail(t, projectId, null);
  }

  /** The create answer: the detail with the auth key, the one time it is ever shown. */
  public Map<String, Object> created(Transfer t, String projectId, String authKey) {
    return detail(t, projectId, authKey);
  }

  private Map<String, Object> detail(Transfer t, String projectId, String authKey) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id.toString());
    m.put("created_at", t.createdAt == null ? null : TIME.format(t.createdAt));
    m.put("name", t.name);
    m.put("volume_id", t.volumeId.toString());
    if (authKey != null) {
      m.put("auth_key", authKey);
    }
    m.put("links", links(t, projectId));
    if (version.atLeast(55)) {
      m.put("no_snapshots", t.noSnapshots);
    }
    if (version.atLeast(57)) {
      m.put("destination_project_id", t.destinationProjectId);
      m.put("source_project_id", t.sourceProjectId);
      m.put("accepted", t.accepted);
    }
    return m;
  }

  /** {@code transfers_links} with the next page, as Cinder's {@code _get_collection_links}. */
  public List<Map<String, String>> nextLink(String projectId, Transfer last, int limit) {
    return List.of(
        Map.of(
            "rel",
            "next",
            "href",
            base
                + "v3/"
                + projectId
                + "/"
                + COLLECTION
                + "?limit="
                + limit
                + "&marker="
                + last.id));
  }

  private List<Map<String, String>> links(Transfer t, String projectId) {
    return List.of(
        Map.of("rel", "self", "href", base + "v3/" + projectId + "/" + COLLECTION + "/" + t.id),
        Map.of("rel", "bookmark", "href", base + projectId + "/" + COLLECTION + "/" + t.id));
  }
}
