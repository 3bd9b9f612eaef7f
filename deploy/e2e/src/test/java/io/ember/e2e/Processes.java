package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to its end or to its deadline, never past it. The output goes to files, not a
 * pipe: reading a pipe to its end waits for every process holding it, so a client that hangs (or a
 * child it leaves behind) would hold the test, and CI, with it.
 */
final class Processes {

  /** How a command exited, what it printed on stdout, and on stderr. */
  record Output(int exit, String stdout, String stderr) {

    /** Both streams, for messages. */
    String both() {
      return stdout + stderr;
    }
  }

  private Processes() {}

  /**
   * Runs {@code pb} (stdout and stderr apart unless it merges them); fails the test, after killing
   * the command and its children, when it is still running at {@code deadline}.
   */
  static Output run(ProcessBuilder pb, Duration deadline) throws IOException, InterruptedException {
    Path out = Files.createTempFile("ember-e2e", ".out");
    Path err = Files.createTempFile("ember-e2e", ".err");
    try {
      pb.redirectOutput(out.toFile());
      if (!pb.redirectErrorStream()) {
        pb.redirectError(err.toFile());
      }
      Process p =
          pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
      if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        fail(
            pb.command()
                + " still running after "
                + deadline.toSeconds()
                + " s; it printed: "
                + Files.readString(out, StandardCharsets.UTF_8)
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Output(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
