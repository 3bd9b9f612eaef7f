package io.ember.api.qos;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.fault.CinderFault;
import io.ember.api.outbound.QosNotifications;
import io.ember.api.paging.SortParams;
import io.ember.model.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * Cinder's QoS specs ({@code cinder/volume/qos_specs.py} with the rules of {@code
 * api/contrib/qos_specs_manage.py}): create, list, show, set and unset keys, delete, and the
 * association with volume types through {@code volume_types.qos_specs_id}. Admins only, each rule
 * named as Cinder's policy names it. Every change sends its notification through the outbox in the
 * same transaction.
 */
@ApplicationScoped
public class QosSpecsService {

  /** Cinder's {@code osapi_max_limit}. */
  public static final int MAX_LIMIT = 1000;

  static final String CONSUMER_REFUSED =
      "Invalid qos specs: Valid consumer of QoS specs are: QoSConsumerValues(default=<class"
          + " 'oslo_versionedobjects.fields.UnspecifiedDefault'>,nullable=False,"
          + "valid_values=('back-end', 'front-end', 'both'))";

  private static final Set<String> CONSUMERS =
      Set.of(QosSpecs.FRONT_END, QosSpecs.BACK_END, QosSpecs.BOTH);

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  private static final Map<String, Function<QosSpecs, Comparable<?>>> SORT_KEYS =
      Map.of(
          "created_at", QosSpecs::createdAt,
          "updated_at", QosSpecs::updatedAt,
          "id", q -> q.id().toString(),
          "name", QosSpecs::name,
          "consumer", QosSpecs::consumer);

  private static final List<String> FILTERS = List.of("id", "name", "consumer");

  @Inject QosSpecsRows rows;
  @Inject QosNotifications notifications;

  /** One page of the list, and whether a next page may follow. */
  public record Page(List<QosSpecs> specs, boolean hasNext, int limit) {}

  /** A missing key of delete_keys: the keys removed before it stay removed, as in Cinder. */
  static final class KeyNotFound extends CinderFault {
    private static final long serialVersionUID = 1L;

    KeyNotFound(String message) {
      super(404, message);
    }
  }

