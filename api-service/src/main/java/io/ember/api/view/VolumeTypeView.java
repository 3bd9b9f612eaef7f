package io.ember.api.view;

import io.ember.api.type.VolumeType;
import io.ember.api.type.VolumeTypeService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Volume types in Cinder's JSON shapes ({@code api/v3/views/types.py} plus the {@code
 * os-volume-type-access:is_public} the access extension adds to show, list and create): extra specs
 * only the user-visible ones for a caller that is not an admin, {@code qos_specs_id} for admins.
 */
public final class VolumeTypeView {

  private static final String ACCESS = "os-volume-type-access:is_public";

  private final boolean admin;

  public VolumeTypeView(boolean admin) {
    this.admin = admin;
  }

  /** {@code GET /types/{id}} and each type of the list. */
  public Map<String, Object> show(VolumeType t) {
    Map<String, Object> m = core(t);
    m.put("description", t.description);
    m.put("extra_specs", specs(t));
    qos(m, t);
    m.put(ACCESS, t.isPublic);
    return m;
  }

  /** {@code GET /types/default}: no access attribute (the extension finds no cached type). */
  public Map<String, Object> defaultType(VolumeType t) {
    Map<String, Object> m = core(t);
    m.put("description", t.description);
    m.put("extra_specs", specs(t));
    qos(m, t);
    return m;
  }

  /** {@code POST /types}: as Cinder answers it, without {@code qos_specs_id}. */
  public Map<String, Object> created(VolumeType t) {
    Map<String, Object> m = core(t);
    m.put("extra_specs", specs(t));
    m.put("description", t.description);
    m.put(ACCESS, t.isPublic);
    return m;
  }

  /** {@code PUT /types/{id}}: the access extension does not extend the update. */
  public Map<String, Object> updated(VolumeType t) {
    Map<String, Object> m = core(t);
    m.put("extra_specs", specs(t));
    m.put("description", t.description);
    return m;
  }

  public Map<String, Object> list(List<VolumeType> types) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("volume_types", types.stream().map(this::show).toList());
    return body;
  }

  private static Map<String, Object> core(VolumeType t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id.toString());
    m.put("name", t.name);
    m.put("is_public", t.isPublic);
    return m;
  }

  private Map<String, String> specs(VolumeType t) {
    return VolumeTypeService.readable(t.extraSpecs, admin);
  }

  private void qos(Map<String, Object> m, VolumeType t) {
    if (admin) {
      m.put("qos_specs_id", t.qosSpecsId == null ? null : t.qosSpecsId.toString());
    }
  }
}
