package io.ember.api.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.config.ApiConfig;
import io.ember.api.fault.CinderFault;
import io.ember.api.outbound.VolumeTypeNotifications;
import io.ember.api.paging.MarkerPage;
import io.ember.api.paging.SortParams;
import io.ember.api.quota.QuotaService;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.model.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Volume types, their extra specs and who may use a private one, with Cinder's rules ({@code
 * volume/volume_types.py}, {@code api/contrib/types_manage.py}, {@code types_extra_specs.py},
 * {@code volume_type_access.py}) and default policy: writes are for admins; a project sees the
 * public types and the private ones opened to it.
 */
@ApplicationScoped
public class VolumeTypeService {

  private static final Logger LOG = Logger.getLogger(VolumeTypeService.class);

  /** The extra specs a caller that is not an admin sees ({@code policies/type_extra_specs.py}). */
  public static final Set<String> USER_VISIBLE_EXTRA_SPECS =
      Set.of("RESKEY:availability_zones", "multiattach", "replication_enabled");

  static final Map<String, String> SORT_KEYS =
      Map.of(
          "created_at", "createdAt",
          "updated_at", "updatedAt",
          "id", "id",
          "name", "name",
          "description", "description",
          "is_public", "isPublic");

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject VolumeTypeNotifications notifications;
  @Inject ApiConfig config;
  @Inject QuotaService quotas;

  /** One page of types, and whether there may be a next one. */
  public record Page(List<VolumeType> types, boolean hasNext) {}

  /** {@code GET /types}: filters, sort, marker/limit/offset as Cinder's. */
  @Transactional
  public Page list(RequestContext caller, MultivaluedMap<String, String> query) {
    Boolean isPublic = Boolean.TRUE;
    if (caller.isAdmin()) {
      isPublic = parseIsPublic(query.getFirst("is_public"));
    }
    String name = caller.isAdmin() ? query.getFirst("name") : null;
    Map<String, String> specsFilter =
        caller.isAdmin() ? specsFilter(query.getFirst("extra_specs")) : Map.of();
    List<VolumeType> all = VolumeType.listAll(SortParams.sort(query, SORT_KEYS));
    List<VolumeType> matching = new ArrayList<>();
    for (VolumeType type : all) {
      if (isPublic != null) {
        boolean ok =
            isPublic ? type.isPublic || type.projects.contains(caller.projectId()) : !type.isPublic;
        if (!ok) {
          continue;
        }
      }
      if (name != null && !name.equals(type.name)) {
        continue;
      }
      if (!specsMatch(type, specsFilter)) {
        continue;
      }
      matching.add(type);
    }
    MarkerPage<VolumeType> page = MarkerPage.of(matching, query, t -> t.id.toString());
    return new Page(page.items(), page.hasNext());
  }

  /**
   * {@code GET /types/{id}}: by id, as Cinder's v3 show (the clients find names through the list).
   */
  @Transactional
  public VolumeType show(String id, RequestContext caller) {
    return visible(id, caller);
  }

  /** {@code GET /types/default}: the configured default type. */
  @Transactional
  public VolumeType defaultType() {
    VolumeType type = VolumeType.find("name", config.defaultVolumeType()).firstResult();
    if (type == null) {
      throw CinderFault.notFound("Default volume type can not be found.");
    }
    return type;
  }

  @Transactional
  public VolumeType create(JsonNode body, RequestContext caller) {
    AdminPolicy.requireRule(caller, "volume_extension:type_create");
    VolumeTypeFields.NewType request = VolumeTypeFields.create(body);
    if (VolumeType.count("name", request.name()) > 0) {
      throw exists(request.name());
    }
    VolumeType type = new VolumeType();
    type.id = UUID.randomUUID();
    type.name = request.name();
    type.description = request.description();
    type.isPublic = request.isPublic();
    type.extraSpecs.putAll(request.extraSpecs());
    type.createdAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
    type.persist();
    notifications.type(caller, type, "volume_type.create", false);
    LOG.infof("volume type %s (%s) created", type.id, type.name);
    return type;
  }

