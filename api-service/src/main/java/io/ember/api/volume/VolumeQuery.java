package io.ember.api.volume;

import io.ember.api.fault.CinderFault;
import io.ember.api.paging.SortParams;
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
 * The volume list as Cinder's {@code GET /volumes[/detail]} answers it: the caller's project
 * (admins with {@code all_tenants} see every project), filters, sort, and marker/limit paging done
 * in the database (only the marker's position needs the ids before it).
 */
@ApplicationScoped
public class VolumeQuery {

  /** Cinder's {@code osapi_max_limit}. */
  public static final int MAX_LIMIT = 1000;

  private static final Map<String, String> SORT_KEYS =
      Map.of(
          "created_at", "createdAt",
          "updated_at", "updatedAt",
          "id", "id",
          "name", "name",
          "size", "size",
          "status", "status",
          "availability_zone", "availabilityZone");

  private static final Set<String> FILTERS = Set.of("name", "status", "availability_zone", "size");

  /** One page, and whether there may be a next one. */
  public record Page(List<Volume> volumes, boolean hasNext, Long count) {}

  public Page list(RequestContext caller, MultivaluedMap<String, String> query, boolean withCount) {
    StringBuilder where = new StringBuilder("1 = 1");
    Map<String, Object> params = new HashMap<>();
    boolean allTenants = caller.isAdmin() && truthy(query.getFirst("all_tenants"));
    if (!allTenants) {
      where.append(" and projectId = :project");
      params.put("project", caller.projectId());
    }
    for (String filter : FILTERS) {
      String value = query.getFirst(filter);
      if (value == null) {
        continue;
      }
      String field = SORT_KEYS.get(filter);
      if (filter.equals("size")) {
        where.append(" and size = :size");
        params.put("size", parseInt("size", value));
      } else {
        where.append(" and ").append(field).append(" = :").append(filter);
        params.put(filter, value);
      }
    }
    Sort sort = sort(query);
    long total = withCount ? Volume.count(where.toString(), params) : -1;
    String marker = query.getFirst("marker");
    int start = 0;
    if (marker != null) {
      start = positionAfter(where.toString(), sort, params, marker);
    } else if (query.getFirst("offset") != null) {
      start = parseInt("offset", query.getFirst("offset"));
    }
    int limit =
        query.getFirst("limit") == null ? MAX_LIMIT : parseInt("limit", query.getFirst("limit"));
    limit = Math.min(limit, MAX_LIMIT);
    List<Volume> page =
        limit == 0
            ? List.of()
            : Volume.<Volume>find(where.toString(), sort, params)
                // Rendered, never changed: no snapshots of their state for a change check.
                .withHint(HibernateHints.HINT_READ_ONLY, true)
                .range(start, start + limit - 1)
                .list();
    boolean hasNext = page.size() == limit && limit > 0;
    return new Page(page, hasNext, withCount ? total : null);
  }

  /** Only the ids of the matching volumes, in page order. */
  record VolumeId(UUID id) {}

  /** Where the page after {@code marker} starts; reads ids only, not whole volumes. */
  private static int positionAfter(
      String where, Sort sort, Map<String, Object> params, String marker) {
    UUID id;
    try {
      id = UUID.fromString(marker);
    } catch (IllegalArgumentException e) {
      id = null;
    }
    List<VolumeId> ids = Volume.find(where, sort, params).project(VolumeId.class).list();
    for (int i = 0; i < ids.size(); i++) {
      if (ids.get(i).id().equals(id)) {
        return i + 1;
      }
    }
    throw CinderFault.notFound(
        "Marker " + io.ember.api.fault.Echo.cap(marker) + " could not be found.");
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

  private static int parseInt(String name, String value) {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw CinderFault.badRequest(name + " param must be an integer");
    }
  }

  private static boolean truthy(String value) {
    return value != null
        && Set.of("1", "true", "yes", "on", "y", "t").contains(value.toLowerCase());
  }
}
