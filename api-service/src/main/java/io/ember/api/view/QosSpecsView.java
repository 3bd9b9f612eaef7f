package io.ember.api.view;

import io.ember.api.qos.QosAssociation;
import io.ember.api.qos.QosSpecs;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** QoS specs as Cinder's {@code api/views/qos_specs.py} renders them. */
public class QosSpecsView {

  private final URI base;
  private final String projectId;

  public QosSpecsView(URI base, String projectId) {
    this.base = base;
    this.projectId = projectId;
  }

  /** Create and show: the spec and its links. */
  public Map<String, Object> detail(QosSpecs spec) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("qos_specs", summary(spec));
    body.put(
        "links",
        List.of(
            Map.of("rel", "self", "href", base + "v3/" + projectId + "/qos-specs/" + spec.id()),
            Map.of("rel", "bookmark", "href", base + projectId + "/qos-specs/" + spec.id())));
    return body;
  }

  /** A list item: the spec without links. */
  public Map<String, Object> summary(QosSpecs spec) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", spec.id().toString());
    v.put("name", spec.name());
    v.put("consumer", spec.consumer());
    v.put("specs", spec.specs());
    return v;
  }

  /** {@code qos_specs_links} with the next page, as Cinder's {@code _get_collection_links}. */
  public List<Map<String, String>> nextLink(QosSpecs last, int limit) {
    return List.of(
        Map.of(
            "rel",
            "next",
            "href",
            base + "v3/" + projectId + "/qos-specs?limit=" + limit + "&marker=" + last.id()));
  }

  /** {@code GET /qos-specs/{id}/associations}. */
  public Map<String, Object> associations(List<QosAssociation> types) {
    return Map.of(
        "qos_associations",
        types.stream()
            .map(
                t -> {
                  Map<String, Object> v = new LinkedHashMap<>();
                  v.put("association_type", "volume_type");
                  v.put("name", t.name());
                  v.put("id", t.id().toString());
                  return v;
                })
            .toList());
  }
}