  @Transactional
  public VolumeType update(String id, JsonNode body, RequestContext caller) {
    AdminPolicy.requireRule(caller, "volume_extension:type_update");
    VolumeTypeFields.TypeChange change = VolumeTypeFields.update(body);
    VolumeType type = visible(id, caller);
    if (change.name() != null && !change.name().equals(type.name)) {
      if (VolumeType.count("name", change.name()) > 0) {
        throw exists(change.name());
      }
      quotas.renameType(type.name, change.name());
      type.name = change.name();
    }
    if (change.description() != null) {
      type.description = change.description();
    }
    if (change.isPublic() != null) {
      type.isPublic = change.isPublic();
    }
    type.updatedAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
    notifications.type(caller, type, "volume_type.update", false);
    LOG.infof("volume type %s updated", type.id);
    return type;
  }

  @Transactional
  public void delete(String id, RequestContext caller) {
    AdminPolicy.requireRule(caller, "volume_extension:type_delete");
    VolumeType type = visible(id, caller);
    if (type.name.equals(config.defaultVolumeType())) {
      throw CinderFault.badRequest(
          "The volume type " + type.id + " is a default volume type and cannot be deleted.");
    }
    if (inUse(type)) {
      throw CinderFault.badRequest("Target volume type is still in use.");
    }
    notifications.type(caller, type, "volume_type.delete", true);
    type.delete();
    LOG.infof("volume type %s (%s) deleted", type.id, type.name);
  }

  /** {@code GET /types/{id}/extra_specs}: all of them for admins, the user-visible ones else. */
  @Transactional
  public Map<String, String> extraSpecs(String id, RequestContext caller) {
    return readable(visible(id, caller).extraSpecs, caller);
  }

  @Transactional
  public Map<String, String> extraSpec(String id, String key, RequestContext caller) {
    VolumeType type = visible(id, caller);
    Map<String, String> specs = readable(type.extraSpecs, caller);
    if (!specs.containsKey(key)) {
      throw noSuchSpec(type.id.toString(), key);
    }
    Map<String, String> one = new LinkedHashMap<>();
    one.put(key, specs.get(key));
    return one;
  }

  /** {@code POST /types/{id}/extra_specs}: sets (adds or replaces) the given specs. */
  @Transactional
  public Map<String, String> setExtraSpecs(String id, JsonNode body, RequestContext caller) {
    AdminPolicy.requireRule(caller, "volume_extension:types_extra_specs:create");
    VolumeType type = visible(id, caller);
    refuseWhileInUse(type);
    Map<String, String> specs = VolumeTypeFields.extraSpecs(body);
    type.extraSpecs.putAll(specs);
    type.updatedAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
    notifications.specsCreated(caller, type, specs);
    return specs;
  }

  /** {@code PUT /types/{id}/extra_specs/{key}}: {@code {"<key>": "<value>"}}. */
  @Transactional
  public Map<String, String> updateExtraSpec(
      String id, String key, JsonNode body, RequestContext caller) {
    AdminPolicy.requireRule(caller, "volume_extension:types_extra_specs:update");
    VolumeType type = visible(id, caller);
    refuseWhileInUse(type);
    Map<String, String> spec = VolumeTypeFields.oneSpec(body, key);
    type.extraSpecs.putAll(spec);
    type.updatedAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
    notifications.specChanged(caller, type, key, "volume_type_extra_specs.update");
    return spec;
  }

  @Transactional
  public void deleteExtraSpec(String id, String key, RequestContext caller) {
    VolumeType type = visible(id, caller);
    AdminPolicy.requireRule(caller, "volume_extension:types_extra_specs:delete");
    refuseWhileInUse(type);
    if (!type.extraSpecs.containsKey(key)) {
      throw noSuchSpec(id, key);
    }
    type.extraSpecs.remove(key);
    type.updatedAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
    notifications.specChanged(caller, type, key, "volume_type_extra_specs.delete");
  }

  /** {@code GET /types/{id}/os-volume-type-access}: the projects of a private type (admins). */
  @Transactional
  public List<String> accessList(String id, RequestContext caller) {
    AdminPolicy.requireRule(caller, "volume_extension:volume_type_access:get_all_for_type");
    VolumeType type = visible(id, caller);
    if (type.isPublic) {
      throw CinderFault.notFound("Access list not available for public volume types.");
    }
    return type.projects.stream().sorted().toList();
  }

  @Transactional
  public void addAccess(String id, JsonNode action, RequestContext caller) {
    AdminPolicy.requireRule(caller, "volume_extension:volume_type_access:addProjectAccess");
    String project = VolumeTypeFields.project(action);
    VolumeType type = visible(id, caller);
    refusePublic(type);
    if (!type.projects.add(project)) {
      throw new CinderFault(
          409,
          "Volume type access for " + type.id + " / " + project + " combination already exists.");
    }
    LOG.infof("volume type %s opened to project %s", type.id, project);
  }

