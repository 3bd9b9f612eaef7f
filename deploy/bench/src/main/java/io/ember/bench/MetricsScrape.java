package io.ember.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services' Prometheus endpoints ({@code --metrics}), each given as {@code name=URL} or as a
 * URL alone (then named by its host and port). A reading is every endpoint's text, read one after
 * the other; it fails whole when one of them cannot be read, since a sum or a difference over a
 * missing service would mislead.
 */
final class MetricsScrape {

  private final Map<String, URI> endpoints = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  MetricsScrape(List<String> entries) {
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      boolean named = eq > 0 && !entry.substring(0, eq).contains("/");
      URI uri = URI.create(named ? entry.substring(eq + 1) : entry);
      endpoints.put(named ? entry.substring(0, eq) : uri.getAuthority(), uri);
    }
  }

  boolean configured() {
    return !endpoints.isEmpty();
  }

  /** Each service's metrics text now, by service name, in the order given. */
  Map<String, String> read() throws IOException, InterruptedException {
    Map<String, String> texts = new LinkedHashMap<>();
    for (Map.Entry<String, URI> endpoint : endpoints.entrySet()) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(endpoint.getValue())
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IOException(endpoint.getValue() + " answered " + answer.statusCode());
      }
      texts.put(endpoint.getKey(), answer.body());
    }
    return texts;
  }
}
