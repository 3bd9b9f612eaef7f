package io.ember.api.paging;

import io.ember.api.fault.CinderFault;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a sorted list filtered in memory, cut by {@code marker} (or {@code offset}) and
 * {@code limit} as Cinder's {@code get_pagination_params}; {@code hasNext}: a full page.
 */
public record MarkerPage<T>(List<T> items, boolean hasNext) {

  private static final int MAX_LIMIT = 1000;

  public static <T> MarkerPage<T> of(
      List<T> matching, MultivaluedMap<String, String> query, Function<T, String> id) {
    int start = 0;
    String marker = query.getFirst("marker");
    if (marker != null) {
      start = -1;
      for (int i = 0; i < matching.size(); i++) {
        if (id.apply(matching.get(i)).equals(marker)) {
          start = i + 1;
        }
      }
      if (start < 0) {
        throw CinderFault.notFound("Marker " + marker + " could not be found.");
      }
    } else if (query.getFirst("offset") != null) {
      start = QueryParams.nonNegativeInt("offset", query.getFirst("offset"));
    }
    int limit =
        query.getFirst("limit") == null
            ? MAX_LIMIT
            : Math.min(QueryParams.nonNegativeInt("limit", query.getFirst("limit")), MAX_LIMIT);
    List<T> page =
        start >= matching.size()
            ? List.of()
            : matching.subList(start, Math.min(matching.size(), start + limit));
    return new MarkerPage<>(List.copyOf(page), limit > 0 && page.size() == limit);
  }
}
