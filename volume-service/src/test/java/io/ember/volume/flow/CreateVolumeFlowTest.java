package io.ember.volume.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.ember.model.contract.Retry;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeSource;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.flow.FlowFailedException;
import io.ember.model.image.DirectoryImageStore;
import io.ember.model.outbox.Outbox;
import io.ember.volume.backend.BackendSnapshot;
import io.ember.volume.backend.BackendSnapshots;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.ModelUpdate;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.driver.fake.FakeDriver;
import io.ember.volume.outbound.HostMessages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure paths of the manager create flow, without Kafka or a database: every path here stops
 * before the task that records the volume.
 */
class CreateVolumeFlowTest {

  private static final String HOST = "node1@fake";
  private static final String POOL = "node1@fake#fake";
  private static final RequestContext CONTEXT =
      new RequestContext("req-1", "user", "project", List.of());

  /** What the flow wrote to the outbox, as (topic, envelope). */
  private final List<Object[]> sent = new ArrayList<>();

  private final Outbox outbox =
      new Outbox() {
        @Override
        public void send(String topic, Envelope envelope) {
          sent.add(new Object[] {topic, envelope});
        }
      };

  private FakeDriver driver;

  @BeforeEach
  void setUp() {
    driver = new FakeDriver(HOST, List.of("fake"), 100, Duration.ZERO, "fake");
    driver.doSetup();
  }

  @TempDir Path images;

  /** No snapshot is recorded on this host. */
  private final BackendSnapshots noSnapshots =
      new BackendSnapshots() {
        @Override
        public Optional<BackendSnapshot> find(String snapshotId) {
          return Optional.empty();
        }
      };

  private CreateVolumeFlow flow(FakeDriver d) {
    return new CreateVolumeFlow(
        d,
        new BackendVolumes(),
        noSnapshots,
        new DirectoryImageStore(images),
        new HostMessages(outbox, new Topics("t"), HOST),
        HOST);
  }

  private static CreateVolume command(
      Map<String, String> metadata, String pool, boolean allowReschedule) {
    return command(metadata, pool, allowReschedule, null);
  }

  private static CreateVolume command(
      Map<String, String> metadata, String pool, boolean allowReschedule, VolumeSource source) {
    VolumeSpec spec =
        new VolumeSpec(
                "vol-1", "project", "user", 2, "v", "nova", null, null, metadata, Instant.now())
            .withSource(source);
    return new CreateVolume(spec, pool, new Retry(1, List.of("node0@fake"), null), allowReschedule);
  }

  private List<String> sentTypes() {
    return sent.stream()
        .map(
            s -> {
              Envelope e = (Envelope) s[1];
              return e.messageType() == MessageType.NOTIFICATION
                  ? e.payloadAs(Notification.class).eventType()
                  : s[0] + " " + e.type();
            })
        .toList();
  }

  private Envelope lastSent() {
    return (Envelope) sent.get(sent.size() - 1)[1];
  }

  @Test
  void driverFailureWithRescheduleAllowedSendsTheVolumeBackToTheScheduler() {
    CreateVolume command = command(Map.of(FakeDriver.FAIL_CREATE, HOST), POOL, true);

    FlowFailedException failure =
        assertThrows(FlowFailedException.class, () -> flow(driver).run(CONTEXT, command));

    assertEquals("CreateVolumeFromSpecTask", failure.taskName());
    assertEquals(
        List.of("volume.create.start", "t.scheduler.requests schedule_volume"), sentTypes());
    ScheduleVolume request = lastSent().payloadAs(ScheduleVolume.class);
    assertEquals("vol-1", request.volume().volumeId());
    assertEquals(List.of("node0@fake", HOST), request.retry().triedHosts());
    assertEquals(1, request.retry().attempts(), "the scheduler counts attempts, not the host");
    assertTrue(request.retry().lastError().contains("injected create failure"));
    assertEquals("req-1", lastSent().requestId());
    assertEquals("vol-1", lastSent().key());
  }

  @Test
  void driverFailureWithoutRescheduleReportsTheVolumeFailed() {
    CreateVolume command = command(Map.of(FakeDriver.FAIL_CREATE, "*"), POOL, false);

    assertThrows(FlowFailedException.class, () -> flow(driver).run(CONTEXT, command));

    assertEquals(
        List.of("volume.create.start", "t.volume.events volume.create_failed"), sentTypes());
    VolumeCreateFailed failed = lastSent().payloadAs(VolumeCreateFailed.class);
    assertEquals(POOL, failed.pool());
    assertEquals("injected create failure on node1@fake", failed.reason());
  }

