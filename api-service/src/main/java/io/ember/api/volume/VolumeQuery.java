package io.ember.api.volume;

import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.microversion.ApiVersion;
import io.ember.api.paging.QueryParams;
import io.ember.api.paging.SortParams;
import io.ember.model.RequestContext;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

  /** Cinder's {@code resource_filters.json} for volumes: what a non-admin may filter on. */
  private static final Set<String> USER_FILTERS =
      Set.of(
          "name",
          "status",
          "metadata",
          "bootable",
          "migration_status",
          "availability_zone",
          "group_id",
          "size",
          "created_at",
          "updated_at",
          "consumes_quota");

  /** Query parameters that are paging, sorting or scope, never filters. */
  private static final Set<String> NOT_FILTERS =
      Set.of(
          "all_tenants",
          "sort",
          "sort_key",
          "sort_dir",
          "limit",
          "marker",
          "offset",
          "with_count",
          "project_id");

  /** The columns the equality and {@code ~} (like, 3.34) filters read. */
  private static final Map<String, String> TEXT_FILTERS =
      Map.of("name", "name", "status", "status", "availability_zone", "availabilityZone");

  private static final Set<String> TRUE_WORDS = Set.of("1", "t", "true", "on", "y", "yes");
  private static final Set<String> FALSE_WORDS = Set.of("0", "f", "false", "off", "n", "no");

  /** One page, and whether there may be a next one. */
  public record Page(List<Volume> volumes, boolean hasNext, Long count) {}

  public Page list(
      RequestContext caller,
      ApiVersion version,
      MultivaluedMap<String, String> query,
      boolean withCount) {
    StringBuilder where = new StringBuilder("1 = 1");
    Map<String, Object> params = new HashMap<>();
    scope(caller, query, where, params);
    Set<String> filters = new TreeSet<>(query.keySet());
    filters.removeAll(NOT_FILTERS);
    if (!version.atLeast(4)) {
      filters.remove("glance_metadata"); // a 3.4 filter: dropped before, as Cinder does
    }
    rejectInvalidFilters(caller, version, filters);
    int n = 0;
    for (String filter : filters) {
      String value = query.getFirst(filter);
      String param = "f" + n++;
      boolean like = filter.endsWith("~") && version.atLeast(34);
      String name = like ? filter.substring(0, filter.length() - 1) : filter;
      if (TEXT_FILTERS.containsKey(name)) {
        String field = TEXT_FILTERS.get(name);
        if (like) {
          where.append(" and ").append(field).append(" like :").append(param).append(" escape '!'");
          params.put(param, "%" + likeEscaped(value) + "%");
        } else {
          where.append(" and ").append(field).append(" = :").append(param);
          params.put(param, value);
        }
      } else if (name.equals("size") && !like) {
        where.append(" and size = :").append(param);
        params.put(param, QueryParams.nonNegativeInt("size", value));
      } else if (name.equals("bootable") && !like) {
        where.append(" and bootable = :").append(param);
        params.put(param, bootable(value, version));
      } else if (name.equals("group_id") && !like && version.atLeast(10)) {
        // An id that is no UUID names no group: nothing matches it.
        where.append(" and groupId = :").append(param);
        UUID group = Volume.parseId(value);
        params.put(param, group == null ? new UUID(0, 0) : group);
      } else if (name.equals("metadata") && !like) {
        pairsIn("metadataText", FilterValues.dict(name, value), param, where, params);
      } else if (name.equals("glance_metadata") && !like) {
        // Cinder's volume_glance_metadata: what the volume took from its image.
        pairsIn("imageMetadataText", FilterValues.dict(name, value), param, where, params);
      }
      // Any other filter (an admin's, or one Cinder drops before the database) selects nothing
      // more: Ember keeps no migrations or time filters yet.
    }
    Sort sort = sort(query);
    long total = withCount ? Volume.count(where.toString(), params) : -1;
    String marker = query.getFirst("marker");
    int start = 0;
    if (marker != null) {
      start = positionAfter(where.toString(), sort, params, marker);
    } else if (query.getFirst("offset") != null) {
      start = QueryParams.nonNegativeInt("offset", query.getFirst("offset"));
    }
    int limit =
        query.getFirst("limit") == null
            ? MAX_LIMIT
            : QueryParams.nonNegativeInt("limit", query.getFirst("limit"));
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

  /**
   * Every pair of {@code pairs} in the compact JSON of {@code field}: a pair is its key and value,
   * quoted and escaped, in a row.
   */
  private static void pairsIn(
      String field,
      Map<String, String> pairs,
      String param,
      StringBuilder where,
      Map<String, Object> params) {
    int m = 0;
    for (Map.Entry<String, String> pair : pairs.entrySet()) {
      String p = param + "m" + m++;
      where.append(" and ").append(field).append(" like :").append(p).append(" escape '!'");
      params.put(p, "%" + likeEscaped(FilterValues.jsonPair(pair)) + "%");
    }
  }

  /**
   * The caller's project; with {@code all_tenants}, an admin's every project, or the one named by
   * {@code project_id} (Cinder keeps that as a filter once {@code all_tenants} is taken out).
   */
  private static void scope(
      RequestContext caller,
      MultivaluedMap<String, String> query,
      StringBuilder where,
      Map<String, Object> params) {
    boolean allTenants = caller.isAdmin() && QueryParams.truthy(query.getFirst("all_tenants"));
    String project = allTenants ? query.getFirst("project_id") : caller.projectId();
    if (project != null) {
      where.append(" and projectId = :project");
      params.put("project", project);
    }
  }

  /** Cinder's volume summary (3.12): how many, how large, and (3.36) each metadata key's values. */
  public record Summary(long count, long size, Map<String, List<String>> metadata) {}

  /** {@code GET /volumes/summary} over the same scope as the list (filters are not applied). */
  public Summary summary(RequestContext caller, MultivaluedMap<String, String> query) {
    StringBuilder where = new StringBuilder("1 = 1");
    Map<String, Object> params = new HashMap<>();
    scope(caller, query, where, params);
    long count = 0;
    long size = 0;
    Map<String, List<String>> metadata = new java.util.TreeMap<>();
    List<Volume> volumes =
        Volume.<Volume>find(where.toString(), params)
            .withHint(HibernateHints.HINT_READ_ONLY, true)
            .list();
    for (Volume v : volumes) {
      count++;
      size += v.size;
      v.metadata.forEach(
          (key, value) -> {
            List<String> values = metadata.computeIfAbsent(key, k -> new java.util.ArrayList<>());
            if (!values.contains(value)) {
              values.add(value);
            }
          });
    }
    return new Summary(count, size, metadata);
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

  /**
   * Cinder's {@code reject_invalid_filters} from 3.31: a non-admin may only use the configured
   * filters; {@code all_tenants} is forgiven (the clients always send it). Before 3.31 unknown
   * filters are dropped, as Cinder's {@code remove_invalid_filter_options} does.
   */
  private static void rejectInvalidFilters(
      RequestContext caller, ApiVersion version, Set<String> filters) {
    for (String filter : filters) {
      if (!StandardCharsets.US_ASCII.newEncoder().canEncode(filter)) {
        throw CinderFault.badRequest("Filter keys can only contain ASCII characters.");
      }
    }
    if (caller.isAdmin()) {
      return;
    }
    List<String> invalid = filters.stream().filter(f -> !USER_FILTERS.contains(f)).toList();
    if (invalid.isEmpty()) {
      return;
    }
    if (version.atLeast(31)) {
      throw CinderFault.badRequest(
          "Invalid filters "
              + Echo.cap(String.join(",", invalid))
              + " are found in query options.");
    }
    filters.removeAll(invalid);
  }

  /** Cinder's {@code _check_boolean_filter_value}: strict from 3.2, else Python's truth. */
  private static boolean bootable(String value, ApiVersion version) {
    if (version.atLeast(2)) {
      String word = value.toLowerCase(java.util.Locale.ROOT);
      if (TRUE_WORDS.contains(word)) {
        return true;
      }
      if (FALSE_WORDS.contains(word)) {
        return false;
      }
      throw CinderFault.invalidInput("'bootable = " + Echo.cap(value) + "'");
    }
    return !Set.of("False", "false", "FALSE", "").contains(value);
  }

  /** {@code text} matched literally by LIKE with escape character {@code !}. */
  private static String likeEscaped(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }
}
