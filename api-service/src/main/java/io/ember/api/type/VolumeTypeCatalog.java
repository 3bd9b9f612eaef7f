package io.ember.api.type;

import io.agroal.api.AgroalDataSource;
import io.ember.api.qos.QosSpecs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The volume types in memory, for the hot paths: the type of every volume create (with its QoS
 * spec, which the create command carries), and the type name of every volume shown (no query per
 * volume). A miss reloads at once, so a type made or opened to a project anywhere is found; a
 * change made through this instance drops the copy; anything else (a rename, a removal through
 * another instance) shows within {@link #MAX_AGE_NANOS}.
 */
@ApplicationScoped
public class VolumeTypeCatalog {

  static final long MAX_AGE_NANOS = 5_000_000_000L;

  /** What the hot paths need of a type. */
  public record Entry(
      UUID id,
      String name,
      boolean isPublic,
      Map<String, String> extraSpecs,
      Set<String> projects,
      QosSpecs qos) {

    public boolean visibleTo(String project, boolean admin) {
      return admin || isPublic || projects.contains(project);
    }
  }

  private record Snapshot(
      Map<UUID, Entry> byId, Map<String, Entry> byName, Set<UUID> encrypted, long loadedAt) {}

  @Inject AgroalDataSource dataSource;

  private volatile Snapshot snapshot;

  /** The type of that id, or null. */
  public Entry byId(UUID id) {
    Entry entry = current().byId().get(id);
    return entry != null ? entry : reload().byId().get(id);
  }

  /** The type of that name, or null. */
  public Entry byName(String name) {
    Entry entry = current().byName().get(name);
    return entry != null ? entry : reload().byName().get(name);
  }

  /**
   * The type {@code nameOrId} names if {@code project} may use it, else null (looked up again from
   * the database before giving up: the access may be new).
   */
  public Entry usable(String nameOrId, String project, boolean admin) {
    UUID id = parse(nameOrId);
    for (Snapshot s : new Snapshot[] {current(), null}) {
      Snapshot in = s == null ? reload() : s;
      Entry entry = id == null ? in.byName().get(nameOrId) : in.byId().get(id);
      if (entry != null && entry.visibleTo(project, admin)) {
        return entry;
      }
    }
    return null;
  }

  /** The name of the type of that id, for the volume views; null when there is none. */
  public String nameOf(UUID id) {
    if (id == null) {
      return null;
    }
    Entry entry = byId(id);
    return entry == null ? null : entry.name();
  }

  /**
   * Whether the type of that id has an encryption type (Cinder's {@code is_encrypted}), for the
   * volume views: no query per volume.
   */
  public boolean isEncrypted(UUID id) {
    if (id == null) {
      return false;
    }
    Snapshot s = current();
    return (s.byId().containsKey(id) ? s : reload()).encrypted().contains(id);
  }

  /**
   * Whether volumes of the type of that id may have several attachments: its extra spec {@code
   * multiattach} is {@code <is> True}, as Cinder's {@code volume_types.is_multiattach} reads it.
   */
  public boolean isMultiattach(UUID id) {
    Entry entry = id == null ? null : byId(id);
    String spec = entry == null ? null : entry.extraSpecs().get("multiattach");
    return spec != null && spec.trim().replaceAll("\\s+", " ").equalsIgnoreCase("<is> True");
  }

  /** The QoS spec associated with the type of that id, or null. */
  public QosSpecs qosOf(UUID typeId) {
    Entry entry = byId(typeId);
    return entry == null ? null : entry.qos();
  }

  /** Drops the copy: a type, or a QoS spec a type may use, changed here. */
  public void invalidate() {
    snapshot = null;
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    if (s == null || System.nanoTime() - s.loadedAt() > MAX_AGE_NANOS) {
      return reload();
    }
    return s;
  }

  private synchronized Snapshot reload() {
    try (Connection connection = dataSource.getConnection()) {
      Map<UUID, String> names = new HashMap<>();
      Map<UUID, Boolean> publics = new HashMap<>();
      Map<UUID, UUID> qosIds = new HashMap<>();
      Map<UUID, Map<String, String>> specs = new HashMap<>();
      Map<UUID, Set<String>> projects = new HashMap<>();
      try (PreparedStatement query =
              connection.prepareStatement(
                  "select id, name, is_public, qos_specs_id from volume_types");
          ResultSet row = query.executeQuery()) {
        while (row.next()) {
          UUID id = row.getObject(1, UUID.class);
          names.put(id, row.getString(2));
          publics.put(id, row.getBoolean(3));
          UUID qosId = row.getObject(4, UUID.class);
          if (qosId != null) {
            qosIds.put(id, qosId);
          }
        }
      }
      Map<UUID, QosSpecs> qos = associatedQos(connection);
      try (PreparedStatement query =
              connection.prepareStatement(
                  "select type_id, key, value from volume_type_extra_specs");
          ResultSet row = query.executeQuery()) {
        while (row.next()) {
          specs
              .computeIfAbsent(row.getObject(1, UUID.class), k -> new HashMap<>())
              .put(row.getString(2), row.getString(3));
        }
      }
      try (PreparedStatement query =
              connection.prepareStatement("select type_id, project_id from volume_type_projects");
          ResultSet row = query.executeQuery()) {
        while (row.next()) {
          projects
              .computeIfAbsent(row.getObject(1, UUID.class), k -> new HashSet<>())
              .add(row.getString(2));
        }
      }
      Set<UUID> encrypted = new HashSet<>();
      try (PreparedStatement query =
              connection.prepareStatement("select volume_type_id from volume_type_encryption");
          ResultSet row = query.executeQuery()) {
        while (row.next()) {
          encrypted.add(row.getObject(1, UUID.class));
        }
      }
      Map<UUID, Entry> byId = new HashMap<>();
      Map<String, Entry> byName = new HashMap<>();
      for (var type : names.entrySet()) {
        UUID id = type.getKey();
        Map<String, String> typeSpecs = new HashMap<>(specs.getOrDefault(id, Map.of()));
        typeSpecs.values().removeIf(v -> v == null);
        Entry entry =
            new Entry(
                id,
                type.getValue(),
                publics.get(id),
                Map.copyOf(typeSpecs),
                Set.copyOf(projects.getOrDefault(id, Set.of())),
                qosIds.containsKey(id) ? qos.get(qosIds.get(id)) : null);
        byId.put(id, entry);
        byName.put(entry.name(), entry);
      }
      Snapshot loaded = new Snapshot(byId, byName, Set.copyOf(encrypted), System.nanoTime());
      snapshot = loaded;
      return loaded;
    } catch (SQLException e) {
      throw new IllegalStateException("loading the volume types failed", e);
    }
  }

  /** The QoS specs some type is associated with, by id, each with its keys. */
  private static Map<UUID, QosSpecs> associatedQos(Connection connection) throws SQLException {
    Map<UUID, QosSpecs> specs = new HashMap<>();
    try (PreparedStatement query =
            connection.prepareStatement(
                "select s.id, s.name, s.consumer, s.created_at, s.updated_at from qos_specs s"
                    + " where exists (select 1 from volume_types t where t.qos_specs_id = s.id)");
        ResultSet row = query.executeQuery()) {
      while (row.next()) {
        UUID id = row.getObject(1, UUID.class);
        specs.put(
            id,
            new QosSpecs(
                id,
                row.getString(2),
                row.getString(3),
                new TreeMap<>(),
                row.getObject(4, LocalDateTime.class),
                row.getObject(5, LocalDateTime.class)));
      }
    }
    try (PreparedStatement query =
            connection.prepareStatement(
                "select k.qos_id, k.key, k.value from qos_spec_keys k"
                    + " where exists (select 1 from volume_types t where t.qos_specs_id = k.qos_id)");
        ResultSet row = query.executeQuery()) {
      while (row.next()) {
        QosSpecs spec = specs.get(row.getObject(1, UUID.class));
        if (spec != null) {
          spec.specs().put(row.getString(2), row.getString(3));
        }
      }
    }
    Map<UUID, QosSpecs> frozen = new HashMap<>();
    specs.forEach(
        (id, spec) ->
            frozen.put(
                id,
                new QosSpecs(
                    id,
                    spec.name(),
                    spec.consumer(),
                    Collections.unmodifiableMap(spec.specs()),
                    spec.createdAt(),
                    spec.updatedAt())));
    return frozen;
  }

  static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
