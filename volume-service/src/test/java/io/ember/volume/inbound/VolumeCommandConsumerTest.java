package io.ember.volume.inbound;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ExtendVolume;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Retry;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeCreated;
import io.ember.model.contract.VolumeDeleteFailed;
import io.ember.model.contract.VolumeDeleted;
import io.ember.model.contract.VolumeSpec;
import io.ember.volume.backend.BackendVolume;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.driver.fake.FakeDriver;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drives the service as the system does: commands on this host's topic, results read back from the
 * topics the other services consume. The consumer is where a command comes in, so the whole path
 * behind it (manager, flow, driver, outgoing messages, capability reports) is tested from here.
 */
@QuarkusTest
class VolumeCommandConsumerTest {

  private static final String HOST = "testnode@fake";
  private static final String POOL = HOST + "#fake";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static KafkaCompanion kafka;
  private static Topics topics;

  @Inject FakeDriver driver;
  @Inject BackendVolumes volumes;

  @BeforeAll
  static void connect() {
    kafka = new KafkaCompanion("localhost:9092");
    topics = new Topics(ConfigProvider.getConfig().getValue("ember.topic-prefix", String.class));
  }

  @AfterAll
  static void disconnect() {
    kafka.close();
  }

  // ---- create ----

  @Test
  void createAnnouncesTheVolumeNotifiesAndAcknowledgesIt() {
    String id = newId();
    String requestId = "req-" + UUID.randomUUID();
    send(id, create(id, Map.of("purpose", "notify"), true, requestId));

    Envelope created = one(topics.volumeEvents(), id, MessageType.VOLUME_CREATED);
    VolumeCreated event = created.payloadAs(VolumeCreated.class);
    assertEquals(POOL, event.pool());
    assertEquals("fake://" + HOST + "/fake/" + id, event.providerLocation());
    assertNotNull(event.launchedAt());
    assertEquals(requestId, created.requestId());

    // As an event consumer reads them: CloudEvents in structured mode, the type in a header.
    List<ConsumerRecord<String, String>> records =
        records(topics.notifications(), r -> id.equals(r.key()), 2, WAIT);
    assertEquals(2, records.size(), "notifications of " + id);
    List<String> types = new ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      assertEquals("application/cloudevents+json; charset=UTF-8", header(record, "content-type"));
      CloudEvent note = CloudEvent.fromJson(record.value());
      assertEquals(note.type(), header(record, "ce_type"));
      assertEquals(note.id(), header(record, "ce_id"));
      assertEquals("volume." + HOST, note.source());
      assertEquals(id, note.subject());
      assertEquals("INFO", note.priority());
      assertEquals(requestId, note.requestid());
      assertEquals("application/json", note.datacontenttype());
      assertNotNull(note.time());
      Map<String, Object> data = note.dataFields();
      assertEquals(id, data.get("volume_id"));
      assertEquals("proj", data.get("tenant_id"));
      assertEquals("user", data.get("user_id"));
      assertEquals("vol", data.get("display_name"));
      assertEquals(3, data.get("size"));
      assertEquals("nova", data.get("availability_zone"));
      assertEquals(POOL, data.get("host"));
      assertEquals(Map.of("purpose", "notify"), data.get("metadata"));
      types.add(note.type());
    }
    assertEquals(List.of("volume.create.start", "volume.create.end"), types);
    CloudEvent start = CloudEvent.fromJson(records.get(0).value());
    CloudEvent end = CloudEvent.fromJson(records.get(1).value());
    assertEquals("creating", start.dataFields().get("status"));
    assertNull(start.dataFields().get("launched_at"));
    assertEquals("available", end.dataFields().get("status"));
    assertEquals(event.launchedAt().toString(), end.dataFields().get("launched_at"));

