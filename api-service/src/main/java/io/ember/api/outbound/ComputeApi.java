package io.ember.api.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ember.api.config.ApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Nova's compute API, for the one question Cinder asks it before a user ends an attachment: through
 * which attachment a server uses a volume ({@code GET /servers/{id}/os-volume_attachments/{volume}}
 * at microversion 2.89, the first that shows it). Asked with the caller's own token, as Cinder
 * asks.
 */
@ApplicationScoped
public class ComputeApi {

  /** Nova could not be asked: no endpoint, no answer in time, or an answer that is not Nova's. */
  public static final class Unreachable extends RuntimeException {
    Unreachable(String reason) {
      super(reason, null, false, false);
    }
  }

  private static final String MICROVERSION = "2.89";

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http;
  private final ApiConfig config;

  @Inject
  public ComputeApi(ApiConfig config) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(config.nova().timeout()).build();
  }

  /**
   * The id of the attachment through which {@code serverId} uses {@code volumeId}; empty when Nova
   * has no such server, or no such volume on it (its 404).
   *
   * @throws Unreachable when Nova cannot say
   */
  public Optional<String> attachmentOfServerVolume(String serverId, String volumeId, String token) {
    String base = endpoint(token);
    HttpResponse<String> answer =
        get(
            base + "/servers/" + segment(serverId) + "/os-volume_attachments/" + segment(volumeId),
            token,
            true);
    if (answer.statusCode() == 404) {
      return Optional.empty();
    }
    if (answer.statusCode() != 200) {
      throw new Unreachable("Nova answered " + answer.statusCode());
    }
    JsonNode attachment = read(answer.body()).path("volumeAttachment");
    if (!attachment.isObject()) {
      throw new Unreachable("Nova's answer holds no volumeAttachment");
    }
    return Optional.ofNullable(attachment.path("attachment_id").asText(null));
  }

  /** The configured URL, else the compute endpoint of the caller's catalog (Keystone mode). */
  private String endpoint(String token) {
    Optional<String> configured = config.nova().url();
    if (configured.isPresent()) {
      return trimmed(configured.get());
    }
    if (config.auth().strategy() != ApiConfig.Auth.Strategy.KEYSTONE) {
      throw new Unreachable(
          "no compute endpoint: noauth mode has no catalog and ember.nova.url is unset");
    }
    HttpResponse<String> answer =
        get(trimmed(config.auth().keystone().url()) + "/auth/catalog", token, false);
    if (answer.statusCode() != 200) {
      throw new Unreachable("Keystone's catalog answered " + answer.statusCode());
    }
    String wanted = config.nova().endpointInterface();
    Optional<String> region = config.nova().region();
    for (JsonNode service : read(answer.body()).path("catalog")) {
      if (!"compute".equals(service.path("type").asText())) {
        continue;
      }
      for (JsonNode endpoint : service.path("endpoints")) {
        boolean inRegion =
            region.isEmpty()
                || region.get().equals(endpoint.path("region_id").asText(null))
                || region.get().equals(endpoint.path("region").asText(null));
        if (wanted.equals(endpoint.path("interface").asText()) && inRegion) {
          return trimmed(endpoint.path("url").asText());
        }
      }
    }
    throw new Unreachable("no compute endpoint in the catalog");
  }

  private HttpResponse<String> get(String url, String token, boolean nova) {
    HttpRequest.Builder request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(config.nova().timeout())
              .header("Accept", "application/json")
              .header("X-Auth-Token", token == null ? "" : token);
    } catch (IllegalArgumentException e) {
      throw new Unreachable("not a URL: " + url);
    }
    if (nova) {
      request
          .header("OpenStack-API-Version", "compute " + MICROVERSION)
          .header("X-OpenStack-Nova-API-Version", MICROVERSION);
    }
    try {
      return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Unreachable(url + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable(url + ": interrupted");
    }
  }

  private JsonNode read(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new Unreachable("an answer that is not JSON");
    }
  }

  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String trimmed(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
