package io.ember.api.qos;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.query.NativeQuery;

/**
 * The statements on {@code qos_specs}, {@code qos_spec_keys} and the association column {@code
 * volume_types.qos_specs_id}, in the caller's transaction. No entity maps these tables.
 */
@ApplicationScoped
public class QosSpecsRows {

  private static final String COLUMNS = "id, name, consumer, created_at, updated_at";

  @Inject EntityManager em;

  /** What a type row says about its QoS spec. */
  public record TypeRow(UUID id, String name, UUID qosSpecsId) {}

  private Query statement(String sql) {
    NativeQuery<?> query = em.createNativeQuery(sql).unwrap(NativeQuery.class);
    query.addSynchronizedQuerySpace("qos_specs");
    query.addSynchronizedQuerySpace("qos_spec_keys");
    query.addSynchronizedQuerySpace("volume_types");
    return query;
  }

  /** Inserts the spec and its keys; false (nothing written) when the name is taken. */
  public boolean insert(QosSpecs spec) {
    int inserted =
        statement(
                "insert into qos_specs (id, name, consumer, created_at)"
                    + " values (:id, :name, :consumer, :created) on conflict (name) do nothing")
            .setParameter("id", spec.id())
            .setParameter("name", spec.name())
            .setParameter("consumer", spec.consumer())
            .setParameter("created", spec.createdAt())
            .executeUpdate();
    if (inserted == 0) {
      return false;
    }
    putKeys(spec.id(), spec.specs());
    return true;
  }

  /** The spec, if it exists. */
  public Optional<QosSpecs> find(UUID id) {
    return find(id, "");
  }

  /** The spec, its row locked against a concurrent delete (and delete against associate). */
  public Optional<QosSpecs> findForUpdate(UUID id) {
    return find(id, " for update");
  }

  /** The spec, its row held so it cannot be deleted until the transaction ends. */
  public Optional<QosSpecs> findForKeyShare(UUID id) {
    return find(id, " for key share");
  }

  private Optional<QosSpecs> find(UUID id, String lock) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        statement("select " + COLUMNS + " from qos_specs where id = :id" + lock)
            .setParameter("id", id)
            .getResultList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(withKeys(rows).get(0));
  }

  /** Every spec, in creation order (the service sorts and pages). */
  public List<QosSpecs> all() {
    @SuppressWarnings("unchecked")
    List<Object[]> rows = statement("select " + COLUMNS + " from qos_specs").getResultList();
    return withKeys(rows);
  }

  private List<QosSpecs> withKeys(List<Object[]> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<UUID, Map<String, String>> keys = new LinkedHashMap<>();
    for (Object[] row : rows) {
      keys.put((UUID) row[0], new TreeMap<>());
    }
    @SuppressWarnings("unchecked")
    List<Object[]> items =
        statement("select qos_id, key, value from qos_spec_keys where qos_id in (:ids)")
            .setParameter("ids", new ArrayList<>(keys.keySet()))
            .getResultList();
    for (Object[] item : items) {
      keys.get((UUID) item[0]).put((String) item[1], (String) item[2]);
    }
    List<QosSpecs> specs = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      UUID id = (UUID) row[0];
      specs.add(
          new QosSpecs(
              id, (String) row[1], (String) row[2], keys.get(id), time(row[3]), time(row[4])));
    }
    return specs;
  }

  /** Sets keys (insert or overwrite). */
  public void putKeys(UUID id, Map<String, String> specs) {
    for (Map.Entry<String, String> e : specs.entrySet()) {
      statement(
              "insert into qos_spec_keys (qos_id, key, value) values (:id, :key, :value)"
                  + " on conflict (qos_id, key) do update set value = excluded.value")
          .setParameter("id", id)
          .setParameter("key", e.getKey())
          .setParameter("value", e.getValue())
          .executeUpdate();
    }
  }

  /** Removes one key; false when the spec has no such key. */
  public boolean deleteKey(UUID id, String key) {
    return statement("delete from qos_spec_keys where qos_id = :id and key = :key")
            .setParameter("id", id)
            .setParameter("key", key)
            .executeUpdate()
        > 0;
  }

  /** Sets the consumer (when given) and stamps the change. */
  public void touch(UUID id, String consumer, LocalDateTime now) {
    statement(
            "update qos_specs set consumer = coalesce(:consumer, consumer), updated_at = :now"
                + " where id = :id")
        .setParameter("consumer", consumer)
        .setParameter("now", now)
        .setParameter("id", id)
        .executeUpdate();
  }

  /** Deletes the spec and its keys. */
  public void delete(UUID id) {
    statement("delete from qos_specs where id = :id").setParameter("id", id).executeUpdate();
  }

  /** The volume types associated with the spec, by name. */
  public List<QosAssociation> associations(UUID id) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        statement("select id, name from volume_types where qos_specs_id = :id order by name")
            .setParameter("id", id)
            .getResultList();
    return rows.stream().map(r -> new QosAssociation((UUID) r[0], (String) r[1])).toList();
  }

  /** The type row, if it exists. */
  public Optional<TypeRow> type(UUID typeId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        statement("select id, name, qos_specs_id from volume_types where id = :id")
            .setParameter("id", typeId)
            .getResultList();
    return rows.stream().findFirst().map(r -> new TypeRow((UUID) r[0], (String) r[1], (UUID) r[2]));
  }

  /**
   * Associates the type with the spec unless it is associated with another one: false when the type
   * does not exist or has another spec (a concurrent associate is waited for, then seen).
   */
  public boolean associate(UUID id, UUID typeId, LocalDateTime now) {
    return statement(
                "update volume_types set qos_specs_id = :id, updated_at = :now"
                    + " where id = :type and (qos_specs_id is null or qos_specs_id = :id)")
            .setParameter("id", id)
            .setParameter("now", now)
            .setParameter("type", typeId)
            .executeUpdate()
        > 0;
  }

  /** Disassociates the type from the spec, if it was associated with it. */
  public void disassociate(UUID id, UUID typeId, LocalDateTime now) {
    statement(
            "update volume_types set qos_specs_id = null, updated_at = :now"
                + " where id = :type and qos_specs_id = :id")
        .setParameter("id", id)
        .setParameter("now", now)
        .setParameter("type", typeId)
        .executeUpdate();
  }

  /** Disassociates every type from the spec. */
  public void disassociateAll(UUID id, LocalDateTime now) {
    statement(
            "update volume_types set qos_specs_id = null, updated_at = :now where qos_specs_id = :id")
        .setParameter("id", id)
        .setParameter("now", now)
        .executeUpdate();
  }

  private static LocalDateTime time(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp t) {
      return t.toLocalDateTime();
    }
    return (LocalDateTime) value;
  }
}
