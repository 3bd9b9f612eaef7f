package io.ember.api.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeRows;
import io.ember.model.RequestContext;
import io.ember.model.outbox.Outbox;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The entry on its own: the row it has written at commit, and withdrawn on revert. */
class EntryCreateTaskTest {

  /** The rows' writes, recorded instead of sent to the database. */
  static final class RecordedRows extends VolumeRows {
    final List<Volume> inserted = new ArrayList<>();
    final List<Outbox.CommitWrite> writes = new ArrayList<>();
    final List<Outbox.CommitWrite> withdrawn = new ArrayList<>();

    @Override
    public Outbox.CommitWrite insertAtCommit(Volume volume) {
      Outbox.CommitWrite write = new Outbox.CommitWrite("insert", (c, s, index) -> index);
      inserted.add(volume);
      writes.add(write);
      return write;
    }

    @Override
    public void withdraw(Outbox.CommitWrite insert) {
      withdrawn.add(insert);
    }
  }

  private final RecordedRows rows = new RecordedRows();
  private final EntryCreateTask task = new EntryCreateTask(rows);

  /** A context as the request check leaves it. */
  private static CreateVolumeContext checked() {
    CreateVolumeContext context =
        new CreateVolumeContext(
            null, new RequestContext("req-42", "alice", "p1", List.of("member")));
    context.size = 3;
    context.name = "data";
    context.description = "d";
    context.availabilityZone = "nova";
    context.metadata = Map.of("k", "v");
    return context;
  }

  @Test
  void executeHasTheEntryWrittenInCreatingAndKeepsItInTheContext() {
    CreateVolumeContext context = checked();

    task.execute(context);

    Volume volume = context.volume();
    assertEquals(List.of(volume), rows.inserted);
    assertNotNull(volume.id);
    assertEquals("p1", volume.projectId);
    assertEquals("alice", volume.userId);
    assertEquals("data", volume.name);
    assertEquals("d", volume.description);
    assertEquals(3, volume.size);
    assertEquals("creating", volume.status);
    assertEquals("detached", volume.attachStatus);
    assertEquals("nova", volume.availabilityZone);
    assertEquals(Map.of("k", "v"), volume.metadata);
    assertEquals("req-42", volume.requestId);
    assertEquals(volume.createdAt.truncatedTo(ChronoUnit.MICROS), volume.createdAt);
    assertNull(volume.host, "not placed yet");
    assertEquals(List.of(), rows.withdrawn);
  }

  @Test
  void revertWithdrawsTheWriteOnce() {
    CreateVolumeContext context = checked();
    task.execute(context);

    task.revert(context, new IllegalStateException("a later task failed"));
    task.revert(context, new IllegalStateException("reverted again"));

    assertEquals(1, rows.withdrawn.size());
    assertSame(rows.writes.get(0), rows.withdrawn.get(0));
  }
}
