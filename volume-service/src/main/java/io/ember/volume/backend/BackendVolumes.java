package io.ember.volume.backend;

import io.agroal.api.AgroalDataSource;
import io.ember.model.jdbc.TransactionConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The records of what this host's backend holds. Plain statements rather than an entity: each
 * command reads or writes one row once, and a volume host's CPU per command went mostly to the
 * persistence context around those rows (about a quarter of it under load).
 */
@ApplicationScoped
public class BackendVolumes {

  private static final String FIND =
      "select pool, size, provider_location, created_at from backend_volume where volume_id = ?";
  private static final String INSERT =
      "insert into backend_volume (volume_id, pool, size, provider_location, created_at)"
          + " values (?, ?, ?, ?, ?)";
  private static final String DELETE = "delete from backend_volume where volume_id = ?";
  private static final String ALLOCATED =
      "select pool, sum(size) from backend_volume group by pool";

  @Inject AgroalDataSource dataSource;

  /** The record of a volume, read in the caller's transaction when there is one. */
  public Optional<BackendVolume> find(String volumeId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement find = connection.prepareStatement(FIND)) {
      find.setString(1, volumeId);
      try (ResultSet row = find.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new BackendVolume(
                volumeId,
                row.getString(1),
                row.getInt(2),
                row.getString(3),
                row.getTimestamp(4).toInstant()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading the record of volume " + volumeId + " failed", e);
    }
  }

  /** Records a volume the backend now holds; commits with the caller's transaction. */
  public BackendVolume record(String volumeId, String pool, int size, String providerLocation) {
    BackendVolume volume = new BackendVolume(volumeId, pool, size, providerLocation, Instant.now());
    try (Connection connection = TransactionConnection.of(dataSource, "a backend volume record");
        PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setString(1, volume.volumeId());
      insert.setString(2, volume.pool());
      insert.setInt(3, volume.size());
      insert.setString(4, volume.providerLocation());
      insert.setTimestamp(5, Timestamp.from(volume.createdAt()));
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("recording volume " + volumeId + " failed", e);
    }
    return volume;
  }

  /** Forgets a volume the backend no longer holds; commits with the caller's transaction. */
  public void remove(String volumeId) {
    try (Connection connection = TransactionConnection.of(dataSource, "a backend volume record");
        PreparedStatement delete = connection.prepareStatement(DELETE)) {
      delete.setString(1, volumeId);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("removing the record of volume " + volumeId + " failed", e);
    }
  }

  /** Gigabytes allocated per pool ({@code host@backend#pool}), as Cinder's manager counts them. */
  public Map<String, Long> allocatedGbByPool() {
    Map<String, Long> allocated = new HashMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement sum = connection.prepareStatement(ALLOCATED);
        ResultSet rows = sum.executeQuery()) {
      while (rows.next()) {
        allocated.put(rows.getString(1), rows.getLong(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("summing the allocated capacity failed", e);
    }
    return allocated;
  }
}
