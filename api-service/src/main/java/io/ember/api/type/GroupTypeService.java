package io.ember.api.type;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.fault.CinderFault;
import io.ember.api.group.Group;
import io.ember.api.paging.MarkerPage;
import io.ember.api.paging.SortParams;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volume.VolumeFields;
import io.ember.model.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Group types and their group specs with Cinder's rules ({@code api/v3/group_types.py}, {@code
 * group_specs.py}, {@code volume/group_types.py}): writes are for admins; a project sees the public
 * types (Cinder has no access API for private group types).
 */
@ApplicationScoped
public class GroupTypeService {

  private static final Logger LOG = Logger.getLogger(GroupTypeService.class);

  private static final Map<String, String> SORT_KEYS =
      Map.of(
          "created_at", "createdAt",
          "updated_at", "updatedAt",
          "id", "id",
          "name", "name",
          "description", "description",
          "is_public", "isPublic");

  /** Cinder's {@code default_group_type}: unset by default, then there is no default. */
  @ConfigProperty(name = "ember.default-group-type")
  java.util.Optional<String> defaultGroupType;

  /** What {@code POST /group_types} asks for. */
  public record NewGroupType(
      String name, String description, boolean isPublic, Map<String, String> specs) {}

  @Transactional
  public MarkerPage<GroupType> list(RequestContext caller, MultivaluedMap<String, String> query) {
    Boolean isPublic = Boolean.TRUE;
    if (caller.isAdmin()) {
      isPublic = VolumeTypeService.parseIsPublic(query.getFirst("is_public"));
    }
    Boolean wanted = isPublic;
    List<GroupType> matching =
        GroupType.<GroupType>listAll(SortParams.sort(query, SORT_KEYS)).stream()
            .filter(t -> wanted == null || t.isPublic == wanted)
            .toList();
    return MarkerPage.of(matching, query, t -> t.id.toString());
  }

  @Transactional
  public GroupType show(String id, RequestContext caller) {
    return visible(id, caller);
  }

  /** {@code GET /group_types/default}: the configured default, if any. */
  @Transactional
  public GroupType defaultType() {
    GroupType type = null;
    if (defaultGroupType.isPresent()) {
      type = GroupType.find("name", defaultGroupType.get()).firstResult();
    }
    if (type == null) {
      throw CinderFault.notFound("Default group type can not be found.");
    }
    return type;
  }

  @Transactional
  public GroupType create(JsonNode body, RequestContext caller) {
    AdminPolicy.requireRule(caller, "group:group_types:create");
    NewGroupType request = parseCreate(body);
    if (GroupType.count("name", request.name()) > 0) {
      throw new CinderFault(409, "Group Type " + request.name() + " already exists.");
    }
    GroupType type = new GroupType();
    type.id = UUID.randomUUID();
    type.name = request.name();
    type.description = request.description();
    type.isPublic = request.isPublic();
    type.groupSpecs.putAll(request.specs());
    type.createdAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
    type.persist();
    LOG.infof("group type %s (%s) created", type.id, type.name);
    return type;
  }

  @Transactional
  public GroupType update(String id, JsonNode body, RequestContext caller) {
    AdminPolicy.requireRule(caller, "group:group_types:update");
    JsonNode change = VolumeTypeFields.object(body, "group_type");
    VolumeTypeFields.only(change, Set.of("name", "description", "is_public"));
    String name = VolumeTypeFields.changedName(change, "Group type name can not be empty.");
    String description = VolumeFields.optionalString(change, "description");
    JsonNode access = change.get("is_public");
    Boolean isPublic =
        access == null || access.isNull() ? null : VolumeTypeFields.bool("is_public", access);
    if (name == null && description == null && isPublic == null) {
      throw CinderFault.badRequest(
          "Specify group type name, description or a combination thereof.");
    }
    GroupType type = visible(id, caller);
    if (name != null && !name.equals(type.name)) {
      if (GroupType.count("name", name) > 0) {
        throw new CinderFault(409, "Group Type " + name + " already exists.");
      }
      type.name = name;
    }
    if (description != null) {
      type.description = description;
    }
    if (isPublic != null) {
      type.isPublic = isPublic;
    }
    type.updatedAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
    LOG.infof("group type %s updated", type.id);
    return type;
  }

