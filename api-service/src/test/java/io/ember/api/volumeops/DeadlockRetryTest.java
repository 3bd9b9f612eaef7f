package io.ember.api.volumeops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A create chosen by PostgreSQL as a deadlock's victim is run again, not answered with a 500. The
 * test makes the deadlock itself: it holds one of the project's quota rows, lets the create lock
 * the rows before it and wait, then asks for one of those. The create waited first, so its deadlock
 * check (after the server's 1 s deadlock_timeout) finds the cycle and aborts it; the test's own
 * session checks only after 30 s.
 */
@QuarkusTest
class DeadlockRetryTest {

  private static final String LOCK_ROW =
      "select 1 from quota_usages where project_id = ? and resource = ? for update";

  private final String project = UUID.randomUUID().toString().replace("-", "");

  @Inject AgroalDataSource dataSource;

  private RequestSpecification admin() {
    return given().header("X-Auth-Token", "admin:" + project).contentType("application/json");
  }

  private Response create() {
    return admin().body("{\"volume\": {\"size\": 1}}").post("/v3/" + project + "/volumes");
  }

  @Test
  void aCreateThatLosesADeadlockRunsAgainAndIsAccepted() throws Exception {
    // The first create makes the project's quota rows, which the deadlock is made of.
    assertEquals(202, create().statusCode());
    ExecutorService client = Executors.newSingleThreadExecutor();
    try (Connection holder = dataSource.getConnection()) {
      holder.setAutoCommit(false);
      try (Statement session = holder.createStatement()) {
        session.execute("set local deadlock_timeout = '30s'");
      }
      // The create's lock takes gigabytes, gigabytes___DEFAULT__, volumes, ... in that order.
      lock(holder, "volumes");
      Future<Response> answer = client.submit(this::create);
      awaitAnotherSessionWaitingForALock();
      try {
        lock(holder, "gigabytes");
      } catch (SQLException victim) {
        fail("the test's session, not the create, was the deadlock's victim: " + victim);
      }
      holder.rollback();
      Response accepted = answer.get(30, TimeUnit.SECONDS);
      assertEquals(202, accepted.statusCode(), accepted.asString());
    } finally {
      client.shutdownNow();
    }
    admin()
        .get("/v3/" + project + "/os-quota-sets/" + project + "?usage=True")
        .then()
        .body("quota_set.volumes.in_use", equalTo(2))
        .body("quota_set.gigabytes.in_use", equalTo(2));
  }

  private void lock(Connection connection, String resource) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(LOCK_ROW)) {
      lock.setString(1, project);
      lock.setString(2, resource);
      try (ResultSet row = lock.executeQuery()) {
        if (!row.next()) {
          throw new AssertionError("no quota row " + resource + " for " + project);
        }
      }
    }
  }

  private void awaitAnotherSessionWaitingForALock() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try (Connection watcher = dataSource.getConnection();
        Statement query = watcher.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet waiting =
            query.executeQuery(
                "select count(*) from pg_stat_activity where datname = current_database()"
                    + " and wait_event_type = 'Lock' and pid <> pg_backend_pid()")) {
          waiting.next();
          if (waiting.getInt(1) > 0) {
            return;
          }
        }
        Thread.sleep(5);
      }
    }
    fail("the create never waited for the test's lock");
  }
}
