package io.ember.api.snapshot;

import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.microversion.ApiVersion;
import io.ember.api.paging.QueryParams;
import io.ember.api.paging.SortParams;
import io.ember.api.volume.Volume;
import io.ember.model.RequestContext;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.jpa.HibernateHints;

/**
 * The snapshot list as Cinder's {@code GET /snapshots[/detail]} answers it: the caller's project
 * (admins with {@code all_tenants}: every project), the filters name, status, volume_id, metadata
 * (3.22), availability_zone (its volume's) and consumes_quota (3.65), sort, and marker/limit/offset
 * paging done in the database.
 */
@ApplicationScoped
public class SnapshotQuery {

  /** Cinder's {@code osapi_max_limit}. */
  public static final int MAX_LIMIT = 1000;

  private static final Map<String, String> SORT_KEYS =
      Map.of(
          "created_at", "createdAt",
          "updated_at", "updatedAt",
          "id", "id",
          "name", "name",
          // The column's name in Cinder, which its API takes as a sort key too (Tempest sorts so).
          "display_name", "name",
          "status", "status",
          "volume_id", "volumeId",
          "size", "volumeSize");

  /** One page, and whether there may be a next one. */
  public record Page(List<Snapshot> snapshots, boolean hasNext, Long count) {}

  public Page list(
      RequestContext caller,
      ApiVersion version,
      MultivaluedMap<String, String> query,
      boolean withCount) {
    StringBuilder where = new StringBuilder("1 = 1");
    Map<String, Object> params = new HashMap<>();
    boolean allTenants = caller.isAdmin() && QueryParams.truthy(query.getFirst("all_tenants"));
    if (!allTenants) {
      where.append(" and projectId = :project");
      params.put("project", caller.projectId());
    }
    if (query.getFirst("name") != null) {
      where.append(" and name = :name");
      params.put("name", query.getFirst("name"));
    }
    if (query.getFirst("status") != null) {
      where.append(" and status = :status");
      params.put("status", query.getFirst("status"));
    }
    if (query.getFirst("volume_id") != null) {
      UUID volume = Volume.parseId(query.getFirst("volume_id"));
      if (volume == null) {
        where.append(" and 1 = 0"); // no volume has that id
      } else {
        where.append(" and volumeId = :volume");
        params.put("volume", volume);
      }
    }
    if (query.getFirst("availability_zone") != null) {
      where.append(" and volumeId in (select v.id from Volume v where v.availabilityZone = :zone)");
      params.put("zone", query.getFirst("availability_zone"));
    }
    if (version.atLeast(65)
        && query.getFirst("consumes_quota") != null
        && !QueryParams.truthy(query.getFirst("consumes_quota"))) {
      where.append(" and 1 = 0"); // every snapshot Ember keeps consumes quota
    }
    Map<String, String> metadata =
        version.atLeast(22) ? metadataFilter(query.getFirst("metadata")) : Map.of();
    Sort sort = sort(query);
    int limit =
        query.getFirst("limit") == null
            ? MAX_LIMIT
            : QueryParams.nonNegativeInt("limit", query.getFirst("limit"));
    limit = Math.min(limit, MAX_LIMIT);
    if (!metadata.isEmpty()) {
      return pageMatchingMetadata(
          where.toString(), sort, params, metadata, query, limit, withCount);
    }
    String marker = query.getFirst("marker");
    int start = 0;
    if (marker != null) {
      List<SnapshotId> ids =
          Snapshot.find(where.toString(), sort, params).project(SnapshotId.class).list();
      start = positionAfter(ids.stream().map(SnapshotId::id).toList(), marker);
    } else if (query.getFirst("offset") != null) {
      start = QueryParams.nonNegativeInt("offset", query.getFirst("offset"));
    }
    List<Snapshot> page =
        limit == 0
            ? List.of()
            : Snapshot.<Snapshot>find(where.toString(), sort, params)
                // Rendered, never changed: no snapshots of their state for a change check.
                .withHint(HibernateHints.HINT_READ_ONLY, true)
                .range(start, start + limit - 1)
                .list();
    Long count = withCount ? Snapshot.count(where.toString(), params) : null;
    return new Page(page, limit > 0 && page.size() == limit, count);
  }

  /** Only the ids of the matching snapshots, in page order. */
  record SnapshotId(UUID id) {}

  /**
   * Metadata is one JSON text column, so a metadata filter is matched here, on what the other
   * filters left, and the page cut from that.
   */
  private static Page pageMatchingMetadata(
      String where,
      Sort sort,
      Map<String, Object> params,
      Map<String, String> metadata,
      MultivaluedMap<String, String> query,
      int limit,
      boolean withCount) {
    List<Snapshot> matching =
        Snapshot.<Snapshot>find(where, sort, params)
            .withHint(HibernateHints.HINT_READ_ONLY, true)
            .stream()
            .filter(s -> s.metadata.entrySet().containsAll(metadata.entrySet()))
            .toList();
    int start = 0;
    String marker = query.getFirst("marker");
    if (marker != null) {
      start = positionAfter(matching.stream().map(s -> s.id).toList(), marker);
    } else if (query.getFirst("offset") != null) {
      start = QueryParams.nonNegativeInt("offset", query.getFirst("offset"));
    }
    int from = Math.min(start, matching.size());
    List<Snapshot> page = matching.subList(from, Math.min(from + limit, matching.size()));
    return new Page(
        page, limit > 0 && page.size() == limit, withCount ? (long) matching.size() : null);
  }

  private static int positionAfter(List<UUID> ids, String marker) {
    UUID id = Volume.parseId(marker);
    for (int i = 0; i < ids.size(); i++) {
      if (ids.get(i).equals(id)) {
        return i + 1;
      }
    }
    throw CinderFault.notFound("Marker " + Echo.cap(marker) + " could not be found.");
  }

  /**
   * Cinder evaluates the filter as a Python literal ({@code {'k': 'v'}}); JSON's spelling is taken
   * too. Anything else matches nothing rather than being an error, as Cinder's string fallback.
   */
  static Map<String, String> metadataFilter(String value) {
    if (value == null || value.isBlank()) {
      return Map.of();
    }
    String json = value.trim().replace('\'', '"');
    try {
      var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
      if (node != null && node.isObject()) {
        Map<String, String> filter = new HashMap<>();
        node.properties().forEach(e -> filter.put(e.getKey(), e.getValue().asText()));
        return filter;
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // falls through: not a mapping
    }
    return Map.of("\u0000", "\u0000"); // matches no snapshot
  }

  private static Sort sort(MultivaluedMap<String, String> query) {
    Sort sort = null;
    for (SortParams.Key key : SortParams.parse(query, SORT_KEYS.keySet())) {
      Sort.Direction direction =
          key.ascending() ? Sort.Direction.Ascending : Sort.Direction.Descending;
      String field = SORT_KEYS.get(key.name());
      sort = sort == null ? Sort.by(field, direction) : sort.and(field, direction);
    }
    // A stable tie-break keeps marker paging exact when timestamps collide.
    return sort.and("id", Sort.Direction.Descending);
  }
}