  @Transactional
  public QosSpecs create(RequestContext caller, JsonNode body) {
    QosRequests.Create request = QosRequests.create(body);
    authorize(caller, "create");
    Map<String, String> specs = QosRequests.strings(request.specs());
    Map<String, String> keys = new TreeMap<>(specs);
    String consumer = keys.remove("consumer");
    if (consumer == null || consumer.isEmpty()) {
      consumer = QosSpecs.BACK_END;
    } else if (!CONSUMERS.contains(consumer)) {
      throw CinderFault.badRequest(CONSUMER_REFUSED);
    }
    LocalDateTime now = now();
    QosSpecs spec = new QosSpecs(UUID.randomUUID(), request.name(), consumer, keys, now, null);
    if (!rows.insert(spec)) {
      throw new CinderFault(409, "QoS Specs " + request.name() + " already exists.");
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", spec.name());
    payload.put("created_at", time(spec.createdAt()));
    payload.put("specs", specs);
    notifications.info(caller, spec.id(), "qos_specs.create", payload);
    return spec;
  }

  /** {@code GET /qos-specs}: filters id, name, consumer; sort, marker, limit and offset paging. */
  @Transactional
  public Page list(RequestContext caller, MultivaluedMap<String, String> query) {
    authorize(caller, "get_all");
    int limit = Math.min(count(query, "limit", MAX_LIMIT), MAX_LIMIT);
    int offset = count(query, "offset", 0);
    Comparator<QosSpecs> order = order(query);
    List<QosSpecs> all = new ArrayList<>();
    for (QosSpecs spec : rows.all()) {
      if (matches(spec, query)) {
        all.add(spec);
      }
    }
    all.sort(order);
    int start = 0;
    String marker = query.getFirst("marker");
    if (marker != null) {
      start = -1;
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).id().toString().equals(marker)) {
          start = i + 1;
        }
      }
      if (start < 0) {
        throw CinderFault.notFound("Marker " + marker + " could not be found.");
      }
    }
    start = Math.min(start + offset, all.size());
    List<QosSpecs> page = all.subList(start, Math.min(start + limit, all.size()));
    boolean hasNext = limit > 0 && page.size() == limit && query.getFirst("limit") != null;
    return new Page(List.copyOf(page), hasNext, limit);
  }

  @Transactional
  public QosSpecs show(RequestContext caller, String id) {
    authorize(caller, "get");
    return find(id);
  }

  /** Sets keys (and the consumer, when given); the request's specs, as Cinder answers them. */
  @Transactional
  public Map<String, JsonNode> update(RequestContext caller, String id, JsonNode body) {
    Map<String, JsonNode> request = QosRequests.set(body);
    authorize(caller, "update");
    QosSpecs spec = find(id);
    Map<String, String> keys = new LinkedHashMap<>(QosRequests.strings(request));
    String consumer = null;
    if (keys.containsKey("consumer")) {
      consumer = keys.remove("consumer");
      if (consumer == null) {
        consumer = QosSpecs.BACK_END; // None on Cinder's field falls back to its default
      } else if (!CONSUMERS.contains(consumer)) {
        throw CinderFault.badRequest(CONSUMER_REFUSED);
      }
    }
    LocalDateTime now = now();
    rows.putKeys(spec.id(), keys);
    rows.touch(spec.id(), consumer, now);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", id);
    payload.put("created_at", time(spec.createdAt()));
    payload.put("updated_at", time(now));
    payload.put("specs", QosRequests.strings(request));
    notifications.info(caller, spec.id(), "qos_specs.update", payload);
    return request;
  }

  /**
   * Deletes the spec; one still associated with volume types is refused unless {@code force}, which
   * disassociates them first.
   */
  @Transactional
  public void delete(RequestContext caller, String id, String force) {
    authorize(caller, "delete");
    boolean forced = bool("force", force);
    UUID qosId = parse(id).orElseThrow(() -> noSuchSpec(id));
    QosSpecs spec = rows.findForUpdate(qosId).orElseThrow(() -> noSuchSpec(id));
    LocalDateTime now = now();
    if (!rows.associations(qosId).isEmpty()) {
      if (!forced) {
        throw CinderFault.badRequest("Qos specs still in use.");
      }
      rows.disassociateAll(qosId, now);
    }
    rows.delete(qosId);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", id);
    payload.put("created_at", time(spec.createdAt()));
    payload.put("deleted_at", time(now));
    notifications.info(caller, qosId, "qos_specs.delete", payload);
  }

  /**
   * Removes keys in the order given; at the first one the spec lacks it stops with 404, the keys
   * before it staying removed (Cinder's behaviour).
   */
  @Transactional(dontRollbackOn = KeyNotFound.class)
  public void deleteKeys(RequestContext caller, String id, JsonNode body) {
    List<String> keys = QosRequests.unset(body);
    authorize(caller, "delete");
    QosSpecs spec = find(id);
    LocalDateTime now = now();
    KeyNotFound missing = null;
    boolean removed = false;
    for (String key : keys) {
      if (!rows.deleteKey(spec.id(), key)) {
        missing = new KeyNotFound("QoS spec " + id + " has no spec with key " + key + ".");
        break;
      }
      removed = true;
    }
    if (removed) {
      rows.touch(spec.id(), null, now);
    }
    if (missing != null) {
      throw missing;
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", id);
    payload.put("created_at", time(spec.createdAt()));
    payload.put("updated_at", time(removed ? now : spec.updatedAt()));
    notifications.info(caller, spec.id(), "qos_specs.delete_keys", payload);
  }

  /** The volume types the spec is associated with. */
  @Transactional
  public List<QosAssociation> associations(RequestContext caller, String id) {
    authorize(caller, "get_all");
    QosSpecs spec = find(id);
    List<QosAssociation> types = rows.associations(spec.id());
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", id);
    payload.put("created_at", time(spec.createdAt()));
    notifications.info(caller, spec.id(), "qos_specs.associations", payload);
    return types;
  }

  /**
   * Associates a volume type with the spec; a type associated with another spec is refused, one
   * already associated with this spec is left as it is.
   */
  @Transactional
  public void associate(RequestContext caller, String id, String typeId) {
    authorize(caller, "update");
    requireTypeId(typeId);
    UUID qosId = parse(id).orElseThrow(() -> noSuchSpec(id));
    // Held until commit, so a concurrent delete waits and then sees the association.
    QosSpecs spec = rows.findForKeyShare(qosId).orElseThrow(() -> noSuchSpec(id));
    UUID type = parse(typeId).orElseThrow(() -> noSuchType(typeId));
    if (!rows.associate(qosId, type, now())) {
      QosSpecsRows.TypeRow row = rows.type(type).orElseThrow(() -> noSuchType(typeId));
      throw CinderFault.badRequest(
          "Invalid volume type: Type "
              + typeId
              + " is already associated with another qos specs: "
              + row.qosSpecsId());
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", id);
    payload.put("type_id", typeId);
    payload.put("created_at", time(spec.createdAt()));
    notifications.info(caller, qosId, "qos_specs.associate", payload);
  }

  /** Disassociates a volume type from the spec (nothing to do if it was not associated). */
  @Transactional
  public void disassociate(RequestContext caller, String id, String typeId) {
    authorize(caller, "update");
    requireTypeId(typeId);
    QosSpecs spec = find(id);
    UUID type = parse(typeId).orElseThrow(() -> noSuchType(typeId));
    rows.type(type).orElseThrow(() -> noSuchType(typeId));
    rows.disassociate(spec.id(), type, now());
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", id);
    payload.put("type_id", typeId);
    payload.put("created_at", time(spec.createdAt()));
    notifications.info(caller, spec.id(), "qos_specs.disassociate", payload);
  }

  /** Disassociates every volume type from the spec. */
  @Transactional
  public void disassociateAll(RequestContext caller, String id) {
    authorize(caller, "update");
    QosSpecs spec = find(id);
    rows.disassociateAll(spec.id(), now());
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", id);
    payload.put("created_at", time(spec.createdAt()));
    notifications.info(caller, spec.id(), "qos_specs.disassociate_all", payload);
  }

  /**
   * Cinder's {@code get_volume_type_qos_specs}: the QoS spec of a volume type (consumer and keys),
   * or none. For the types API and attach: front-end specs go to the consumer at attach, back-end
   * ones to the driver. An unknown type is Cinder's 404.
   */
  @Transactional
  public Optional<QosSpecs> volumeTypeQosSpecs(UUID typeId) {
    QosSpecsRows.TypeRow type = rows.type(typeId).orElseThrow(() -> noSuchType(typeId.toString()));
    return type.qosSpecsId() == null ? Optional.empty() : rows.find(type.qosSpecsId());
  }

  private QosSpecs find(String id) {
    return parse(id).flatMap(rows::find).orElseThrow(() -> noSuchSpec(id));
  }

  /** Cinder's default policy for QoS specs: admins only, refused with the rule's name. */
  private static void authorize(RequestContext caller, String rule) {
    if (!caller.isAdmin()) {
      throw new CinderFault(
          403,
          "Policy doesn't allow volume_extension:qos_specs_manage:" + rule + " to be performed.");
    }
  }

  private static void requireTypeId(String typeId) {
    if (typeId == null || typeId.isEmpty()) {
      throw CinderFault.badRequest("Volume Type id must not be None.");
    }
  }

  private static CinderFault noSuchSpec(String id) {
    return CinderFault.notFound("No such QoS spec " + id + ".");
  }

  private static CinderFault noSuchType(String typeId) {
    return CinderFault.notFound("Volume type " + typeId + " could not be found.");
  }

  private static Optional<UUID> parse(String id) {
    try {
      UUID uuid = UUID.fromString(id);
      // UUID.fromString accepts short forms ("1-2-3-4-5"); only the canonical one names a row.
      return uuid.toString().equalsIgnoreCase(id) ? Optional.of(uuid) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** oslo's strict {@code bool_from_string}, as Cinder's {@code get_bool_param}. */
  private static boolean bool(String name, String value) {
    if (value == null) {
      return false;
    }
    String v = value.strip().toLowerCase();
    if (Set.of("1", "t", "true", "on", "y", "yes").contains(v)) {
      return true;
    }
    if (Set.of("0", "f", "false", "off", "n", "no").contains(v)) {
      return false;
    }
    throw CinderFault.badRequest("Value '" + value + "' for '" + name + "' is not a boolean.");
  }

  private static int count(MultivaluedMap<String, String> query, String name, int absent) {
    String value = query.getFirst(name);
    if (value == null) {
      return absent;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw CinderFault.badRequest(name + " param must be an integer");
    }
    if (parsed < 0) {
      throw CinderFault.badRequest(name + " param must be positive");
    }
    return parsed;
  }

  private static boolean matches(QosSpecs spec, MultivaluedMap<String, String> query) {
    for (String filter : FILTERS) {
      String wanted = query.getFirst(filter);
      if (wanted == null) {
        continue;
      }
      String actual =
          switch (filter) {
            case "id" -> spec.id().toString();
            case "name" -> spec.name();
            default -> spec.consumer();
          };
      if (!wanted.equals(actual)) {
        return false;
      }
    }
    return true;
  }

  /** {@code sort=key[:dir],...} or {@code sort_key}/{@code sort_dir}; by default newest first. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Comparator<QosSpecs> order(MultivaluedMap<String, String> query) {
    Comparator<QosSpecs> order = null;
    for (SortParams.Key sortKey : SortParams.parse(query, SORT_KEYS.keySet())) {
      Function<QosSpecs, Comparable<?>> key = SORT_KEYS.get(sortKey.name());
      Comparator<QosSpecs> one =
          Comparator.comparing(
              q -> (Comparable) key.apply(q), Comparator.nullsFirst(Comparator.naturalOrder()));
      if (!sortKey.ascending()) {
        one = one.reversed();
      }
      order = order == null ? one : order.thenComparing(one);
    }
    // A stable tie-break keeps marker paging exact when timestamps collide.
    return order.thenComparing(q -> q.id().toString(), Comparator.reverseOrder());
  }

  private static LocalDateTime now() {
    return LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  /** Datetimes in notification payloads as oslo's {@code to_primitive} writes them. */
  private static String time(LocalDateTime t) {
    return t == null ? null : TIME.format(t);
  }
}
