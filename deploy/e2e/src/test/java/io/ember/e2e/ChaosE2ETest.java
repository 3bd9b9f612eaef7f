package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run of issue 23, as an operator starts it: {@code deploy/local/ember chaos
 * --short} brings up a stack of its own (its own broker on port 19092, ports 18776-18779, databases
 * ember_chaos_*), kills -9 and restarts a volume host, the scheduler, the API and the broker during
 * a mixed workload from four clients (volumes, snapshots, attachments, transfers, retypes,
 * migrations, uploads, manage / unmanage, groups and group snapshots), and checks that nothing was
 * lost, duplicated, stuck, left in an outbox or dead-lettered, that quota usage matches, that no
 * answer waited on the broker, and that each component's work resumed within 10 s of its restart.
 * It does not touch the shared broker or the shared stack.
 */
class ChaosE2ETest {

  @Test
  void killingEachComponentLosesNothingAndRecoversInSeconds() throws Exception {
    Path root = Path.of(System.getProperty("ember.root", "../..")).toAbsolutePath().normalize();
    Path log = root.resolve("deploy/e2e/target/e2e-logs/chaos.log");
    Files.createDirectories(log.getParent());
    long start = System.nanoTime();
    Process chaos =
        new ProcessBuilder(
                "bash", root.resolve("deploy/local/ember").toString(), "chaos", "--short")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean ended = chaos.waitFor(8, TimeUnit.MINUTES);
    if (!ended) {
      chaos.destroy();
      chaos.waitFor(30, TimeUnit.SECONDS);
    }
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    String shown = String.join("\n", lines) + "\n(" + seconds + " s)";
    System.out.println(shown);
    assertTrue(ended, "chaos --short still running after 8 minutes:\n" + shown);
    assertEquals(0, chaos.exitValue(), shown);
    String last = lines.get(lines.size() - 1);
    assertTrue(
        last.matches(
            "chaos: \\d+ operations, 4 kills, 0 lost, 0 duplicated, 0 stuck, 0 quota drift, max"
                + " recovery \\d+\\.\\d s"),
        last);
  }
}