  @Transactional
  public void removeAccess(String id, JsonNode action, RequestContext caller) {
    AdminPolicy.requireRule(caller, "volume_extension:volume_type_access:removeProjectAccess");
    String project = VolumeTypeFields.project(action);
    VolumeType type = visible(id, caller);
    refusePublic(type);
    if (!type.projects.remove(project)) {
      throw CinderFault.notFound(
          "Volume type access not found for " + type.id + " / " + project + " combination.");
    }
    LOG.infof("volume type %s closed to project %s", type.id, project);
  }

  /** The type of that id if the caller may see it, else Cinder's 404. */
  private static VolumeType visible(String id, RequestContext caller) {
    UUID uuid = VolumeTypeCatalog.parse(id);
    VolumeType type = uuid == null ? null : VolumeType.findById(uuid);
    if (type == null || !(caller.isAdmin() || type.visibleTo(caller.projectId()))) {
      throw notFound(id);
    }
    return type;
  }

  public static CinderFault notFound(String id) {
    return CinderFault.notFound("Volume type " + id + " could not be found.");
  }

  private static CinderFault exists(String name) {
    return new CinderFault(409, "Volume Type " + name + " already exists.");
  }

  private static CinderFault noSuchSpec(String id, String key) {
    return CinderFault.notFound("Volume Type " + id + " has no extra specs with key " + key + ".");
  }

  private static void refusePublic(VolumeType type) {
    if (type.isPublic) {
      throw CinderFault.badRequest(
          "Invalid volume type: Type access modification is not applicable to public volume"
              + " type.");
    }
  }

  private static boolean inUse(VolumeType type) {
    return Volume.count("volumeTypeId", type.id) > 0;
  }

  /** Cinder refuses extra spec changes of a type volumes use ({@code _allow_update}). */
  private static void refuseWhileInUse(VolumeType type) {
    if (inUse(type)) {
      throw CinderFault.badRequest("Volume Type is currently in use.");
    }
  }

  /** The specs the caller may read ({@code read_sensitive} is for admins). */
  public static Map<String, String> readable(Map<String, String> specs, RequestContext caller) {
    return readable(specs, caller.isAdmin());
  }

  public static Map<String, String> readable(Map<String, String> specs, boolean admin) {
    Map<String, String> shown = new LinkedHashMap<>();
    specs.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .filter(e -> admin || USER_VISIBLE_EXTRA_SPECS.contains(e.getKey()))
        .forEach(e -> shown.put(e.getKey(), e.getValue()));
    return shown;
  }

  /**
   * Cinder's {@code _parse_is_public}: absent → public (and the caller's private ones), "None" →
   * all.
   */
  static Boolean parseIsPublic(String value) {
    if (value == null) {
      return Boolean.TRUE;
    }
    if (value.equalsIgnoreCase("none")) {
      return null;
    }
    if (Set.of("true", "1", "on", "yes", "y", "t").contains(value.toLowerCase())) {
      return Boolean.TRUE;
    }
    if (Set.of("false", "0", "off", "no", "n", "f").contains(value.toLowerCase())) {
      return Boolean.FALSE;
    }
    throw CinderFault.badRequest("Invalid is_public filter [" + value + "]");
  }

  /** The {@code extra_specs} filter: a dict literal ({@code {'k': 'v'}}) or JSON. */
  private static Map<String, String> specsFilter(String value) {
    if (value == null) {
      return Map.of();
    }
    try {
      JsonNode node = JSON.readTree(value.replace('\'', '"'));
      Map<String, String> filter = new LinkedHashMap<>();
      if (node.isObject()) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          filter.put(
              e.getKey(),
              e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
        }
        return filter;
      }
    } catch (Exception e) {
      // not a dict: no type matches it
    }
    return Map.of("", "\u0000");
  }

  private static boolean specsMatch(VolumeType type, Map<String, String> filter) {
    for (var e : filter.entrySet()) {
      String value = type.extraSpecs.get(e.getKey());
      if (value == null) {
        return false;
      }
      boolean ok =
          e.getKey().equals("RESKEY:availability_zones")
              ? value.contains(e.getValue())
              : value.equals(e.getValue());
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
