package io.ember.api.transfer;

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
import java.util.Set;
import java.util.UUID;
import org.hibernate.jpa.HibernateHints;

/**
 * The transfer list as Cinder's {@code GET /volume-transfers[/detail]} answers it: the transfers of
 * the caller's project's volumes (admins with {@code all_tenants}: all), filtered by the record's
 * fields ({@code name} is {@code display_name}). From 3.59 marker and sort as every list (newest
 * first by default; before, oldest first); {@code limit} and {@code offset} at every version.
 */
@ApplicationScoped
public class TransferQuery {

  /** Cinder's {@code osapi_max_limit}. */
  private static final int MAX_LIMIT = 1000;

  /** Query parameters that page or scope the list rather than filter it. */
  private static final Set<String> PAGING =
      Set.of("limit", "offset", "marker", "sort", "sort_key", "sort_dir", "all_tenants");

  /** Filter → entity field; the record's other fields are no filters Ember offers. */
  private static final Map<String, String> FILTERS =
      Map.of(
          "id", "id",
          "volume_id", "volumeId",
          "display_name", "name",
          "no_snapshots", "noSnapshots",
          "accepted", "accepted",
          "source_project_id", "sourceProjectId",
          "destination_project_id", "destinationProjectId");

  private static final Map<String, String> SORT_KEYS =
      Map.of(
          "created_at", "createdAt",
          "id", "id",
          "name", "name",
          "display_name", "name",
          "volume_id", "volumeId");

  /** One page, and whether there may be a next one. */
  public record Page(List<Transfer> transfers, boolean hasNext) {}

  public Page list(
      RequestContext caller, ApiVersion version, MultivaluedMap<String, String> query) {
    StringBuilder where = new StringBuilder("1 = 1");
    Map<String, Object> params = new HashMap<>();
    if (!(caller.isAdmin() && QueryParams.truthy(query.getFirst("all_tenants")))) {
      where.append(" and sourceProjectId = :project");
      params.put("project", caller.projectId());
    }
    for (String key : query.keySet()) {
      if (PAGING.contains(key)) {
        continue;
      }
      String filter = "name".equals(key) ? "display_name" : key;
      String field = FILTERS.get(filter);
      if (field == null) {
        // Cinder's is_valid_model_filters: a key that is no field of the record matches nothing.
        return new Page(List.of(), false);
      }
      Object value = value(filter, query.getFirst(key));
      if (value == null) {
        where.append(" and ").append(field).append(" is null");
      } else {
        where.append(" and ").append(field).append(" = :").append(field);
        params.put(field, value);
      }
    }
    Sort sort = sort(version, query);
    int limit =
        query.getFirst("limit") == null
            ? MAX_LIMIT
            : Math.min(QueryParams.nonNegativeInt("limit", query.getFirst("limit")), MAX_LIMIT);
    List<Transfer> matching =
        Transfer.<Transfer>find(where.toString(), sort, params)
            .withHint(HibernateHints.HINT_READ_ONLY, true)
            .list();
    int start = 0;
    String marker = version.atLeast(59) ? query.getFirst("marker") : null;
    if (marker != null) {
      start = positionAfter(matching, marker);
    } else if (query.getFirst("offset") != null) {
      start = QueryParams.nonNegativeInt("offset", query.getFirst("offset"));
    }
    int from = Math.min(start, matching.size());
    List<Transfer> page = matching.subList(from, Math.min(from + limit, matching.size()));
    return new Page(page, query.getFirst("limit") != null && limit > 0 && page.size() == limit);
  }

  /** A filter's value as its field holds it; null for a value no transfer can have. */
  private static Object value(String filter, String text) {
    return switch (filter) {
      case "id", "volume_id" -> {
        UUID id = Volume.parseId(text);
        // No transfer has an id that is no UUID: compared to a fresh one, it matches nothing.
        yield id == null ? UUID.randomUUID() : id;
      }
      case "no_snapshots", "accepted" -> QueryParams.truthy(text);
      default -> text;
    };
  }

  /**
   * Before 3.59 Cinder lists oldest first whatever is asked; from 3.59 its sort parameters, newest
   * first by default.
   */
  private static Sort sort(ApiVersion version, MultivaluedMap<String, String> query) {
    if (!version.atLeast(59)) {
      return Sort.by("createdAt", Sort.Direction.Ascending).and("id", Sort.Direction.Ascending);
    }
    Sort sort = null;
    for (SortParams.Key key : SortParams.parse(query, SORT_KEYS.keySet())) {
      Sort.Direction direction =
          key.ascending() ? Sort.Direction.Ascending : Sort.Direction.Descending;
      String field = SORT_KEYS.get(key.name());
      sort = sort == null ? Sort.by(field, direction) : sort.and(field, direction);
    }
    return sort.and("id", Sort.Direction.Ascending);
  }

  private static int positionAfter(List<Transfer> transfers, String marker) {
    UUID id = Volume.parseId(marker);
    for (int i = 0; i < transfers.size(); i++) {
      if (transfers.get(i).id.equals(id)) {
        return i + 1;
      }
    }
    throw CinderFault.notFound("Marker " + Echo.cap(marker) + " could not be found.");
  }
}
