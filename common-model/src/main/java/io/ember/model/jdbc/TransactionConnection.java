package io.ember.model.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The JDBC connection of the current JTA transaction, for the few statements a service runs without
 * an entity (inbox ids, outbox rows, hot-path updates): the data source hands out the connection
 * enlisted in the transaction, so those statements commit or roll back with everything else.
 */
public final class TransactionConnection {

  private TransactionConnection() {}

  /**
   * The transaction's connection; close it when done (that only returns the handle).
   *
   * @throws IllegalStateException when there is no transaction: the statements would commit on
   *     their own
   */
  public static Connection of(DataSource dataSource, String purpose) throws SQLException {
    Connection connection = dataSource.getConnection();
    if (connection.getAutoCommit()) {
      connection.close();
      throw new IllegalStateException(purpose + " needs the transaction's connection");
    }
    return connection;
  }
}