  @Transactional
  public void delete(String id, RequestContext caller) {
    AdminPolicy.requireRule(caller, "group:group_types:delete");
    GroupType type = visible(id, caller);
    if (Group.count("groupTypeId", type.id) > 0) {
      throw CinderFault.badRequest("Target group type is still in use.");
    }
    type.delete();
    LOG.infof("group type %s (%s) deleted", type.id, type.name);
  }

  @Transactional
  public Map<String, String> specs(String id, RequestContext caller) {
    AdminPolicy.requireRule(caller, "group:group_types_specs:get_all");
    return sorted(visible(id, caller).groupSpecs);
  }

  @Transactional
  public Map<String, String> spec(String id, String key, RequestContext caller) {
    AdminPolicy.requireRule(caller, "group:group_types_specs:get");
    GroupType type = visible(id, caller);
    if (!type.groupSpecs.containsKey(key)) {
      throw CinderFault.notFound("Group Type " + id + " has no extra spec with key " + key + ".");
    }
    Map<String, String> one = new LinkedHashMap<>();
    one.put(key, type.groupSpecs.get(key));
    return one;
  }

  /** {@code POST /group_types/{id}/group_specs}: adds or replaces the given specs. */
  @Transactional
  public Map<String, String> setSpecs(String id, JsonNode body, RequestContext caller) {
    AdminPolicy.requireRule(caller, "group:group_types_specs:create");
    GroupType type = visible(id, caller);
    Map<String, String> specs = VolumeTypeFields.specsBody(body, "group_specs");
    type.groupSpecs.putAll(specs);
    type.updatedAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
    return specs;
  }

  /** {@code PUT /group_types/{id}/group_specs/{key}}: {@code {"<key>": "<value>"}}. */
  @Transactional
  public Map<String, String> setSpec(String id, String key, JsonNode body, RequestContext caller) {
    AdminPolicy.requireRule(caller, "group:group_types_specs:update");
    GroupType type = visible(id, caller);
    Map<String, String> spec = VolumeTypeFields.oneSpec(body, key);
    type.groupSpecs.putAll(spec);
    type.updatedAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
    return spec;
  }

  @Transactional
  public void deleteSpec(String id, String key, RequestContext caller) {
    AdminPolicy.requireRule(caller, "group:group_types_specs:delete");
    GroupType type = visible(id, caller);
    if (!type.groupSpecs.containsKey(key)) {
      throw CinderFault.notFound("Group Type " + id + " has no specs with key " + key + ".");
    }
    type.groupSpecs.remove(key);
    type.updatedAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
  }

  /** The group type of that id if the caller may see it, else Cinder's 404. */
  public static GroupType visible(String id, RequestContext caller) {
    UUID uuid = Volume.parseId(id);
    GroupType type = uuid == null ? null : GroupType.findById(uuid);
    if (type == null || !(caller.isAdmin() || type.isPublic)) {
      throw CinderFault.notFound("Group type " + id + " could not be found.");
    }
    return type;
  }

  /** Group type by id or name, as Cinder's group create looks it up. */
  public static GroupType byIdOrName(String idOrName, RequestContext caller) {
    UUID uuid = Volume.parseId(idOrName);
    GroupType type =
        uuid != null
            ? GroupType.findById(uuid)
            : GroupType.<GroupType>find("name", idOrName).firstResult();
    if (type == null || !(caller.isAdmin() || type.isPublic)) {
      throw uuid != null
          ? CinderFault.notFound("Group type " + idOrName + " could not be found.")
          : CinderFault.notFound("Group type with name " + idOrName + " could not be found.");
    }
    return type;
  }

  private static NewGroupType parseCreate(JsonNode body) {
    JsonNode type = VolumeTypeFields.object(body, "group_type");
    VolumeTypeFields.only(type, Set.of("name", "description", "is_public", "group_specs"));
    String name = VolumeTypeFields.requiredName(type);
    String description = VolumeFields.optionalString(type, "description");
    JsonNode access = type.get("is_public");
    boolean isPublic = access == null || VolumeTypeFields.bool("is_public", access);
    Map<String, String> specs =
        VolumeTypeFields.specs(
            "group_specs", type.get("group_specs"), VolumeTypeFields.TYPE_SPEC_KEY, false);
    return new NewGroupType(name, description, isPublic, specs);
  }

  private static Map<String, String> sorted(Map<String, String> specs) {
    Map<String, String> shown = new LinkedHashMap<>();
    specs.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> shown.put(e.getKey(), e.getValue()));
    return shown;
  }
}
