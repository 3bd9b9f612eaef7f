package io.ember.api.testsupport;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Volume type rows written straight into {@code volume_types}, for the QoS association tests (the
 * types API is built separately): only the columns those tests need.
 */
public final class VolumeTypeRows {

  private VolumeTypeRows() {}

  /** A new type named {@code name}; its id. */
  public static UUID insert(AgroalDataSource db, String name) {
    UUID id = UUID.randomUUID();
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "insert into volume_types (id, name, created_at) values (?, ?, now())")) {
      s.setObject(1, id);
      s.setString(2, name);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return id;
  }

  /** The type's {@code qos_specs_id}, or null. */
  public static UUID qosSpecsId(AgroalDataSource db, UUID typeId) {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement("select qos_specs_id from volume_types where id = ?")) {
      s.setObject(1, typeId);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw new IllegalStateException("no volume type " + typeId);
        }
        return r.getObject(1, UUID.class);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
