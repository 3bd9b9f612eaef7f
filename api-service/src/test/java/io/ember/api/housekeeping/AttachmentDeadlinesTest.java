package io.ember.api.housekeeping;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestHostTopic;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An attachment call whose API process died while waiting (its statuses left as the call's first
 * transaction set them, nobody left to roll them back) is rolled back by the deadline sweeper.
 */
@QuarkusTest
@TestProfile(AttachmentDeadlinesTest.FastAttachmentDeadline.class)
class AttachmentDeadlinesTest {

  /** The sweep every second, a call given up after two. */
  public static class FastAttachmentDeadline implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("ember.deadlines.attaching", "2s", "ember.deadlines.sweep-every", "1s");
    }
  }

  private final ProjectApi api = new ProjectApi();

  @Inject AgroalDataSource db;

  @Test
  void aCallLeftInFlightByADeadApiIsRolledBack() throws Exception {
    String volume = api.create(api.admin(), 1);
    api.placeOn(TestHostTopic.HOST, volume);
    String attachment =
        api.admin()
            .header("OpenStack-API-Version", "volume 3.27")
            .body("{\"attachment\": {\"volume_uuid\": \"" + volume + "\"}}")
            .post("/v3/" + api.project + "/attachments")
            .then()
            .statusCode(200)
            .extract()
            .path("attachment.id");
    // What attachment_update's first transaction leaves when the process dies right after it.
    try (Connection c = db.getConnection();
        PreparedStatement a =
            c.prepareStatement(
                "update volume_attachments set attach_status = 'attaching', previous_status ="
                    + " 'reserved', updated_at = now() at time zone 'utc' - interval '1 minute'"
                    + " where id = ?");
        PreparedStatement v =
            c.prepareStatement(
                "update volumes set status = 'attaching', previous_status = 'reserved' where id"
                    + " = ?")) {
      a.setObject(1, UUID.fromString(attachment));
      a.executeUpdate();
      v.setObject(1, UUID.fromString(volume));
      v.executeUpdate();
    }
    assertEquals("attaching", api.statusOf(volume));

    api.awaitStatus(volume, "reserved");
    api.admin()
        .header("OpenStack-API-Version", "volume 3.27")
        .get("/v3/" + api.project + "/attachments/" + attachment)
        .then()
        .statusCode(200)
        .body("attachment.status", equalTo("reserved"));
  }
}
