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
import java.util.UUID;

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

  /** What the delete path needs of a volume it changed. */
  public record Changed(UUID id, String projectId, String host, int size) {}

  private static final String MARK_DELETING =
      "update volumes set status = '"
          + VolumeStatus.DELETING.wire()
          + "', updated_at = ?"
          + " where id = ? and (? or project_id = ?) and status = any(?::varchar[])"
          + " and host is not null and attach_status <> 'attached'"
          + " returning project_id, host, size";

  private static final String MARK_AVAILABLE =
      "update volumes set status = '"
          + VolumeStatus.AVAILABLE.wire()
          + "', host = ?, provider_location = ?, launched_at = ?, updated_at = ?"
          + " where id = ? and status = '"
          + VolumeStatus.CREATING.wire()
          + "'";

  private static final String INSERT =
      "insert into volumes (id, project_id, user_id, name, description, size, status,"
          + " attach_status, availability_zone, metadata, request_id, created_at)"
          + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String REMOVE =
      "delete from volumes where id = ? returning project_id, size";

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
              return i;
            });
    outbox.writeAtCommit(insert);
    return insert;
  }

  /** Takes back a row {@link #insertAtCommit} would have written. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void withdraw(Outbox.CommitWrite insert) {
    outbox.withdraw(insert);
  }

  /**
   * Sets a placed, unattached, deletable volume the caller may see to {@code deleting}, on the
   * row's lock; null when any of that does not hold (the caller then finds out which, for the right
   * error).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Changed markDeleting(UUID id, String projectId, boolean admin) {
    try (Connection connection = TransactionConnection.of(dataSource, "a volume update");
        PreparedStatement update = connection.prepareStatement(MARK_DELETING)) {
      update.setTimestamp(1, Timestamp.valueOf(VolumeService.now()));
      update.setObject(2, id);
      update.setBoolean(3, admin);
      update.setString(4, projectId);
      update.setArray(5, connection.createArrayOf("varchar", DELETABLE));
      try (ResultSet row = update.executeQuery()) {
        return row.next()
            ? new Changed(id, row.getString(1), row.getString(2), row.getInt(3))
            : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("marking volume " + id + " deleting failed", e);
    }
  }

  /**
   * Sets a {@code creating} volume {@code available} on the pool that created it; false when it is
   * not {@code creating} (any more).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean markAvailable(
      UUID id, String pool, String providerLocation, LocalDateTime launchedAt) {
    try (Connection connection = TransactionConnection.of(dataSource, "a volume update");
        PreparedStatement update = connection.prepareStatement(MARK_AVAILABLE)) {
      update.setString(1, pool);
      update.setString(2, providerLocation);
      update.setTimestamp(3, Timestamp.valueOf(launchedAt));
      update.setTimestamp(4, Timestamp.valueOf(VolumeService.now()));
      update.setObject(5, id);
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("marking volume " + id + " available failed", e);
    }
  }

  /** Removes the volume's row; what it was, or null when it was gone already. */
  @Transactional(Transactional.TxType.MANDATORY)
  public Changed remove(UUID id) {
    try (Connection connection = TransactionConnection.of(dataSource, "a volume removal");
        PreparedStatement delete = connection.prepareStatement(REMOVE)) {
      delete.setObject(1, id);
      try (ResultSet row = delete.executeQuery()) {
        return row.next() ? new Changed(id, row.getString(1), null, row.getInt(2)) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("removing volume " + id + " failed", e);
    }
  }
}
