package io.ember.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both overlays, as kubectl kustomize renders them, against the code: run offline, no cluster. Each
 * check lists every problem it finds, so a failure says all that drifted at once.
 */
class ManifestsTest {

  private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();
  static final CrdSchemas CRDS = CrdSchemas.pinned();

  static Rendered rendered(String overlay) {
    return RENDERED.computeIfAbsent(overlay, Rendered::overlay);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void everyObjectIsValid(String overlay) {
    assertEquals(List.of(), ManifestChecks.validity(rendered(overlay), CRDS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void everyTopicTheCodeUsesHasItsKafkaTopicAndNoOtherDoes(String overlay) {
    assertEquals(List.of(), ManifestChecks.topics(rendered(overlay)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void eachKafkaUserIsAllowedExactlyWhatItsServiceUses(String overlay) {
    assertEquals(List.of(), ManifestChecks.users(rendered(overlay)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void everyVariableSetIsAConfigurationKeyOfItsService(String overlay) {
    assertEquals(List.of(), ManifestChecks.configKeys(rendered(overlay)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void probesAndPortsAreTheServices(String overlay) {
    assertEquals(List.of(), ManifestChecks.probes(rendered(overlay)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void secretsKafkaUsersAndDatabasesAreWired(String overlay) {
    assertEquals(List.of(), ManifestChecks.wiring(rendered(overlay)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void alertsUseMetricsThatAreExposed(String overlay) {
    assertEquals(List.of(), ManifestChecks.alerts(rendered(overlay)));
  }

  /** The overlays' shape as issue 24 asks it. */
  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void overlaysHaveTheirSizes(String overlay) {
    Rendered r = rendered(overlay);
    boolean production = overlay.equals("production");
    int size = production ? 3 : 1;
    assertEquals(size, r.ofKind("KafkaNodePool").get(0).path("spec").path("replicas").asInt());
    assertEquals(size, r.ofKind("Cluster").get(0).path("spec").path("instances").asInt());
    assertEquals(
        production ? 2 : 1,
        r.named("Deployment", "ember-scheduler").path("spec").path("replicas").asInt());
    assertEquals(production ? 1 : 0, r.ofKind("HorizontalPodAutoscaler").size());
    assertEquals(production ? 1 : 0, r.ofKind("PodDisruptionBudget").size());
    // One StatefulSet per backend: the backend names of its hosts are all its own.
    List<String> backends =
        ManifestChecks.workloads(r).stream()
            .filter(w -> w.kind().equals("StatefulSet"))
            .map(w -> w.env(w.pods().get(0)).get("EMBER_FAKE_BACKEND_NAME"))
            .toList();
    assertEquals(backends.stream().distinct().toList(), backends);
    assertTrue(production ? backends.size() >= 2 : backends.size() == 1, backends.toString());
  }
}
