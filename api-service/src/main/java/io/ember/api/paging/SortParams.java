package io.ember.api.paging;

import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.quarkus.panache.common.Sort;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cinder's {@code get_sort_params}, once for every list: {@code sort=key[:dir],...} or the legacy
 * {@code sort_key}/{@code sort_dir}; a missing direction is {@code desc}; an empty key ({@code
 * ","}, {@code ":"}) is an invalid one, never a server error.
 */
public final class SortParams {

  /** One sort key and its direction. */
  public record Key(String name, boolean ascending) {}

  private SortParams() {}

  /**
   * The query's sort as a Panache sort; {@code keys}: Cinder's sort key → the entity's field. A
   * stable tie-break on the id keeps marker paging exact when timestamps collide.
   */
  public static Sort sort(MultivaluedMap<String, String> query, Map<String, String> keys) {
    Sort sort = null;
    for (Key key : parse(query, keys.keySet())) {
      Sort.Direction direction =
          key.ascending() ? Sort.Direction.Ascending : Sort.Direction.Descending;
      String field = keys.get(key.name());
      sort = sort == null ? Sort.by(field, direction) : sort.and(field, direction);
    }
    return sort.and("id", Sort.Direction.Descending);
  }

  /** The query's sort keys, each one of {@code allowed}; {@code created_at:desc} by default. */
  public static List<Key> parse(MultivaluedMap<String, String> query, Set<String> allowed) {
    List<Key> keys = new ArrayList<>();
    for (String[] keyDir : pairs(query, "created_at:desc")) {
      String name = keyDir[0];
      if (!allowed.contains(name)) {
        throw CinderFault.invalidInput("Invalid sort key " + Echo.cap(name));
      }
      String dir = keyDir[1].toLowerCase();
      if (!dir.equals("asc") && !dir.equals("desc")) {
        throw CinderFault.invalidInput("Unknown sort direction, must be 'desc' or 'asc'");
      }
      keys.add(new Key(name, dir.equals("asc")));
    }
    return keys;
  }

  /**
   * The query's sort as {key, direction} pairs, not checked (each list checks them with its own
   * messages); a missing direction is {@code desc}; {@code fallback} when the query has none.
   */
  public static List<String[]> pairs(MultivaluedMap<String, String> query, String fallback) {
    String spec = query.getFirst("sort");
    if (spec == null && query.getFirst("sort_key") != null) {
      spec =
          query.getFirst("sort_key")
              + ":"
              + (query.getFirst("sort_dir") == null ? "desc" : query.getFirst("sort_dir"));
    }
    if (spec == null) {
      spec = fallback;
    }
    List<String[]> pairs = new ArrayList<>();
    for (String part : spec.split(",", -1)) {
      String[] keyDir = part.trim().split(":", 2);
      String dir = keyDir.length > 1 && !keyDir[1].isBlank() ? keyDir[1].trim() : "desc";
      pairs.add(new String[] {keyDir[0].trim(), dir});
    }
    return pairs;
  }
}
