package io.ember.api.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ember.api.outbound.SchedulerCommands;
import io.ember.api.volume.Volume;
import io.ember.model.RequestContext;
import io.ember.model.contract.VolumeSpec;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The cast on its own: the volume as the scheduler gets it, sent once, and nothing on revert. */
class VolumeCastTaskTest {

  /** The casts, recorded instead of written to the outbox. */
  static final class RecordedScheduler extends SchedulerCommands {
    record Cast(VolumeSpec spec, RequestContext caller) {}

    final List<Cast> casts = new ArrayList<>();

    @Override
    public void scheduleVolume(VolumeSpec spec, RequestContext caller) {
      casts.add(new Cast(spec, caller));
    }
  }

  private static final RequestContext CALLER =
      new RequestContext("req-7", "alice", "p1", List.of("member"));

  private final RecordedScheduler scheduler = new RecordedScheduler();
  private final VolumeCastTask task = new VolumeCastTask(scheduler);

  /** A context as the entry task leaves it. */
  private static CreateVolumeContext withEntry() {
    Volume volume = new Volume();
    volume.id = UUID.randomUUID();
    volume.projectId = "p1";
    volume.userId = "alice";
    volume.size = 5;
    volume.name = "data";
    volume.availabilityZone = "nova";
    volume.metadata = Map.of("k", "v");
    volume.createdAt = LocalDateTime.of(2026, 1, 2, 3, 4, 5, 6000);
    CreateVolumeContext context = new CreateVolumeContext(null, CALLER);
    context.volume = volume;
    return context;
  }

  @Test
  void executeCastsTheVolumeToTheSchedulerForTheCaller() {
    CreateVolumeContext context = withEntry();
    Volume volume = context.volume();

    task.execute(context);

    assertEquals(1, scheduler.casts.size());
    RecordedScheduler.Cast cast = scheduler.casts.get(0);
    assertSame(CALLER, cast.caller());
    VolumeSpec spec = cast.spec();
    assertEquals(volume.id.toString(), spec.volumeId());
    assertEquals("p1", spec.projectId());
    assertEquals("alice", spec.userId());
    assertEquals(5, spec.size());
    assertEquals("data", spec.name());
    assertEquals("nova", spec.availabilityZone());
    assertNull(spec.volumeTypeId());
    assertEquals(Map.of(), spec.extraSpecs());
    assertEquals(Map.of("k", "v"), spec.metadata());
    assertEquals(volume.createdAt.toInstant(ZoneOffset.UTC), spec.createdAt());
  }

  @Test
  void theTypesQosGoesAlongOnlyWhenTheBackEndConsumesIt() {
    UUID typeId = UUID.randomUUID();
    for (String consumer : List.of("back-end", "both", "front-end")) {
      io.ember.api.qos.QosSpecs qos =
          new io.ember.api.qos.QosSpecs(
              UUID.randomUUID(),
              "q-" + consumer,
              consumer,
              Map.of("total_iops_sec", "500"),
              LocalDateTime.now(),
              null);
      RecordedScheduler casts = new RecordedScheduler();
      VolumeCastTask withQos =
          new VolumeCastTask(
              casts,
              id -> id.equals(typeId) ? java.util.Optional.of(qos) : java.util.Optional.empty());
      CreateVolumeContext context = withEntry();
      context.volume.volumeTypeId = typeId;

      withQos.execute(context);

      var sent = casts.casts.get(0).spec().qosSpecs();
      if (consumer.equals("front-end")) {
        assertNull(sent, "a front-end spec is for the attach, not the driver");
      } else {
        assertEquals(
            new io.ember.model.contract.QosSpecs(
                qos.id().toString(), "q-" + consumer, consumer, Map.of("total_iops_sec", "500")),
            sent);
      }
    }
  }

  @Test
  void aTypeWithoutQosSendsNone() {
    CreateVolumeContext context = withEntry();
    context.volume.volumeTypeId = UUID.randomUUID();
    new VolumeCastTask(scheduler, id -> java.util.Optional.empty()).execute(context);
    assertNull(scheduler.casts.get(0).spec().qosSpecs());
  }

  @Test
  void revertSendsNothingMore() throws Exception {
    CreateVolumeContext context = withEntry();
    task.execute(context);

    // Nothing to undo: the cast is the flow's last step, and a transaction that fails after it
    // takes its outbox row along.
    task.revert(context, new IllegalStateException("the transaction failed"));

    assertEquals(1, scheduler.casts.size());
  }

  @Test
  void aCopysSpecNamesItsSourceAndTheHostHoldingIt() {
    CreateVolumeContext fromSnapshot = withEntry();
    UUID snapshot = UUID.randomUUID();
    fromSnapshot.snapshotId = snapshot;
    fromSnapshot.sourceHost = "node2@fake#pool";
    task.execute(fromSnapshot);
    assertEquals(
        io.ember.model.contract.VolumeSource.snapshot(snapshot.toString(), "node2@fake#pool"),
        scheduler.casts.get(0).spec().source());

    CreateVolumeContext fromImage = withEntry();
    fromImage.imageId = "cirros";
    task.execute(fromImage);
    assertEquals(
        io.ember.model.contract.VolumeSource.image("cirros"),
        scheduler.casts.get(1).spec().source());

    task.execute(withEntry());
    assertNull(scheduler.casts.get(2).spec().source(), "a raw volume has no source");
  }
}
