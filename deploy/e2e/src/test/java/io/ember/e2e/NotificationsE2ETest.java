package io.ember.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an event consumer that joins after the fact reads from the notifications topic about a
 * volume's create and delete: CloudEvents in structured mode (docs/notifications.md).
 */
class NotificationsE2ETest {

  private static final String BOOTSTRAP =
      System.getProperty("kafka.bootstrap.servers", "localhost:9092");
  private static final ObjectMapper JSON = new ObjectMapper();

  static EmberStack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = EmberStack.shared();
  }

  private final String project = UUID.randomUUID().toString().replace("-", "");

  @Test
  void aLateConsumerReadsTheCreateAndDeleteOfAVolumeAsCloudEvents() throws Exception {
    Response created =
        given()
            .baseUri(stack.apiUrl())
            .header("X-Auth-Token", "alice:" + project)
            .contentType("application/json")
            .body("{\"volume\": {\"size\": 1, \"name\": \"noted\", \"metadata\": {\"k\": \"v\"}}}")
            .post("/v3/" + project + "/volumes");
    created.then().statusCode(202);
    String id = created.path("volume.id");
    String createRequest = created.header("x-openstack-request-id");
    awaitStatus(project, id, "available");
    Response deleted =
        given()
            .baseUri(stack.apiUrl())
            .header("X-Auth-Token", "alice:" + project)
            .delete("/v3/" + project + "/volumes/" + id);
    deleted.then().statusCode(202);
    String deleteRequest = deleted.header("x-openstack-request-id");

    // Read only now, from the start of the topic: the events wait for a consumer joining later.
    List<ConsumerRecord<String, String>> records = readFromStart(id, 4, Duration.ofSeconds(60));

    List<String> types = new ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      assertEquals("application/cloudevents+json; charset=UTF-8", header(record, "content-type"));
      JsonNode event = JSON.readTree(record.value());
      assertEquals("1.0", event.path("specversion").asText());
      assertEquals(event.path("type").asText(), header(record, "ce_type"));
      assertEquals(event.path("id").asText(), header(record, "ce_id"));
      assertTrue(event.path("source").asText().startsWith("volume.node"), record.value());
      assertEquals(id, event.path("subject").asText());
      assertEquals("INFO", event.path("priority").asText());
      assertEquals("application/json", event.path("datacontenttype").asText());
      assertNotNull(event.path("time").textValue(), record.value());
      JsonNode data = event.path("data");
      assertEquals(id, data.path("volume_id").asText());
      assertEquals(project, data.path("tenant_id").asText());
      assertEquals("alice", data.path("user_id").asText());
      assertEquals(1, data.path("size").asInt());
      boolean create = event.path("type").asText().startsWith("volume.create");
      // The delete's too: its command brings the host the name and metadata, as the create's does.
      assertEquals("noted", data.path("display_name").asText(), record.value());
      assertEquals("v", data.path("metadata").path("k").asText(), record.value());
      assertEquals(create ? createRequest : deleteRequest, event.path("requestid").asText());
      types.add(event.path("type").asText());
    }
    assertEquals(
        List.of(
            "volume.create.start", "volume.create.end", "volume.delete.start", "volume.delete.end"),
        types);
    JsonNode end = JSON.readTree(records.get(1).value()).path("data");
    assertEquals("available", end.path("status").asText());
    assertTrue(end.path("launched_at").isTextual(), end.toString());
    assertTrue(end.path("host").asText().matches("node[12]@fake#fake"), end.toString());
  }

  @Test
  void theTopicKeepsNotificationsForAWeek() throws Exception {
    String topic = stack.topicPrefix() + ".notifications";
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      String retention =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(30, TimeUnit.SECONDS)
              .get(resource)
              .get(TopicConfig.RETENTION_MS_CONFIG)
              .value();
      assertEquals(String.valueOf(Duration.ofDays(7).toMillis()), retention);
    }
  }

  private static void awaitStatus(String project, String id, String status)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String now = null;
    while (System.nanoTime() < deadline) {
      now =
          given()
              .baseUri(stack.apiUrl())
              .header("X-Auth-Token", "alice:" + project)
              .get("/v3/" + project + "/volumes/" + id)
              .then()
              .extract()
              .path("volume.status");
      if (status.equals(now)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("volume " + id + " is " + now + ", not " + status);
  }

  /** The records keyed {@code key}, read from the beginning of every partition by a new reader. */
  private static List<ConsumerRecord<String, String>> readFromStart(
      String key, int count, Duration max) {
    String topic = stack.topicPrefix() + ".notifications";
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + max.toNanos();
      while (found.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (key.equals(r.key())) {
            found.add(r);
          }
        }
      }
    }
    assertEquals(count, found.size(), "notifications about " + key + ": " + found);
    return found;
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
