package io.ember.scheduler.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Retry;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.ServiceHeartbeat;
import io.ember.model.contract.ServiceRecord;
import io.ember.model.contract.ServiceStatus;
import io.ember.model.contract.VolumeSpec;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.capability.PoolState;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compacted services topic: an admin's disable (the API's status record) keeps new volumes off
 * a volume host until it is enabled again, and the scheduler announces itself there.
 */
@QuarkusTest
class ServicesTopicTest {

  @ConfigProperty(name = "ember.topic-prefix")
  String prefix;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject PoolRegistry registry;
  @Inject ServicesConsumer servicesConsumer;

  private Topics topics;
  private KafkaSupport kafka;
  private String zone;

  @BeforeEach
  void setUp() {
    topics = new Topics(prefix);
    kafka = new KafkaSupport(bootstrap);
    zone = "az-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void tearDown() {
    kafka.close();
  }

  @Test
  void aDisabledHostGetsNoNewVolumesUntilEnabled() {
    String roomy = zone + "-roomy@fake#pool0";
    String small = zone + "-small@fake#pool0";
    report(roomy, 1000);
    report(small, 100);
    String roomyHost = HostAddress.parse(roomy).backendHost();

    assertEquals(roomy, placementOf(newId()), "the roomier pool wins while its host is enabled");

    status(roomyHost, true, "maintenance");
    awaitLive(roomy, false);
    assertEquals(small, placementOf(newId()), "a disabled host's pools are skipped");

    status(roomyHost, false, null);
    awaitLive(roomy, true);
    assertEquals(roomy, placementOf(newId()));
  }

  @Test
  void requestsWaitUntilTheServicesTopicIsReadToWhereItEnded() {
    String pool = zone + "-roomy@fake#pool0";
    report(pool, 1000);
    status(HostAddress.parse(pool).backendHost(), true, "before a restart");
    awaitLive(pool, false);

    // What a scheduler starting now would wait for: the topic's last offsets, which this one has
    // read (the status above is among them).
    Map<Integer, Long> end = servicesConsumer.lastOffsets(topics.services());
    org.junit.jupiter.api.Assertions.assertFalse(end.isEmpty(), "the status is on the topic");
    registry.servicesEndAtStart(end);
    org.junit.jupiter.api.Assertions.assertTrue(registry.servicesReplayed());
    registry.servicesEndAtStart(
        Map.of(end.keySet().iterator().next(), end.values().iterator().next() + 1));
    org.junit.jupiter.api.Assertions.assertFalse(
        registry.servicesReplayed(), "a record not read yet keeps requests waiting");
    registry.servicesEndAtStart(end);
    status(HostAddress.parse(pool).backendHost(), false, null);
    awaitLive(pool, true);
  }

  @Test
  void theSchedulerAnnouncesItself() {
    ConsumerTask<String, String> beats =
        kafka.read(
            Set.of(topics.services()),
            r -> r.key() != null && r.key().startsWith("service.heartbeat|cinder-scheduler|"));
    Envelope beat =
        Envelope.fromJson(beats.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord().value());
    assertEquals(MessageType.SERVICE_HEARTBEAT, beat.messageType());
    ServiceHeartbeat heartbeat = beat.payloadAs(ServiceHeartbeat.class);
    assertEquals(ServiceRecord.SCHEDULER_BINARY, heartbeat.binary());
    assertEquals("nova", heartbeat.availabilityZone());
  }

  private String placementOf(String volumeId) {
    ConsumerTask<String, String> creates =
        kafka.readKeys(
            Set.of(
                topics.volumeHost(zone + "-roomy@fake"), topics.volumeHost(zone + "-small@fake")),
            Set.of(volumeId));
    schedule(volumeId);
    ConsumerRecord<String, String> record =
        creates.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord();
    return Envelope.fromJson(record.value()).payloadAs(CreateVolume.class).pool();
  }

  private void status(String host, boolean disabled, String reason) {
    ServiceStatus status =
        new ServiceStatus(ServiceRecord.VOLUME_BINARY, host, disabled, reason, Instant.now());
    kafka.send(
        topics.services(),
        Envelope.of(
            MessageType.SERVICE_STATUS,
            ServiceRecord.key(MessageType.SERVICE_STATUS, status.binary(), host),
            null,
            status));
  }

  private void report(String pool, double totalGb) {
    CapabilityReport report =
        new CapabilityReport(
            pool,
            "fake",
            "Ember",
            "1.0.0",
            "iSCSI",
            zone,
            totalGb,
            totalGb,
            0,
            0,
            false,
            true,
            1.0,
            0,
            Map.of(),
            List.of(),
            Instant.now());
    kafka.send(topics.capabilities(), Envelope.of(MessageType.CAPABILITIES, pool, null, report));
    awaitLive(pool, true);
  }

  private void awaitLive(String pool, boolean live) {
    long deadline = System.nanoTime() + KafkaSupport.TIMEOUT.toNanos();
    while (registry.livePools().stream().map(PoolState::name).anyMatch(pool::equals) != live) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(pool + " did not become " + (live ? "live" : "unschedulable"));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private void schedule(String volumeId) {
    VolumeSpec volume =
        new VolumeSpec(
            volumeId, "project", "user", 1, "vol", zone, null, Map.of(), Map.of(), Instant.now());
    kafka.send(
        topics.schedulerRequests(),
        Envelope.of(
            MessageType.SCHEDULE_VOLUME,
            volumeId,
            new RequestContext("req-" + newId(), "user", "project", List.of()),
            new ScheduleVolume(volume, Retry.first())));
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }
}
