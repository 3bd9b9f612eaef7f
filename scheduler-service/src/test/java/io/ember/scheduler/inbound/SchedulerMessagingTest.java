package io.ember.scheduler.inbound;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ExtendVolume;
import io.ember.model.contract.GroupCreateFailed;
import io.ember.model.contract.GroupCreated;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Retry;
import io.ember.model.contract.ScheduleExtend;
import io.ember.model.contract.ScheduleGroup;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeExtendFailed;
import io.ember.model.contract.VolumeSpec;
import io.ember.scheduler.capability.AllocationLedger;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.capability.PoolState;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
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
 * The scheduler end to end against the real broker and database. Tests share one running scheduler
 * (and so one pool view): each puts its pools in an availability zone of its own and asks for it.
 */
@QuarkusTest
class SchedulerMessagingTest {

  @ConfigProperty(name = "ember.topic-prefix")
  String prefix;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject PoolRegistry registry;
  @Inject AgroalDataSource dataSource;

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
  void placesTheVolumeOnTheRoomierPool() {
    String small = pool("small");
    String large = pool("large");
    report(small, 100, 100);
    report(large, 1000, 1000);

    String volumeId = newId();
    ConsumerTask<String, String> creates =
        kafka.readKeys(hostTopics(small, large), Set.of(volumeId));
    Envelope request = schedule(volumeId, 10, Retry.first());

    ConsumerRecord<String, String> record =
        creates.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord();
    assertEquals(topics.volumeHost(large), record.topic());
    Envelope envelope = Envelope.fromJson(record.value());
    assertEquals(MessageType.CREATE_VOLUME, envelope.messageType());
    assertEquals(request.requestId(), envelope.requestId());
    CreateVolume command = envelope.payloadAs(CreateVolume.class);
    assertEquals(large, command.pool());
    assertEquals(volumeId, command.volume().volumeId());
    assertEquals(1, command.retry().attempts());
    assertEquals(List.of(host(large)), command.retry().triedHosts());
    assertTrue(command.allowReschedule());

    given()
        .get("/pools")
        .then()
        .statusCode(200)
        .body("pools.name", hasItem(large))
        .body("pools.find { it.name == '" + large + "' }.in_flight_allocated_gb", equalTo(10.0f));
  }

  @Test
  void theTypesSpecsPickThePoolAndItsQosGoesOnToTheHost() {
    String gold = pool("gold");
    String plain = pool("plain");
    report(plain, 1000, 1000);
    reportWith(gold, 100, 100, Map.of("tier", "gold"));

    String volumeId = newId();
    ConsumerTask<String, String> creates =
        kafka.readKeys(hostTopics(gold, plain), Set.of(volumeId));
    var qos =
        new io.ember.model.contract.QosSpecs(
            "q-1", "fast", "back-end", Map.of("total_iops_sec", "500"));
    schedule(volumeId, 1, Retry.first(), Map.of("tier", "gold"), qos);

    ConsumerRecord<String, String> record =
        creates.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord();
    CreateVolume command = Envelope.fromJson(record.value()).payloadAs(CreateVolume.class);
    assertEquals(gold, command.pool(), "the smaller pool, the only one with tier=gold");
    assertEquals(qos, command.volume().qosSpecs());
    assertEquals(Map.of("tier", "gold"), command.volume().extraSpecs());
  }

  @Test
  void burstOfCreatesUsesBothHosts() {
    String a = pool("a");
    String b = pool("b");
    report(a, 1000, 1000);
    report(b, 1000, 1000);

    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      ids.add(newId());
    }
    ConsumerTask<String, String> creates = kafka.readKeys(hostTopics(a, b), ids);
    ids.forEach(id -> schedule(id, 10, Retry.first()));

