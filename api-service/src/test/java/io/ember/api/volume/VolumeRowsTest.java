package io.ember.api.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ember.model.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A new volume's row is written as its transaction commits, as the entity would have been; a create
 * whose flow is reverted before then withdraws it.
 */
@QuarkusTest
class VolumeRowsTest {

  @Inject VolumeRows rows;

  @Test
  void theRowIsWrittenAtCommitWithEveryField() {
    Volume volume = newVolume();

    QuarkusTransaction.requiringNew().run(() -> rows.insertAtCommit(volume));

    Volume stored = QuarkusTransaction.requiringNew().call(() -> Volume.findById(volume.id));
    assertNotNull(stored);
    assertEquals(volume.projectId, stored.projectId);
    assertEquals(volume.userId, stored.userId);
    assertEquals(volume.name, stored.name);
    assertEquals(volume.description, stored.description);
    assertEquals(volume.size, stored.size);
    assertEquals("creating", stored.status);
    assertEquals("detached", stored.attachStatus);
    assertEquals(volume.availabilityZone, stored.availabilityZone);
    assertEquals(Map.of("k", "v"), stored.metadata);
    assertEquals(volume.requestId, stored.requestId);
    assertEquals(volume.createdAt, stored.createdAt);
    assertNull(stored.host);
  }

  @Test
  void aWithdrawnRowIsNotWritten() {
    Volume withdrawn = newVolume();
    Volume kept = newVolume();

    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Outbox.CommitWrite insert = rows.insertAtCommit(withdrawn);
              rows.insertAtCommit(kept);
              rows.withdraw(insert);
            });

    assertNull(QuarkusTransaction.requiringNew().call(() -> Volume.findById(withdrawn.id)));
    assertNotNull(QuarkusTransaction.requiringNew().call(() -> Volume.findById(kept.id)));
  }

  private static Volume newVolume() {
    Volume volume = new Volume();
    volume.id = UUID.randomUUID();
    volume.projectId = UUID.randomUUID().toString().replace("-", "");
    volume.userId = "alice";
    volume.name = "data";
    volume.description = "a volume written at commit";
    volume.size = 3;
    volume.status = "creating";
    volume.attachStatus = "detached";
    volume.availabilityZone = "nova";
    volume.metadata = Map.of("k", "v");
    volume.requestId = "req-" + UUID.randomUUID();
    volume.createdAt = LocalDateTime.now().truncatedTo(ChronoUnit.MICROS);
    return volume;
  }
}
