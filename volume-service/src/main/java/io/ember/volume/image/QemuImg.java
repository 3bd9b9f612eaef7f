package io.ember.volume.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * qemu-img, as Cinder's {@code image_utils} uses it for an image that is not raw: what the file
 * really is ({@code qemu-img info}) and its conversion to raw ({@code qemu-img convert}, whose raw
 * output is sparse). Absent where qemu-utils is not installed; such images are then refused.
 */
public final class QemuImg {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_MINUTES = 10;

  private final String command;
  private volatile Boolean available;

  public QemuImg() {
    this("qemu-img");
  }

  QemuImg(String command) {
    this.command = command;
  }

  /** What {@code qemu-img info} found: the file's real format and its size as a disk. */
  public record Info(String format, long virtualSize) {}

  /** Whether qemu-img can be run here; asked once. */
  public boolean available() {
    Boolean known = available;
    if (known == null) {
      try {
        run(List.of(command, "--version"));
        known = true;
      } catch (IOException e) {
        known = false;
      }
      available = known;
    }
    return known;
  }

  /**
   * @param format the format the image claims: qemu-img is told it, so a file that is something
   *     else fails here rather than being probed (Cinder's defence against a raw file that looks
   *     like qcow2 with a backing file)
   */
  public Info info(Path file, String format) throws IOException {
    String out = run(List.of(command, "info", "-f", format, "--output=json", file.toString()));
    JsonNode info = JSON.readTree(out);
    if (info.path("backing-filename").isTextual()) {
      throw new IOException("the image has a backing file, which is not allowed");
    }
    return new Info(info.path("format").asText(), info.path("virtual-size").asLong());
  }

  /** Writes {@code source}, of {@code format}, to {@code target} as raw. */
  public void convertToRaw(Path source, String format, Path target) throws IOException {
    convert(source, format, "raw", target);
  }

  /** Writes {@code source}, of {@code from}, to {@code target} as {@code to} (qemu-img's names). */
  public void convert(Path source, String from, String to, Path target) throws IOException {
    run(List.of(command, "convert", "-f", from, "-O", to, source.toString(), target.toString()));
  }

  private static String run(List<String> arguments) throws IOException {
    Process process =
        new ProcessBuilder(new ArrayList<>(arguments)).redirectErrorStream(true).start();
    String out;
    try {
      out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException(arguments.get(1) + " took too long");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException("qemu-img " + arguments.get(1) + " failed: " + out.strip());
    }
    return out;
  }
}
