package io.ember.volume.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A record is written when its transaction commits, yet a later command of the same poll (one
 * transaction) for the same volume must see it: a replayed create is answered from it, a delete
 * takes it.
 */
@QuarkusTest
class BackendVolumesTest {

  private static final String POOL = "node1@fake#fake";

  @Inject BackendVolumes volumes;

  @Test
  void aRecordIsFoundInItsOwnTransactionAndWrittenAtCommit() {
    String id = UUID.randomUUID().toString();

    Optional<BackendVolume> seen =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  volumes.record(id, POOL, 3, "fake://" + id);
                  return volumes.find(id);
                });

    assertEquals(Optional.of(POOL), seen.map(BackendVolume::pool));
    BackendVolume stored = volumes.find(id).orElseThrow();
    assertEquals(3, stored.size());
    assertEquals("fake://" + id, stored.providerLocation());
  }

  @Test
  void aRecordTakenInItsOwnTransactionIsNeverWritten() {
    String id = UUID.randomUUID().toString();

    Optional<BackendVolume> taken =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  volumes.record(id, POOL, 3, "fake://" + id);
                  return volumes.take(id);
                });

    assertEquals(Optional.of(id), taken.map(BackendVolume::volumeId));
    assertTrue(volumes.find(id).isEmpty());
  }

  @Test
  void aRecordMadeTakenAndPutBackInOneTransactionIsSeenAndWritten() {
    String id = UUID.randomUUID().toString();

    Optional<BackendVolume> seen =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  volumes.record(id, POOL, 2, "fake://" + id);
                  volumes.restore(volumes.take(id).orElseThrow());
                  return volumes.find(id);
                });

    assertEquals(Optional.of(2), seen.map(BackendVolume::size));
    assertEquals(2, volumes.find(id).orElseThrow().size());
  }
}
