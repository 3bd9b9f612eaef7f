package io.ember.kubernetes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checks catch drift: each test breaks one object of the rendered dev overlay as an edit of a
 * manifest (or of the code) would, and expects the problem it makes to be named.
 */
class DriftTest {

  private final Rendered r = ManifestsTest.rendered("dev").copy();

  @Test
  void aTopicWithOtherPartitions() {
    ObjectNode spec = spec(r.named("KafkaTopic", "ember.volume.events"));
    spec.put("partitions", 8);
    assertNamed(ManifestChecks.topics(r), "KafkaTopic ember.volume.events: 8 partitions");
  }

  @Test
  void aCompactedTopicThatIsNot() {
    ((ObjectNode) spec(r.named("KafkaTopic", "ember.capabilities")).path("config"))
        .remove("cleanup.policy");
    assertNamed(ManifestChecks.topics(r), "KafkaTopic ember.capabilities: config");
  }

  @Test
  void aTopicMissingAndOneTooMany() {
    r.objects.remove(r.named("KafkaTopic", "ember.volume.ember-volume-fake-0.fake"));
    ObjectNode extra = r.named("KafkaTopic", "ember.dead-letter").deepCopy();
    ((ObjectNode) extra.path("metadata")).put("name", "ember.dead-letters");
    r.objects.add(extra);
    List<String> problems = ManifestChecks.topics(r);
    assertNamed(
        problems, "topic ember.volume.ember-volume-fake-0.fake: used by the code, no KafkaTopic");
    assertNamed(problems, "KafkaTopic ember.dead-letters: not a topic the code uses");
  }

  @Test
  void aUserWithoutAWriteItsServiceDoes() {
    for (var acl :
        spec(r.named("KafkaUser", "ember-scheduler")).path("authorization").path("acls")) {
      if (acl.path("resource").path("name").asText().equals("ember.notifications")) {
        ((ObjectNode) acl).putArray("operations").add("Describe").add("AlterConfigs");
      }
    }
    assertNamed(
        ManifestChecks.users(r), "KafkaUser ember-scheduler: topic:literal:ember.notifications");
  }

  @Test
  void aUserAllowedATopicItsServiceDoesNotUse() {
    ArrayNode acls =
        (ArrayNode) spec(r.named("KafkaUser", "ember-api")).path("authorization").path("acls");
    acls.addObject().put("type", "allow").putArray("operations").add("Read");
    ((ObjectNode) acls.get(acls.size() - 1))
        .putObject("resource")
        .put("type", "topic")
        .put("name", "ember.scheduler.requests")
        .put("patternType", "literal");
    assertNamed(
        ManifestChecks.users(r), "KafkaUser ember-api: topic:literal:ember.scheduler.requests");
  }

  @Test
  void aVariableThatIsNoConfigurationKey() {
    env(r.named("StatefulSet", "ember-volume-fake"))
        .addObject()
        .put("name", "EMBER_HOTS")
        .put("value", "x");
    assertNamed(
        ManifestChecks.configKeys(r), "EMBER_HOTS is no configuration key of volume-service");
  }

  @Test
  void aProbeOnAnotherPathAndPort() {
    ObjectNode c = container(r.named("Deployment", "ember-api"));
    ((ObjectNode) c.path("readinessProbe").path("httpGet"))
        .put("path", "/health")
        .put("port", 8080);
    List<String> problems = ManifestChecks.probes(r);
    assertNamed(problems, "ember-api: readinessProbe on /health, not /q/health/ready");
    assertNamed(problems, "ember-api: readinessProbe on port 8080, not 8776");
  }

  @Test
  void aFieldNoSchemaKnows() {
    ((ObjectNode) spec(r.named("Kafka", "ember-kafka")).path("kafka")).put("listner", "x");
    container(r.named("Deployment", "ember-scheduler")).put("imagePullPolice", "Always");
    spec(r.named("KafkaTopic", "ember.services")).put("partitions", "four");
    List<String> problems = ManifestChecks.validity(r, ManifestsTest.CRDS);
    assertNamed(problems, "Kafka ember-kafka: ");
    assertNamed(problems, "listner");
    assertNamed(problems, "Deployment ember-scheduler");
    assertNamed(problems, "imagePullPolice");
    assertNamed(problems, "KafkaTopic ember.services: ");
  }

  @Test
  void aDatabaseOwnedByAnotherRole() {
    spec(r.named("Database", "ember-scheduler")).put("owner", "ember_api");
    assertNamed(ManifestChecks.wiring(r), "Database ember_scheduler is owned by ember_api");
  }

  @Test
  void anAlertOnAMetricNobodyExposes() {
    ObjectNode rule =
        (ObjectNode)
            spec(r.named("PrometheusRule", "ember")).path("groups").get(0).path("rules").get(0);
    rule.put("expr", "ember_outbox_age_seconds > 60");
    assertNamed(ManifestChecks.alerts(r), "ember_outbox_age_seconds is not exposed");
  }

  private static ObjectNode spec(ObjectNode o) {
    return (ObjectNode) o.path("spec");
  }

  private static ObjectNode container(ObjectNode workload) {
    return (ObjectNode)
        workload.path("spec").path("template").path("spec").path("containers").get(0);
  }

  private static ArrayNode env(ObjectNode workload) {
    return (ArrayNode) container(workload).path("env");
  }

  private static void assertNamed(List<String> problems, String expected) {
    assertTrue(
        problems.stream().anyMatch(p -> p.contains(expected)),
        "expected a problem containing \"" + expected + "\", got " + problems);
  }
}