  @Test
  void rescheduleCleansUpWhatTheBackendLeft() {
    // A backend that made the volume and then reported failure.
    FakeDriver halfDone =
        new FakeDriver(HOST, List.of("fake"), 100, Duration.ZERO, "fake") {
          @Override
          public ModelUpdate createVolume(DriverVolume volume) {
            super.createVolume(volume);
            throw new VolumeDriverException("lost the export");
          }
        };
    halfDone.doSetup();

    assertThrows(
        FlowFailedException.class, () -> flow(halfDone).run(CONTEXT, command(null, POOL, true)));

    assertFalse(halfDone.holds("vol-1"));
    assertEquals("t.scheduler.requests schedule_volume", sentTypes().get(1));
  }

  @Test
  void anUninitializedDriverFailsTheCreate() {
    FakeDriver notSetUp = new FakeDriver(HOST, List.of("fake"), 100, Duration.ZERO, "fake");

    FlowFailedException failure =
        assertThrows(
            FlowFailedException.class,
            () -> flow(notSetUp).run(CONTEXT, command(null, POOL, true)));

    assertEquals("volume driver is not initialized", failure.getCause().getMessage());
    assertEquals(0, notSetUp.createCalls("vol-1"));
  }

  @Test
  void aPoolOfAnotherHostIsRejectedBeforeAnythingIsSent() {
    FlowFailedException failure =
        assertThrows(
            FlowFailedException.class,
            () -> flow(driver).run(CONTEXT, command(null, "node2@fake#fake", true)));

    assertInstanceOf(ContractException.class, failure.getCause());
    assertTrue(sent.isEmpty());
    assertEquals(0, driver.createCalls("vol-1"));
  }

  // ---- failures no other backend would fix: the volume goes to error, not back to the scheduler

  @Test
  void aSnapshotThisHostDoesNotHoldFailsWithoutReschedule() {
    CreateVolume command = command(Map.of(), POOL, true, VolumeSource.snapshot("snap-9", POOL));

    FlowFailedException failure =
        assertThrows(FlowFailedException.class, () -> flow(driver).run(CONTEXT, command));

    assertInstanceOf(UnreschedulableException.class, failure.getCause());
    assertEquals(
        List.of("volume.create.start", "t.volume.events volume.create_failed"), sentTypes());
    assertEquals(
        "Snapshot snap-9 could not be found.",
        lastSent().payloadAs(VolumeCreateFailed.class).reason());
    assertEquals(0, driver.createCalls("vol-1"));
  }

  @Test
  void aMissingImageFailsWithoutReschedule() {
    flowFailsWith(VolumeSource.image("img-missing"), "Image img-missing could not be found.");
  }

  @Test
  void anImageLargerThanTheVolumeFailsWithoutReschedule() throws Exception {
    image("img-big", "active", 3L << 30, 0);
    flowFailsWith(
        VolumeSource.image("img-big"),
        "Image img-big size exceeded available disk space: Size is 3GB and doesn't fit in a"
            + " volume of size 2GB.");
  }

  @Test
  void anImageNotActiveOrNeedingMoreDiskFailsWithoutReschedule() throws Exception {
    image("img-queued", "queued", 10, 0);
    flowFailsWith(
        VolumeSource.image("img-queued"),
        "Image img-queued is unacceptable: status is queued, not active");
    sent.clear();
    image("img-min", "active", 10, 5);
    flowFailsWith(
        VolumeSource.image("img-min"),
        "Image img-min is unacceptable: Volume size 2GB cannot be smaller than the image minDisk"
            + " size 5GB.");
  }

  private void flowFailsWith(VolumeSource source, String reason) {
    CreateVolume command = command(Map.of(), POOL, true, source);

    assertThrows(FlowFailedException.class, () -> flow(driver).run(CONTEXT, command));

    assertEquals(
        List.of("volume.create.start", "t.volume.events volume.create_failed"), sentTypes());
    assertEquals(reason, lastSent().payloadAs(VolumeCreateFailed.class).reason());
    assertFalse(driver.holds("vol-1"));
  }

  private void image(String id, String status, long size, int minDisk) throws Exception {
    Files.writeString(
        images.resolve(id + ".json"),
        """
        {"id": "%s", "name": "%s", "status": "%s", "size": %d, "disk_format": "raw",
         "container_format": "bare", "min_disk": %d, "min_ram": 0}
        """
            .formatted(id, id, status, size, minDisk));
    Files.write(images.resolve(id + ".data"), new byte[16]);
  }
}
