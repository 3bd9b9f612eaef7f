package io.ember.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The Block Storage API as a client sees it: JSON in, status and JSON out, nothing retried. */
final class Api {

  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One answer. {@code status} is 0 when there was none: {@code sent} tells whether the request may
   * have reached the API (the client gave up or the connection broke after sending) or surely did
   * not (connection refused).
   */
  record Answer(int status, JsonNode body, long millis, boolean sent) {
    boolean is(int code) {
      return status == code;
    }
  }

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  Api(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  Answer call(String method, String path, String project, Object body) {
    return call(method, path, project, body, "3.0");
  }

  /** As {@link #call(String, String, String, Object)}, at the given volume API microversion. */
  Answer call(String method, String path, String project, Object body, String microversion) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(timeout)
            .header("X-Auth-Token", "admin:" + project)
            .header("OpenStack-API-Version", "volume " + microversion)
            .header("Accept", "application/json");
    if (path.contains("/attachments")) {
      // The attachment calls are Nova's: with its service token (in noauth mode, its roles), or a
      // detach would have the api ask a Nova that does not exist here (docs/api.md).
      request.header("X-Service-Roles", "service");
    }
    try {
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    long start = System.nanoTime();
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      long millis = (System.nanoTime() - start) / 1_000_000;
      JsonNode json = null;
      if (!response.body().isEmpty()) {
        try {
          json = JSON.readTree(response.body());
        } catch (IOException notJson) {
          json = null;
        }
      }
      return new Answer(response.statusCode(), json, millis, true);
    } catch (ConnectException | HttpConnectTimeoutException refused) {
      return new Answer(0, null, (System.nanoTime() - start) / 1_000_000, false);
    } catch (IOException broken) {
      // Timed out or cut after the request left: the API may have acted on it.
      return new Answer(0, null, (System.nanoTime() - start) / 1_000_000, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, null, (System.nanoTime() - start) / 1_000_000, true);
    }
  }
}
