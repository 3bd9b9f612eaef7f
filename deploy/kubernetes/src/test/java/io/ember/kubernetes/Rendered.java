package io.ember.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An overlay as {@code kubectl kustomize} renders it: the objects a cluster would be given. */
final class Rendered {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final String INSTALL =
      "kubectl with kustomize v5 or later is needed to render the manifests: the `kubectl` package"
          + " of https://pkgs.k8s.io (Debian 12's kubernetes-client, kubectl 1.20, is too old) or a"
          + " release binary from https://kubernetes.io/docs/tasks/tools/ on the PATH";

  /** kustomize v5 is the first to read `labels` with includeSelectors as these overlays use it. */
  private static final Pattern KUSTOMIZE = Pattern.compile("Kustomize Version: v(\\d+)\\.");

  final String overlay;
  final List<ObjectNode> objects;

  private Rendered(String overlay, List<ObjectNode> objects) {
    this.overlay = overlay;
    this.objects = objects;
  }

  static Rendered overlay(String name) {
    Path dir = Repo.module().resolve("overlays").resolve(name);
    checkKubectl();
    String yaml = run("kubectl", "kustomize", dir.toString());
    return new Rendered(name, parse(yaml));
  }

  /** A copy whose objects a drift test may change without touching the shared rendering. */
  Rendered copy() {
    List<ObjectNode> copies = new ArrayList<>();
    objects.forEach(o -> copies.add(o.deepCopy()));
    return new Rendered(overlay, copies);
  }

  static List<ObjectNode> parse(String yaml) {
    List<ObjectNode> objects = new ArrayList<>();
    try (YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(yaml)) {
      for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (node instanceof ObjectNode o) {
          objects.add(o);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("rendered YAML does not parse: " + e.getMessage(), e);
    }
    return objects;
  }

  List<ObjectNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  ObjectNode named(String kind, String name) {
    return ofKind(kind).stream()
        .filter(o -> name.equals(o.path("metadata").path("name").asText()))
        .findFirst()
        .orElse(null);
  }

  private static void checkKubectl() {
    String version;
    try {
      version = run("kubectl", "version", "--client");
    } catch (IllegalStateException e) {
      throw new IllegalStateException(INSTALL + " (" + e.getMessage() + ")", e);
    }
    Matcher m = KUSTOMIZE.matcher(version);
    if (!m.find() || Integer.parseInt(m.group(1)) < 5) {
      throw new IllegalStateException(
          "kubectl's kustomize is too old: " + version + "; " + INSTALL);
    }
  }

  private static String run(String... command) {
    try {
      Path out = Files.createTempFile("kubectl", ".out");
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + ": no answer in 60 s");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
          throw new IllegalStateException(String.join(" ", command) + " failed: " + text);
        }
        return text;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