    Map<String, Integer> perTopic = new HashMap<>();
    creates
        .awaitRecords(20, KafkaSupport.TIMEOUT)
        .getRecords()
        .forEach(r -> perTopic.merge(r.topic(), 1, Integer::sum));
    assertEquals(Map.of(topics.volumeHost(a), 10, topics.volumeHost(b), 10), perTopic);
  }

  /**
   * Two scheduler replicas share the scheduler database: a placement the other one made (a row it
   * left in the ledger) counts here, and this one's placement is recorded there for the other, then
   * acknowledged by the host's report.
   */
  @Test
  void placementsOfAnotherReplicaCountAndOursAreShared() throws Exception {
    String a = pool("a");
    report(a, 100, 100);
    String theirs = newId();
    sql(
        "insert into pool_allocations (volume_id, pool, size_gb) values ('"
            + theirs
            + "', '"
            + a
            + "', 95)");
    String tooBig = newId();
    ConsumerTask<String, String> events =
        kafka.readKeys(Set.of(topics.volumeEvents()), Set.of(tooBig));
    schedule(tooBig, 10, Retry.first());
    assertEquals(
        MessageType.VOLUME_CREATE_FAILED,
        Envelope.fromJson(events.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord().value())
            .messageType(),
        "95 of the pool's 100 GB are the other replica's");

    String fits = newId();
    ConsumerTask<String, String> creates = kafka.readKeys(hostTopics(a), Set.of(fits));
    schedule(fits, 5, Retry.first());
    creates.awaitRecords(1, KafkaSupport.TIMEOUT);
    assertEquals(
        a + " 5 false",
        sql(
            "select pool || ' ' || size_gb || ' ' || (acked_at is not null)"
                + " from pool_allocations where volume_id = '"
                + fits
                + "'"));

    reportAcknowledging(a, 100, 0, fits, theirs);
    long deadline = System.nanoTime() + KafkaSupport.TIMEOUT.toNanos();
    while (!"2"
        .equals(
            sql(
                "select count(*) from pool_allocations where acked_at is not null"
                    + " and volume_id in ('"
                    + fits
                    + "', '"
                    + theirs
                    + "')"))) {
      assertTrue(System.nanoTime() < deadline, "the report never acknowledged both placements");
      sleep(Duration.ofMillis(50));
    }
  }

  @Test
  void anExtendRacingAnotherReplicasPlacementWaitsForItAndCountsIt() throws Exception {
    String own = pool("own");
    report(own, 100, 30);
    String volumeId = newId();
    ConsumerTask<String, String> casts = kafka.readKeys(hostTopics(own), Set.of(volumeId));
    ConsumerTask<String, String> events =
        kafka.readKeys(Set.of(topics.volumeEvents()), Set.of(volumeId));

    // Another scheduler is deciding a 15 GB placement on the pool while the extend (20 GB more
    // of the 30 free) comes in: the extend must wait for its decision and count it.
    anotherReplicaPlaces(own, 15, () -> extend(volumeId, own, 5, 25));

    Envelope failed =
        Envelope.fromJson(events.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord().value());
    assertEquals(MessageType.VOLUME_EXTEND_FAILED, failed.messageType(), failed.toString());
    sleep(Duration.ofSeconds(1));
    assertEquals(0, casts.count(), "no extend was cast");

    // 15 GB are left; 10 more fit, and then count for every replica until a report has them.
    String other = newId();
    ConsumerTask<String, String> cast = kafka.readKeys(hostTopics(own), Set.of(other));
    extend(other, own, 5, 15);
    assertEquals(
        MessageType.EXTEND_VOLUME,
        Envelope.fromJson(cast.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord().value())
            .messageType());
    String key = CapabilityReport.extendKey(other, 15);
    assertEquals(
        own + " 10 false",
        sql(
            "select pool || ' ' || size_gb || ' ' || (acked_at is not null)"
                + " from pool_allocations where volume_id = '"
                + key
                + "'"));
    reportAcknowledging(own, 100, 5, key);
    awaitSql(
        "t", "select acked_at is not null from pool_allocations where volume_id = '" + key + "'");
  }

  @Test
  void aGroupRacingAnotherReplicasPlacementWaitsForItAndCountsIt() throws Exception {
    String busy = pool("busy");
    String quiet = pool("quiet");
    report(busy, 100, 100);
    report(quiet, 60, 60);
    String groupId = newId();
    ConsumerTask<String, String> events =
        kafka.readKeys(Set.of(topics.volumeEvents()), Set.of(groupId));

    // Alone, the group would go to the roomier pool; another scheduler is placing 90 GB there.
    anotherReplicaPlaces(
        busy,
        90,
        () -> scheduleGroup(groupId, List.of(new ScheduleGroup.GroupVolumeType("t1", Map.of()))));

    Envelope created =
        Envelope.fromJson(events.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord().value());
    assertEquals(MessageType.GROUP_CREATED, created.messageType(), created.toString());
    assertEquals(new GroupCreated(groupId, quiet), created.payloadAs(GroupCreated.class));
  }

  /**
   * As another scheduler replica: takes the placement lock, records {@code sizeGb} on {@code pool},
   * runs {@code meanwhile} (a request to this scheduler), and commits a second later, while that
   * request is being handled.
   */
  private void anotherReplicaPlaces(String pool, double sizeGb, Runnable meanwhile)
      throws Exception {
    try (var connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (var lock = connection.prepareStatement("select pg_advisory_xact_lock(?)");
          var insert =
              connection.prepareStatement(
                  "insert into pool_allocations (volume_id, pool, size_gb) values (?, ?, ?)")) {
        lock.setLong(1, AllocationLedger.PLACEMENT_LOCK);
        lock.execute();
        insert.setString(1, newId());
        insert.setString(2, pool);
        insert.setDouble(3, sizeGb);
        insert.executeUpdate();
        meanwhile.run();
        sleep(Duration.ofSeconds(1));
        connection.commit();
      } catch (Exception e) {
        connection.rollback();
        throw e;
      }
    }
  }

  private void awaitSql(String expected, String statement) throws Exception {
    long deadline = System.nanoTime() + KafkaSupport.TIMEOUT.toNanos();
    String seen;
    while (!expected.equals(seen = sql(statement))) {
      assertTrue(System.nanoTime() < deadline, statement + " gave " + seen);
      sleep(Duration.ofMillis(50));
    }
  }

  @Test
  void requestThatFitsNowhereFailsTheVolumeWithAReason() {
    String a = pool("a");
    report(a, 100, 100);
    String volumeId = newId();
    ConsumerTask<String, String> events =
        kafka.readKeys(Set.of(topics.volumeEvents()), Set.of(volumeId));
    ConsumerTask<String, String> notifications =
        kafka.readKeys(Set.of(topics.notifications()), Set.of(volumeId));

    schedule(volumeId, 500, Retry.first());

    Envelope failed =
        Envelope.fromJson(events.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord().value());
    assertEquals(MessageType.VOLUME_CREATE_FAILED, failed.messageType());
    VolumeCreateFailed payload = failed.payloadAs(VolumeCreateFailed.class);
    assertEquals(volumeId, payload.volumeId());
    assertNull(payload.pool());
    assertEquals("No valid backend was found. No weighed backends available", payload.reason());

    CloudEvent notification =
        CloudEvent.fromJson(
            notifications.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord().value());
    assertEquals("scheduler.create_volume", notification.type());
    assertEquals("ERROR", notification.priority());
    assertEquals(volumeId, notification.subject());
    assertEquals(volumeId, notification.dataFields().get("volume_id"));
    assertEquals("error", notification.dataFields().get("state"));
    assertEquals("create_volume", notification.dataFields().get("method"));
    assertEquals(payload.reason(), notification.dataFields().get("reason"));
    assertTrue(notification.dataFields().get("request_spec") instanceof Map<?, ?>);
  }

  @Test
  void anExtendGoesToTheVolumesHostWhenItsPoolHasRoomAndIsRefusedWhenNot() {
    String own = pool("own");
    String roomy = pool("roomy");
    report(own, 100, 20);
    report(roomy, 1000, 1000);
    String fits = newId();
    String tooBig = newId();
    ConsumerTask<String, String> casts =
        kafka.readKeys(hostTopics(own, roomy), Set.of(fits, tooBig));
    ConsumerTask<String, String> events =
        kafka.readKeys(Set.of(topics.volumeEvents(), topics.notifications()), Set.of(tooBig));

    Envelope grow = extend(fits, own, 10, 25);
    extend(tooBig, own, 10, 40);

    ConsumerRecord<String, String> cast =
        casts.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord();
    assertEquals(topics.volumeHost(own), cast.topic());
    Envelope command = Envelope.fromJson(cast.value());
    assertEquals(MessageType.EXTEND_VOLUME, command.messageType());
    assertEquals(grow.requestId(), command.requestId());
    assertEquals(
        new ExtendVolume(fits, "project", own, 10, 25), command.payloadAs(ExtendVolume.class));

    // 30 GB more do not fit in the 5 GB left: refused, though another pool has room.
    List<ConsumerRecord<String, String>> refusal =
        events.awaitRecords(2, KafkaSupport.TIMEOUT).getRecords();
    Envelope failed =
        refusal.stream()
            .filter(r -> r.topic().equals(topics.volumeEvents()))
            .map(r -> Envelope.fromJson(r.value()))
            .findFirst()
            .orElseThrow();
    assertEquals(MessageType.VOLUME_EXTEND_FAILED, failed.messageType());
    VolumeExtendFailed payload = failed.payloadAs(VolumeExtendFailed.class);
    assertTrue(payload.noValidBackend());
    assertEquals(
        "No valid backend was found. Cannot place volume " + tooBig + " on " + own,
        payload.reason());
    CloudEvent notification =
        refusal.stream()
            .filter(r -> r.topic().equals(topics.notifications()))
            .map(r -> CloudEvent.fromJson(r.value()))
            .findFirst()
            .orElseThrow();
    assertEquals("scheduler.extend_volume", notification.type());
    assertEquals(1, casts.awaitRecords(1, Duration.ofSeconds(1)).count());
  }

  @Test
  void aGroupGoesToThePoolThatSuitsEveryOneOfItsTypes() {
    String gold = pool("gold");
    String plain = pool("plain");
    report(plain, 1000, 1000);
    reportWith(gold, 100, 100, Map.of("tier", "gold", "fast", "yes"));
    String groupId = newId();
    ConsumerTask<String, String> events =
        kafka.readKeys(Set.of(topics.volumeEvents()), Set.of(groupId));

    scheduleGroup(
        groupId,
        List.of(
            new ScheduleGroup.GroupVolumeType("t1", Map.of("tier", "gold")),
            new ScheduleGroup.GroupVolumeType("t2", Map.of("fast", "yes"))));

    Envelope created =
        Envelope.fromJson(events.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord().value());
    assertEquals(MessageType.GROUP_CREATED, created.messageType());
    assertEquals(new GroupCreated(groupId, gold), created.payloadAs(GroupCreated.class));
  }

  @Test
  void aGroupNoPoolSuitsFailsWithCindersReason() {
    String plain = pool("plain");
    report(plain, 1000, 1000);
    String groupId = newId();
    ConsumerTask<String, String> events =
        kafka.readKeys(Set.of(topics.volumeEvents()), Set.of(groupId));

    scheduleGroup(
        groupId,
        List.of(
            new ScheduleGroup.GroupVolumeType("t1", Map.of()),
            new ScheduleGroup.GroupVolumeType("t2", Map.of("tier", "gold"))));

    Envelope failed =
        Envelope.fromJson(events.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord().value());
    assertEquals(MessageType.GROUP_CREATE_FAILED, failed.messageType());
    assertEquals(
        new GroupCreateFailed(groupId, "No valid backend was found. No weighed backends available"),
        failed.payloadAs(GroupCreateFailed.class));
  }

  @Test
  void sameRequestDeliveredTwiceCreatesOnce() throws InterruptedException {
    String a = pool("a");
    String b = pool("b");
    report(a, 1000, 1000);
    report(b, 1000, 1000);
    String volumeId = newId();
    ConsumerTask<String, String> creates = kafka.readKeys(hostTopics(a, b), Set.of(volumeId));
    ConsumerTask<String, String> events =
        kafka.readKeys(Set.of(topics.volumeEvents()), Set.of(volumeId));

    Envelope request = schedule(volumeId, 10, Retry.first());
    kafka.send(topics.schedulerRequests(), request);
    // A later request for the same volume (same key, same partition) that fails: once its event is
    // out, the duplicate before it has certainly been handled.
    schedule(volumeId, 100_000, Retry.first());
    events.awaitRecords(1, KafkaSupport.TIMEOUT);
    Thread.sleep(1500);

    assertEquals(1, creates.awaitRecords(1, KafkaSupport.TIMEOUT).count());
  }

  @Test
  void malformedMessageIsDeadLetteredAndTheNextOneProcessed() {
    String a = pool("a");
    report(a, 1000, 1000);
    String badKey = "bad-" + newId();
    String volumeId = newId();
    ConsumerTask<String, String> dead = kafka.readKeys(Set.of(topics.deadLetter()), Set.of(badKey));
    ConsumerTask<String, String> creates = kafka.readKeys(hostTopics(a), Set.of(volumeId));

    kafka.send(topics.schedulerRequests(), badKey, "this is not JSON {");
    schedule(volumeId, 10, Retry.first());

    assertEquals(
        "this is not JSON {", dead.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord().value());
    assertEquals(1, creates.awaitRecords(1, KafkaSupport.TIMEOUT).count());
  }

  @Test
  void rescheduleNeverGoesBackToATriedHost() {
    String tried = pool("tried");
    String other = pool("other");
    report(tried, 10_000, 10_000); // by far the roomiest: chosen if it were allowed
    report(other, 1000, 1000);
    Retry afterFailure = new Retry(1, List.of(host(tried)), "driver error");

    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      ids.add(newId());
    }
    ConsumerTask<String, String> creates = kafka.readKeys(hostTopics(tried, other), ids);
    ids.forEach(id -> schedule(id, 10, afterFailure));

    for (ConsumerRecord<String, String> r :
        creates.awaitRecords(5, KafkaSupport.TIMEOUT).getRecords()) {
      assertEquals(topics.volumeHost(other), r.topic());
      CreateVolume command = Envelope.fromJson(r.value()).payloadAs(CreateVolume.class);
      assertEquals(2, command.retry().attempts());
      assertEquals(List.of(host(tried), host(other)), command.retry().triedHosts());
      assertTrue(command.allowReschedule());
    }
  }

  @Test
  void lastAttemptMayNotRescheduleAndOneMoreFails() {
    String a = pool("a");
    report(a, 1000, 1000);
    String lastId = newId();
    String tooManyId = newId();
    ConsumerTask<String, String> creates = kafka.readKeys(hostTopics(a), Set.of(lastId));
    ConsumerTask<String, String> events =
        kafka.readKeys(Set.of(topics.volumeEvents()), Set.of(tooManyId));

    schedule(lastId, 10, new Retry(2, List.of("elsewhere@fake"), "driver error"));
    schedule(tooManyId, 10, new Retry(3, List.of("elsewhere@fake"), "driver error"));

    CreateVolume last =
        Envelope.fromJson(creates.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord().value())
            .payloadAs(CreateVolume.class);
    assertEquals(3, last.retry().attempts());
    assertFalse(last.allowReschedule());
    VolumeCreateFailed failed =
        Envelope.fromJson(events.awaitRecords(1, KafkaSupport.TIMEOUT).getFirstRecord().value())
            .payloadAs(VolumeCreateFailed.class);
    assertEquals(
        "No valid backend was found. Exceeded max scheduling attempts 3 for resource "
            + tooManyId
            + "; hosts tried: elsewhere@fake (last error: driver error)",
        failed.reason());
  }

  @Test
  void capabilitiesTopicIsCompactedAndTheServiceReady() throws Exception {
    assertEquals("compact", kafka.topicConfig(topics.capabilities(), "cleanup.policy"));
    given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void malformedCapabilityReportIsDeadLetteredAndTheNextOneTaken() {
    String bad = pool("bad");
    ConsumerTask<String, String> dead = kafka.readKeys(Set.of(topics.deadLetter()), Set.of(bad));
    kafka.send(topics.capabilities(), bad, "{\"schema_version\": 1}");
    String good = pool("good");
    report(good, 100, 100);
    assertEquals(1, dead.awaitRecords(1, KafkaSupport.TIMEOUT).count());
    assertTrue(registry.pools().stream().noneMatch(p -> p.name().equals(bad)));
  }

  // ---- helpers ----

  private String pool(String name) {
    return name + "-" + zone + "@fake#pool0";
  }

  private static String host(String pool) {
    return HostAddress.parse(pool).backendHost();
  }

  private Set<String> hostTopics(String... pools) {
    Set<String> names = new HashSet<>();
    for (String pool : pools) {
      names.add(topics.volumeHost(pool));
    }
    return names;
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  /** Publishes a thick pool's report and waits until the scheduler has taken it. */
  private void report(String pool, double totalGb, double freeGb) {
    reportWith(pool, totalGb, freeGb, Map.of());
  }

  private void reportWith(String pool, double totalGb, double freeGb, Map<String, String> extra) {
    reportWith(pool, totalGb, freeGb, extra, List.of());
  }

  private void reportAcknowledging(String pool, double totalGb, double freeGb, String... ids) {
    reportWith(pool, totalGb, freeGb, Map.of(), List.of(ids));
  }

  /** One statement against the scheduler's database; the first column of the first row. */
  private String sql(String statement) throws Exception {
    try (var connection = dataSource.getConnection();
        var st = connection.createStatement()) {
      if (!st.execute(statement)) {
        return null;
      }
      try (var rows = st.getResultSet()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  private void reportWith(
      String pool,
      double totalGb,
      double freeGb,
      Map<String, String> extra,
      List<String> acknowledged) {
    CapabilityReport report =
        new CapabilityReport(
            pool,
            "fake",
            "Ember",
            "1.0.0",
            "iSCSI",
            zone,
            totalGb,
            freeGb,
            totalGb - freeGb,
            totalGb - freeGb,
            false,
            true,
            1.0,
            0,
            extra,
            acknowledged,
            Instant.now());
    kafka.send(topics.capabilities(), Envelope.of(MessageType.CAPABILITIES, pool, null, report));
    long deadline = System.nanoTime() + KafkaSupport.TIMEOUT.toNanos();
    while (registry.livePools().stream().map(PoolState::name).noneMatch(pool::equals)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the scheduler never took the report of " + pool);
      }
      sleep(Duration.ofMillis(50));
    }
  }

  private Envelope schedule(String volumeId, int sizeGb, Retry retry) {
    return schedule(volumeId, sizeGb, retry, Map.of(), null);
  }

  private Envelope schedule(
      String volumeId,
      int sizeGb,
      Retry retry,
      Map<String, String> extraSpecs,
      io.ember.model.contract.QosSpecs qos) {
    VolumeSpec volume =
        new VolumeSpec(
            volumeId,
            "project",
            "user",
            sizeGb,
            "vol",
            zone,
            null,
            extraSpecs,
            Map.of(),
            Instant.now(),
            qos);
    Envelope envelope =
        Envelope.of(
            MessageType.SCHEDULE_VOLUME,
            volumeId,
            new RequestContext("req-" + newId(), "user", "project", List.of()),
            new ScheduleVolume(volume, retry));
    kafka.send(topics.schedulerRequests(), envelope);
    return envelope;
  }

  private Envelope extend(String volumeId, String pool, int size, int newSize) {
    VolumeSpec volume =
        new VolumeSpec(
            volumeId,
            "project",
            "user",
            size,
            "vol",
            zone,
            null,
            Map.of(),
            Map.of(),
            Instant.now());
    Envelope envelope =
        Envelope.of(
            MessageType.SCHEDULE_EXTEND,
            volumeId,
            new RequestContext("req-" + newId(), "user", "project", List.of()),
            new ScheduleExtend(volume, pool, newSize, "available"));
    kafka.send(topics.schedulerRequests(), envelope);
    return envelope;
  }

  private void scheduleGroup(String groupId, List<ScheduleGroup.GroupVolumeType> types) {
    kafka.send(
        topics.schedulerRequests(),
        Envelope.of(
            MessageType.SCHEDULE_GROUP,
            groupId,
            new RequestContext("req-" + newId(), "user", "project", List.of()),
            new ScheduleGroup(groupId, "project", zone, "gt", Map.of(), types)));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