    CapabilityReport report = acknowledging(id);
    assertEquals("fake", report.volumeBackendName());
    assertEquals("Ember", report.vendorName());
    assertEquals("nova", report.availabilityZone());
    assertTrue(report.allocatedCapacityGb() >= 3, "the new volume counts as allocated");
    assertEquals(
        report.totalCapacityGb() - report.provisionedCapacityGb(), report.freeCapacityGb());
    assertTrue(driver.holds(id));
  }

  @Test
  void theTypesBackEndQosReachesTheDriver() {
    String id = newId();
    String qosId = newId();
    var qos =
        new io.ember.model.contract.QosSpecs(
            qosId, "fast", "back-end", Map.of("total_iops_sec", "500", "read_bytes_sec", "1024"));
    VolumeSpec spec =
        new VolumeSpec(
            id, "proj", "user", 1, "vol", "nova", "t1", Map.of(), Map.of(), Instant.now(), qos);
    send(
        id,
        Envelope.of(
            MessageType.CREATE_VOLUME,
            id,
            context("req-q"),
            new CreateVolume(spec, POOL, new Retry(1, List.of(), null), true)));

    one(topics.volumeEvents(), id, MessageType.VOLUME_CREATED);
    assertEquals(qos, driver.qosSpecs(id), "the driver's create got the QoS");
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("ember_fake_qos_volumes{")
                        && l.contains("qos_specs_id=\"" + qosId + "\"")
                        && l.contains("specs=\"read_bytes_sec=1024,total_iops_sec=500\"")
                        && l.endsWith(" 1.0")),
        metrics);
  }

  @Test
  void aFailedCreateThatMayBeRescheduledGoesBackToTheScheduler() {
    String id = newId();
    send(id, create(id, Map.of(FakeDriver.FAIL_CREATE, HOST), true, "req-r"));

    ScheduleVolume request =
        one(topics.schedulerRequests(), id, MessageType.SCHEDULE_VOLUME)
            .payloadAs(ScheduleVolume.class);
    assertEquals(id, request.volume().volumeId());
    assertTrue(request.retry().triedHosts().contains(HOST));
    assertTrue(request.retry().lastError().contains("injected create failure"));
    acknowledging(id);
    assertFalse(driver.holds(id));
    assertTrue(volumes.find(id).isEmpty());
  }

  @Test
  void aFailedCreateThatMayNotBeRescheduledIsReportedFailed() {
    String id = newId();
    send(id, create(id, Map.of(FakeDriver.FAIL_CREATE, "*"), false, "req-f"));

    VolumeCreateFailed failed =
        one(topics.volumeEvents(), id, MessageType.VOLUME_CREATE_FAILED)
            .payloadAs(VolumeCreateFailed.class);
    assertEquals(POOL, failed.pool());
    assertTrue(failed.reason().contains("injected create failure"), failed.reason());
    acknowledging(id);
  }

  @Test
  void theSameCreateDeliveredTwiceCreatesOnceAndAReplayIsAnsweredFromTheRecord() {
    String id = newId();
    Envelope command = create(id, Map.of(), true, "req-d");
    send(id, command);
    send(id, command);
    // Same key, so same partition: once this marker is answered, both copies were handled.
    String marker = newId();
    send(id, delete(marker, "req-m"));
    one(topics.volumeEvents(), marker, MessageType.VOLUME_DELETED);
    assertEquals(1, driver.createCalls(id));
    assertEquals(1, events(id, MessageType.VOLUME_CREATED, 1, Duration.ofSeconds(1)).size());

    // A replay under a new message id (a re-sent command) is answered without a second create.
    send(id, create(id, Map.of(), true, "req-d2"));
    List<Envelope> announced = events(id, MessageType.VOLUME_CREATED, 2, WAIT);
    assertEquals(2, announced.size());
    assertEquals(1, driver.createCalls(id));
    VolumeCreated first = announced.get(0).payloadAs(VolumeCreated.class);
    VolumeCreated again = announced.get(1).payloadAs(VolumeCreated.class);
    assertEquals(POOL, again.pool());
    assertEquals(first.providerLocation(), again.providerLocation());
    assertEquals("req-d2", announced.get(1).requestId());
  }

  // ---- delete ----

  @Test
  void anExtendIsAcknowledgedByAReportThatIncludesIt() {
    String id = newId();
    send(id, create(id, Map.of(), true, "req-c"));
    one(topics.volumeEvents(), id, MessageType.VOLUME_CREATED);

    send(
        id,
        Envelope.of(
            MessageType.EXTEND_VOLUME,
            id,
            context("req-x"),
            new ExtendVolume(id, "proj", POOL, 3, 5)));

    one(topics.volumeEvents(), id, MessageType.VOLUME_EXTENDED);
    // The scheduler counts the added 2 GB until a report lists the extend: that report has them.
    CapabilityReport report = acknowledging(CapabilityReport.extendKey(id, 5));
    assertTrue(report.allocatedCapacityGb() >= 5, "the extended volume counts as allocated");
  }

  @Test
  void deleteRemovesTheVolume() {
    String id = newId();
    send(id, create(id, Map.of(), true, "req-c"));
    one(topics.volumeEvents(), id, MessageType.VOLUME_CREATED);

    send(id, delete(id, "req-del"));

    VolumeDeleted deleted =
        one(topics.volumeEvents(), id, MessageType.VOLUME_DELETED).payloadAs(VolumeDeleted.class);
    assertEquals(POOL, deleted.pool());
    List<CloudEvent> events = notifications(id, 4);
    assertEquals(
        List.of(
            "volume.create.start", "volume.create.end", "volume.delete.start", "volume.delete.end"),
        events.stream().map(CloudEvent::type).toList());
    // The host keeps no names: the delete's name and metadata are the ones the API sent.
    for (CloudEvent deleteEvent : events.subList(2, 4)) {
      assertEquals("vol", deleteEvent.dataFields().get("display_name"));
      assertEquals(Map.of("k", "v"), deleteEvent.dataFields().get("metadata"));
    }
    assertFalse(driver.holds(id));
    assertTrue(volumes.find(id).isEmpty());
  }

  @Test
  void commandsAboutOneVolumeInOnePollSeeWhatTheOnesBeforeThemDid() {
    String id = newId();
    send(id, create(id, Map.of(), true, "req-c1"));
    one(topics.volumeEvents(), id, MessageType.VOLUME_CREATED);

    // Sent together (one poll as a rule): a delete of the stored record, a create of the same id
    // (a new volume on the backend), a replay of that create, then its delete and a last create.
    Envelope again = create(id, Map.of(), true, "req-c2");
    sendAll(
        id,
        List.of(
            delete(id, "req-d1"),
            again,
            create(id, Map.of(), true, "req-c3"),
            delete(id, "req-d2"),
            create(id, Map.of(), true, "req-c4")));

    List<Envelope> created = events(id, MessageType.VOLUME_CREATED, 4, WAIT);
    assertEquals(
        List.of("req-c1", "req-c2", "req-c3", "req-c4"),
        created.stream().map(Envelope::requestId).toList());
    assertEquals(2, events(id, MessageType.VOLUME_DELETED, 2, WAIT).size());
    assertEquals(3, driver.createCalls(id), "the replay (req-c3) is answered from the record");
    assertTrue(driver.holds(id));
    BackendVolume stored = volumes.find(id).orElseThrow();
    assertEquals(POOL, stored.pool());
    assertEquals(
        created.get(3).payloadAs(VolumeCreated.class).providerLocation(),
        stored.providerLocation());
  }

  @Test
  void aFailedDeleteIsReported() {
    String id = newId();
    send(id, create(id, Map.of(FakeDriver.FAIL_DELETE, "*"), true, "req-c"));
    one(topics.volumeEvents(), id, MessageType.VOLUME_CREATED);

    send(id, delete(id, "req-del"));

    VolumeDeleteFailed failed =
        one(topics.volumeEvents(), id, MessageType.VOLUME_DELETE_FAILED)
            .payloadAs(VolumeDeleteFailed.class);
    assertTrue(failed.reason().contains("injected delete failure"), failed.reason());
    assertTrue(driver.holds(id));
    assertTrue(volumes.find(id).isPresent());
  }

  // ---- delivery ----

  @Test
  void aMalformedMessageIsDeadLetteredAndTheNextOneProcessed() {
    String key = newId();
    String garbage = "{not an envelope " + key;
    kafka
        .produceStrings()
        .fromRecords(new ProducerRecord<>(topics.volumeHost(HOST), key, garbage))
        .awaitCompletion(WAIT);
    send(key, create(key, Map.of(), true, "req-after"));

    List<ConsumerRecord<String, String>> dead =
        records(topics.deadLetter(), r -> garbage.equals(r.value()), 1, WAIT);
    assertEquals(1, dead.size());
    assertNotNull(KafkaCompanion.getHeader(dead.get(0).headers(), "dead-letter-reason"));
    one(topics.volumeEvents(), key, MessageType.VOLUME_CREATED);
  }

  @Test
  void aCommandForAnotherHostsPoolIsDeadLetteredWithTheReason() {
    String id = newId();
    Envelope misrouted =
        Envelope.of(
            MessageType.CREATE_VOLUME,
            id,
            context("req-x"),
            new CreateVolume(
                create(id, Map.of(), true, "req-x").payloadAs(CreateVolume.class).volume(),
                "othernode@fake#fake",
                Retry.first(),
                true));
    send(id, misrouted);

    List<ConsumerRecord<String, String>> dead =
        records(topics.deadLetter(), r -> id.equals(r.key()), 1, WAIT);
    assertEquals(1, dead.size());
    String reason = KafkaCompanion.getHeader(dead.get(0).headers(), "dead-letter-reason");
    assertTrue(reason.contains("is not a pool of " + HOST), reason);
    assertEquals(0, driver.createCalls(id));
  }

  @Test
  void readyWhileTheCommandLoopConsumesThisHostsTopic() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(
            "checks.find { it.name == 'inbox consumers' }.data.'volume.commands'",
            equalTo("consuming " + topics.volumeHost(HOST)));
  }

  // ---- helpers ----

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  private static Envelope create(
      String id, Map<String, String> metadata, boolean allowReschedule, String requestId) {
    VolumeSpec spec =
        new VolumeSpec(id, "proj", "user", 3, "vol", "nova", null, null, metadata, Instant.now());
    return Envelope.of(
        MessageType.CREATE_VOLUME,
        id,
        context(requestId),
        new CreateVolume(spec, POOL, new Retry(1, List.of(), null), allowReschedule));
  }

  private static Envelope delete(String id, String requestId) {
    return Envelope.of(
        MessageType.DELETE_VOLUME,
        id,
        context(requestId),
        new DeleteVolume(id, "proj", POOL, 3, "vol", Map.of("k", "v")));
  }

  private static RequestContext context(String requestId) {
    return new RequestContext(requestId, "user", "proj", List.of("member"));
  }

  /** Produces the envelopes in one batch under {@code key}, in order. */
  private static void sendAll(String key, List<Envelope> envelopes) {
    kafka
        .produceStrings()
        .fromRecords(
            envelopes.stream()
                .map(e -> new ProducerRecord<>(topics.volumeHost(HOST), key, e.toJson()))
                .toList())
        .awaitCompletion(WAIT);
  }

  /** Produces with {@code key} as the Kafka key (it decides the partition, hence the order). */
  private static void send(String key, Envelope envelope) {
    kafka
        .produceStrings()
        .fromRecords(new ProducerRecord<>(topics.volumeHost(HOST), key, envelope.toJson()))
        .awaitCompletion(WAIT);
  }

  /** Reads {@code topic} from the start with a fresh group until {@code count} records match. */
  private static List<ConsumerRecord<String, String>> records(
      String topic, Predicate<ConsumerRecord<String, String>> match, int count, Duration wait) {
    try (ConsumerTask<String, String> task =
        kafka
            .consumeStrings()
            .withGroupId("test-" + UUID.randomUUID())
            .withProp("auto.offset.reset", "earliest")
            .fromTopics(topic, records -> records.filter(match))) {
      try {
        task.awaitRecords(count, wait);
      } catch (AssertionError notYet) {
        // The caller judges what arrived.
      }
      return task.getRecords();
    }
  }

  private static List<Envelope> events(String key, MessageType type, int count, Duration wait) {
    return records(
            topics.volumeEvents(),
            r -> key.equals(r.key()) && Envelope.fromJson(r.value()).messageType() == type,
            count,
            wait)
        .stream()
        .map(r -> Envelope.fromJson(r.value()))
        .toList();
  }

  private static Envelope one(String topic, String key, MessageType type) {
    List<ConsumerRecord<String, String>> found =
        records(
            topic,
            r -> key.equals(r.key()) && Envelope.fromJson(r.value()).messageType() == type,
            1,
            WAIT);
    assertEquals(1, found.size(), "expected " + type.wire() + " for " + key + " on " + topic);
    return Envelope.fromJson(found.get(0).value());
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static List<CloudEvent> notifications(String volumeId, int count) {
    List<CloudEvent> found =
        records(topics.notifications(), r -> volumeId.equals(r.key()), count, WAIT).stream()
            .map(r -> CloudEvent.fromJson(r.value()))
            .toList();
    assertEquals(count, found.size(), "notifications of " + volumeId);
    return found;
  }

  private static CapabilityReport acknowledging(String volumeId) {
    List<CapabilityReport> reports =
        records(
                topics.capabilities(),
                r ->
                    POOL.equals(r.key())
                        && Envelope.fromJson(r.value())
                            .payloadAs(CapabilityReport.class)
                            .acknowledgedVolumeIds()
                            .contains(volumeId),
                1,
                WAIT)
            .stream()
            .map(r -> Envelope.fromJson(r.value()).payloadAs(CapabilityReport.class))
            .toList();
    // Every later report of the pool lists the id again (the latest acknowledged creates), so a
    // periodic report may already have followed the first one.
    assertFalse(reports.isEmpty(), "a capability report acknowledging " + volumeId);
    return reports.get(0);
  }
}
