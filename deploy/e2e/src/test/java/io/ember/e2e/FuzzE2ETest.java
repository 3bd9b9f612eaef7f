package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.fuzz.Fuzz;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fuzz tool of issue 23 against the running stack: 2,000 hostile requests, no 5xx, every error
 * a Cinder fault, nothing changed by a refused request, in under a minute.
 */
class FuzzE2ETest {

  @Test
  void twoThousandHostileRequestsFindNothing() throws Exception {
    EmberStack stack = EmberStack.shared();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    long seed = System.nanoTime();
    long start = System.nanoTime();
    Fuzz.Result result =
        new Fuzz(
                new Fuzz.Options(URI.create(stack.apiUrl()), 2000, Duration.ofSeconds(55), seed),
                out)
            .run();
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
    String shown = log.toString(StandardCharsets.UTF_8) + result.line();
    System.out.println(shown);
    assertEquals(2000, result.requests(), "ran out of time after " + seconds + " s:\n" + shown);
    assertTrue(result.clean(), shown);
    assertTrue(seconds < 60, "took " + seconds + " s");
  }
}
