package io.ember.api.volume;

import io.agroal.api.AgroalDataSource;
import io.ember.model.VolumeStatus;
import io.ember.model.jdbc.TransactionConnection;
import io.ember.model.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The volume changes on the hot path of every create and delete, each one statement on the
 * transaction's connection instead of an entity loaded, dirty-checked and flushed (under load that
 * was a third of the API's CPU per delete, and a database round trip more per step). Each answers
 * whether it applied, so that the caller can take the entity path for the rare cases (a late event,
 * an error to explain); that path writes its changes at once ({@code VolumeEvents}), so these
 * statements never run behind an entity change of the same transaction, nor get overwritten by it.
 */
@ApplicationScoped
public class VolumeRows {

  /**
   * What the delete path needs of a volume it changed: its type, whose quota it gives back, and its
   * name and metadata, which the host's delete notifications carry (null and empty where a caller
   * has no use for them).
   */
  public record Changed(
      UUID id,
      String projectId,
      String host,
      int size,
      UUID volumeTypeId,
      String name,
      Map<String, String> metadata,
      UUID groupId) {}

  /** A delete request for {@link #markDeleting}: the volume, and who asks. */
  public record Deletion(UUID id, String projectId, boolean admin) {}

  private static final String MARK_DELETING =
      "update volumes v set status = '"
          + VolumeStatus.DELETING.wire()
          + "', updated_at = ?"
          + " from unnest(?::uuid[], ?::varchar[], ?::boolean[]) as r(id, project_id, admin)"
          + " where v.id = r.id and (r.admin or v.project_id = r.project_id)"
          + " and v.status = any(?::varchar[])"
          + " and v.host is not null and v.attach_status <> 'attached' and v.group_id is null"
          + " and (v.migration_status is null"
          + " or v.migration_status in ('deleting', 'error', 'success'))"
          // A volume with snapshots is refused (the caller finds out why on the locked row).
          + " and not exists (select 1 from snapshots s where s.volume_id = v.id)"
          + " returning v.id, v.project_id, v.host, v.size, v.volume_type_id, v.name, v.metadata";

  /** A volume a host created, for {@link #markAvailable}. */
  public record Created(UUID id, String pool, String providerLocation, LocalDateTime launchedAt) {}

  private static final String MARK_AVAILABLE =
      "update volumes v set status = '"
          + VolumeStatus.AVAILABLE.wire()
          + "', host = r.pool, provider_location = r.location, launched_at = r.launched_at,"
          + " updated_at = ?"
          + " from unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::timestamp[])"
          + " as r(id, pool, location, launched_at)"
          + " where v.id = r.id and v.status in ('"
          + VolumeStatus.CREATING.wire()
          + "', '"
          + VolumeStatus.DOWNLOADING.wire()
          + "') returning v.id, v.group_id is not null";

  private static final String INSERT =
      "insert into volumes (id, project_id, user_id, name, description, size, status,"
          + " attach_status, availability_zone, metadata, request_id, created_at, volume_type_id,"
          + " bootable, snapshot_id, source_volid, image_id, encryption_key_id, group_id)"
          + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String REMOVE =
      "delete from volumes where id = any(?::uuid[])"
          + " returning id, project_id, size, volume_type_id, group_id";

  private static final String[] DELETABLE =
      VolumeStatus.DELETABLE.stream().map(VolumeStatus::wire).toArray(String[]::new);

  private static final MetadataConverter METADATA = new MetadataConverter();

  @Inject AgroalDataSource dataSource;
  @Inject Outbox outbox;

  /**
   * Writes a new volume's row when the transaction commits, in the statement of its outgoing
   * messages (nothing in the transaction reads it back); the returned write can still be withdrawn
   * ({@link #withdraw}) until then.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Outbox.CommitWrite insertAtCommit(Volume v) {
    String metadata = METADATA.convertToDatabaseColumn(v.metadata);
    Outbox.CommitWrite insert =
        new Outbox.CommitWrite(
            INSERT,
            (connection, statement, index) -> {
              int i = index;
              statement.setObject(i++, v.id);
              statement.setString(i++, v.projectId);
              statement.setString(i++, v.userId);
              statement.setString(i++, v.name);
              statement.setString(i++, v.description);
              statement.setInt(i++, v.size);
              statement.setString(i++, v.status);
              statement.setString(i++, v.attachStatus);
              statement.setString(i++, v.availabilityZone);
              statement.setString(i++, metadata);
              statement.setString(i++, v.requestId);
              statement.setObject(i++, v.createdAt);
              setUuid(statement, i++, v.volumeTypeId);
              statement.setBoolean(i++, v.bootable);
              setUuid(statement, i++, v.snapshotId);
              setUuid(statement, i++, v.sourceVolid);
              statement.setString(i++, v.imageId);
              setUuid(statement, i++, v.encryptionKeyId);
              setUuid(statement, i++, v.groupId);
              return i;
            });
    outbox.writeAtCommit(insert);
    return insert;
  }

  private static void setUuid(PreparedStatement statement, int index, UUID value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, java.sql.Types.OTHER);
    } else {
      statement.setObject(index, value);
    }
  }

  /** One column of {@code rows} as the array parameter {@code index}, of SQL type {@code type}. */
  private static <T, C> void bindColumn(
      PreparedStatement statement,
      Connection connection,
      int index,
      String type,
      List<T> rows,
      Function<T, C> column,
      IntFunction<C[]> array)
      throws SQLException {
    statement.setArray(
        index, connection.createArrayOf(type, rows.stream().map(column).toArray(array)));
  }

