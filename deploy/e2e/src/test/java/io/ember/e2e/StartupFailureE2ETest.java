package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A service that cannot start says why, on its output, before it exits. */
class StartupFailureE2ETest {

  private static final String MISSING = "ember_e2e_no_such_database";

  @Test
  void eachServiceWhoseDatabaseDoesNotExistNamesItAndExits() throws Exception {
    Map<String, EmberStack.Alone> started = new LinkedHashMap<>();
    started.put("api", EmberStack.startAlone("api-no-db", "api-service", MISSING));
    started.put(
        "scheduler", EmberStack.startAlone("scheduler-no-db", "scheduler-service", MISSING));
    started.put("volume", EmberStack.startAlone("volume-no-db", "volume-service", MISSING));
    for (Map.Entry<String, EmberStack.Alone> service : started.entrySet()) {
      Process process = service.getValue().process();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(service.getKey() + " kept running without its database");
      }
      assertNotEquals(0, process.exitValue(), service.getKey() + " exits with an error status");
      String output = Files.readString(service.getValue().log());
      assertTrue(
          output.contains("database \"" + MISSING + "\" does not exist"),
          service.getKey() + " names the missing database; its output was: [" + output + "]");
    }
  }
}
