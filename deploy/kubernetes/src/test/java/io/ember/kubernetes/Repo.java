package io.ember.kubernetes;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/** The repository's files the manifests are checked against: configuration and sources. */
final class Repo {

  private Repo() {}

  /** deploy/kubernetes (Maven runs the tests there; an IDE may run them from the root). */
  static Path module() {
    Path here = Path.of("").toAbsolutePath();
    if (Files.isDirectory(here.resolve("overlays"))) {
      return here;
    }
    return here.resolve("deploy/kubernetes");
  }

  static Path root() {
    return module().getParent().getParent();
  }

  /** A module's application.properties without profile-specific entries ({@code %test.}). */
  static Map<String, String> properties(String module) {
    Properties p = new Properties();
    try (Reader r =
        Files.newBufferedReader(
            root().resolve(module).resolve("src/main/resources/application.properties"))) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    p.stringPropertyNames().stream()
        .filter(k -> !k.startsWith("%"))
        .sorted()
        .forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  static List<Path> javaSources(String module) {
    try (Stream<Path> files = Files.walk(root().resolve(module).resolve("src/main/java"))) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