  /** Takes back a row {@link #insertAtCommit} would have written. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void withdraw(Outbox.CommitWrite insert) {
    outbox.withdraw(insert);
  }

  /**
   * Sets each placed, unattached, deletable volume its asker may see to {@code deleting}, on the
   * row's lock, all in one statement (a batch of deletes had taken a round trip per volume, and
   * under load that made up most of its time). Returns the volumes it changed, by id; for any other
   * the caller finds out, on the locked row, which of the conditions failed, for the right error.
   * Each volume is named once.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Map<UUID, Changed> markDeleting(List<Deletion> deletions) {
    if (deletions.isEmpty()) {
      return new HashMap<>();
    }
    try (Connection connection = TransactionConnection.of(dataSource, "a volume update");
        PreparedStatement update = connection.prepareStatement(MARK_DELETING)) {
      update.setTimestamp(1, Timestamp.valueOf(VolumeClock.now()));
      bindColumn(update, connection, 2, "uuid", deletions, Deletion::id, UUID[]::new);
      bindColumn(update, connection, 3, "varchar", deletions, Deletion::projectId, String[]::new);
      bindColumn(update, connection, 4, "bool", deletions, Deletion::admin, Boolean[]::new);
      update.setArray(5, connection.createArrayOf("varchar", DELETABLE));
      Map<UUID, Changed> changed = new HashMap<>();
      try (ResultSet row = update.executeQuery()) {
        while (row.next()) {
          UUID id = row.getObject(1, UUID.class);
          changed.put(
              id,
              new Changed(
                  id,
                  row.getString(2),
                  row.getString(3),
                  row.getInt(4),
                  row.getObject(5, UUID.class),
                  row.getString(6),
                  METADATA.convertToEntityAttribute(row.getString(7)),
                  null)); // the statement takes no group member
        }
      }
      return changed;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "marking " + deletions.size() + " volume(s) deleting failed", e);
    }
  }

  /**
   * Sets each {@code creating} volume {@code available} on the pool that created it, all in one
   * statement; the ids of those it changed (any other is not {@code creating}, or not any more),
   * each with whether it is a group's member. Each volume is named once.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Map<UUID, Boolean> markAvailable(List<Created> volumes) {
    // The inbox record of the event rides here: the event's transaction makes one statement less.
    Outbox.CommitWrite deliveries = outbox.takeDeliveries();
    try (Connection connection = TransactionConnection.of(dataSource, "a volume update");
        PreparedStatement update =
            connection.prepareStatement(
                deliveries == null ? MARK_AVAILABLE : deliveries.leading(MARK_AVAILABLE))) {
      int i = deliveries == null ? 1 : deliveries.binder().bind(connection, update, 1);
      update.setTimestamp(i, Timestamp.valueOf(VolumeClock.now()));
      bindColumn(update, connection, i + 1, "uuid", volumes, Created::id, UUID[]::new);
      bindColumn(update, connection, i + 2, "varchar", volumes, Created::pool, String[]::new);
      bindColumn(
          update, connection, i + 3, "varchar", volumes, Created::providerLocation, String[]::new);
      bindColumn(
          update,
          connection,
          i + 4,
          "timestamp",
          volumes,
          v -> Timestamp.valueOf(v.launchedAt()),
          Timestamp[]::new);
      Map<UUID, Boolean> changed = new HashMap<>();
      try (ResultSet row = update.executeQuery()) {
        while (row.next()) {
          changed.put(row.getObject(1, UUID.class), row.getBoolean(2));
        }
      }
      return changed;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "marking " + volumes.size() + " volume(s) available failed", e);
    }
  }

  /** Removes the volumes' rows, in one statement; what each was, by id (none: gone already). */
  @Transactional(Transactional.TxType.MANDATORY)
  public Map<UUID, Changed> remove(List<UUID> ids) {
    Outbox.CommitWrite deliveries = outbox.takeDeliveries();
    try (Connection connection = TransactionConnection.of(dataSource, "a volume removal");
        PreparedStatement delete =
            connection.prepareStatement(deliveries == null ? REMOVE : deliveries.leading(REMOVE))) {
      int i = deliveries == null ? 1 : deliveries.binder().bind(connection, delete, 1);
      delete.setArray(i, connection.createArrayOf("uuid", ids.toArray(UUID[]::new)));
      Map<UUID, Changed> removed = new HashMap<>();
      try (ResultSet row = delete.executeQuery()) {
        while (row.next()) {
          UUID id = row.getObject(1, UUID.class);
          removed.put(
              id,
              new Changed(
                  id,
                  row.getString(2),
                  null,
                  row.getInt(3),
                  row.getObject(4, UUID.class),
                  null,
                  Map.of(),
                  row.getObject(5, UUID.class)));
        }
      }
      return removed;
    } catch (SQLException e) {
      throw new IllegalStateException("removing " + ids.size() + " volume(s) failed", e);
    }
  }
}
