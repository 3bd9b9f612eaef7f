package io.ember.api.volumeops;

import com.fasterxml.jackson.core.type.TypeReference;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.flow.ListManageableFlow;
import io.ember.api.microversion.ApiVersion;
import io.ember.api.paging.QueryParams;
import io.ember.api.paging.SortParams;
import io.ember.api.volume.VolumeQuery;
import io.ember.model.RequestContext;
import io.ember.model.contract.Json;
import io.ember.model.contract.ManageableList;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /manageable_volumes[/detail]} and {@code /manageable_snapshots[/detail]} (and their
 * legacy paths): Cinder's {@code get_manageable_resources}. The host answers everything its driver
 * holds; the sort ({@code reference} or {@code size}, {@code reference:desc} by default), marker,
 * offset and limit are applied here, as Cinder's {@code paginate_entries_list}.
 */
@ApplicationScoped
public class ManageableListing {

  @Inject ListManageableFlow flow;

  /** One sort key of the listing. */
  private record Key(String name, boolean ascending) {}

  public Uni<Map<String, Object>> list(
      RequestContext caller,
      ApiVersion version,
      MultivaluedMap<String, String> query,
      boolean snapshots,
      boolean detail) {
    AdminPolicy.requireRule(
        caller,
        snapshots ? "snapshot_extension:list_manageable" : "volume_extension:list_manageable");
    String cluster = version.atLeast(17) ? query.getFirst("cluster") : null;
    String host = query.getFirst("host");
    boolean hasCluster = cluster != null && !cluster.isEmpty();
    if (hasCluster == (host != null && !host.isEmpty())) {
      throw CinderFault.invalidInput(
          version.atLeast(17)
              ? "One and only one of cluster and host must be set."
              : "Host field is missing.");
    }
    if (hasCluster) {
      throw CinderFault.notFound(
          "Service cinder-volume could not be found on host " + Echo.cap(cluster) + ".");
    }
    String marker = query.getFirst("marker");
    int limit =
        query.getFirst("limit") == null
            ? VolumeQuery.MAX_LIMIT
            : Math.min(
                QueryParams.nonNegativeInt("limit", query.getFirst("limit")),
                VolumeQuery.MAX_LIMIT);
    int offset =
        query.getFirst("offset") == null
            ? 0
            : QueryParams.nonNegativeInt("offset", query.getFirst("offset"));
    List<Key> keys = sortKeys(query);
    Map<String, String> markerRef = marker == null ? null : markerRef(marker);
    return flow.run(new ListManageableFlow.Context(caller, host, snapshots))
        .map(
            done -> {
              List<ManageableList.Item> items = new ArrayList<>(done.listed().items());
              items.sort(comparator(keys));
              int start = 0;
              if (markerRef != null) {
                start = -1;
                for (int i = 0; i < items.size(); i++) {
                  if (items.get(i).reference().equals(markerRef)) {
                    start = i + 1;
                    break;
                  }
                }
                if (start < 0) {
                  throw CinderFault.invalidInput("marker not found: " + Echo.cap(marker));
                }
              }
              int from = Math.min(items.size(), start + offset);
              int to = Math.min(items.size(), start + offset + limit);
              List<Map<String, Object>> shown =
                  items.subList(from, to).stream()
                      .map(item -> view(item, snapshots, detail))
                      .toList();
              return Map.of(snapshots ? "manageable-snapshots" : "manageable-volumes", shown);
            });
  }

  private static Map<String, String> markerRef(String marker) {
    try {
      return Json.MAPPER.readValue(marker, new TypeReference<Map<String, String>>() {});
    } catch (Exception e) {
      throw CinderFault.invalidInput(
          "marker " + Echo.cap(marker) + " can not be analysed, please use json like format");
    }
  }

  /** Cinder's {@code get_sort_params} with its listing's own checks and messages. */
  private static List<Key> sortKeys(MultivaluedMap<String, String> query) {
    List<Key> keys = new ArrayList<>();
    List<String> badKeys = new ArrayList<>();
    List<String> badDirs = new ArrayList<>();
    for (String[] keyDir : SortParams.pairs(query, "reference:desc")) {
      String name = keyDir[0];
      String dir = keyDir[1];
      if (!name.equals("reference") && !name.equals("size")) {
        badKeys.add(name);
      }
      if (!dir.equals("asc") && !dir.equals("desc")) {
        badDirs.add(dir);
      }
      keys.add(new Key(name, dir.equals("asc")));
    }
    if (!badKeys.isEmpty()) {
      throw CinderFault.badRequest(
          "Invalid sort keys passed: " + Echo.cap(String.join(", ", badKeys)));
    }
    if (!badDirs.isEmpty()) {
      throw CinderFault.badRequest(
          "Invalid sort dirs passed: " + Echo.cap(String.join(", ", badDirs)));
    }
    return keys;
  }

  /** A reference compares as Cinder's does: by the smallest of its values. */
  private static Comparator<ManageableList.Item> comparator(List<Key> keys) {
    Comparator<ManageableList.Item> all = (a, b) -> 0;
    for (Key key : keys) {
      Comparator<ManageableList.Item> one =
          key.name().equals("size")
              ? Comparator.comparingInt(ManageableList.Item::size)
              : Comparator.comparing(item -> smallest(item.reference()));
      all = all.thenComparing(key.ascending() ? one : one.reversed());
    }
    return all;
  }

  private static String smallest(Map<String, String> reference) {
    return reference.values().stream().sorted().findFirst().orElse("");
  }

  /** Cinder's manageable views: the summary, and the detail's three more fields. */
  private static Map<String, Object> view(
      ManageableList.Item item, boolean snapshots, boolean detail) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reference", new TreeMap<>(item.reference()));
    m.put("size", item.size());
    m.put("safe_to_manage", item.safeToManage());
    if (snapshots) {
      m.put("source_reference", item.sourceReference());
    }
    if (detail) {
      m.put("reason_not_safe", item.reasonNotSafe());
      m.put("cinder_id", item.cinderId());
      m.put("extra_info", item.extraInfo());
    }
    return m;
  }
}
