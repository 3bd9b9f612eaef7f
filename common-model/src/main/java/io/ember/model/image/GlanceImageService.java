package io.ember.model.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.ember.model.contract.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Images read from Glance with its v2 API: {@code GET /v2/images/{id}} for the record and {@code
 * GET /v2/images/{id}/file} for the bytes, streamed as they arrive. A configured token goes in
 * {@code X-Auth-Token} (Glance checks it with Keystone); without one no token is sent.
 */
public class GlanceImageService implements ImageService {

  private final HttpClient client;
  private final String baseUrl;
  private final String token;
  private final Duration timeout;

  /**
   * @param url Glance's endpoint, with or without a trailing {@code /v2}
   * @param token sent as {@code X-Auth-Token}; null for none
   */
  public GlanceImageService(String url, String token, Duration timeout) {
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.baseUrl = base.endsWith("/v2") ? base : base + "/v2";
    this.token = token == null || token.isBlank() ? null : token;
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            // HTTP/1.1: the default offers an h2c upgrade that Glance's WSGI servers do not want.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  @Override
  public Optional<Image> show(String imageId) {
    HttpResponse<String> response;
    try {
      response = client.send(request(imageId, ""), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ImageStoreException("Glance did not answer for image " + imageId + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageStoreException("interrupted reading image " + imageId, e);
    }
    return switch (response.statusCode()) {
      case 200 -> Optional.of(Json.read(response.body(), Image.class));
      case 404 -> Optional.empty();
      default ->
          throw new ImageStoreException(
              "Glance answered " + response.statusCode() + " for image " + imageId, null);
    };
  }

  /** Glance's {@code GET /v2/images?name=}: the images visible to the token with that name. */
  @Override
  public List<Image> findByName(String name) {
    HttpRequest request =
        authorized(HttpRequest.newBuilder(URI.create(baseUrl + "/images?name=" + encoded(name))))
            .GET()
            .build();
    HttpResponse<String> response = send(request, "listing images named " + name);
    if (response.statusCode() != 200) {
      throw new ImageStoreException(
          "Glance answered " + response.statusCode() + " listing images named " + name, null);
    }
    return Json.read(response.body(), ImageList.class).images();
  }

  /** Glance's list answer; its paging links are not followed (a name rarely has many images). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record ImageList(List<Image> images) {
    ImageList {
      images = images == null ? List.of() : images;
    }
  }

  @Override
  public InputStream download(String imageId) throws IOException {
    HttpResponse<InputStream> response;
    try {
      response = client.send(request(imageId, "/file"), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted downloading image " + imageId, e);
    }
    int status = response.statusCode();
    if (status == 200) {
      return response.body();
    }
    response.body().close();
    if (status == 404) {
      throw new NoSuchFileException("image " + imageId);
    }
    // 204: Glance has the record but no data yet.
    throw new IOException("Glance answered " + status + " for the data of image " + imageId);
  }

  @Override
  public Image create(NewImage image) {
    HttpRequest.Builder request =
        authorized(HttpRequest.newBuilder(URI.create(baseUrl + "/images")))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(image)));
    HttpResponse<String> response = send(request.build(), "creating an image");
    if (response.statusCode() != 201) {
      throw new ImageStoreException(
          "Glance answered " + response.statusCode() + " creating an image", null);
    }
    return Json.read(response.body(), Image.class);
  }

  @Override
  public void upload(String imageId, InputStream data) throws IOException {
    HttpRequest request =
        authorized(
                HttpRequest.newBuilder(
                    URI.create(baseUrl + "/images/" + encoded(imageId) + "/file")))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> data))
            .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted uploading image " + imageId, e);
    }
    if (response.statusCode() != 204) {
      throw new IOException(
          "Glance answered " + response.statusCode() + " to the data of image " + imageId);
    }
  }

  @Override
  public void delete(String imageId) {
    HttpRequest request =
        authorized(HttpRequest.newBuilder(URI.create(baseUrl + "/images/" + encoded(imageId))))
            .DELETE()
            .build();
    int status = send(request, "deleting image " + imageId).statusCode();
    if (status != 204 && status != 404) {
      throw new ImageStoreException(
          "Glance answered " + status + " deleting image " + imageId, null);
    }
  }

  private HttpResponse<String> send(HttpRequest request, String what) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ImageStoreException("Glance did not answer " + what + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageStoreException("interrupted " + what, e);
    }
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    request.timeout(timeout);
    if (token != null) {
      request.header("X-Auth-Token", token);
    }
    return request;
  }

  private static String encoded(String imageId) {
    return URLEncoder.encode(imageId, StandardCharsets.UTF_8);
  }

  private HttpRequest request(String imageId, String suffix) {
    String id = URLEncoder.encode(imageId, StandardCharsets.UTF_8);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/images/" + id + suffix))
            .timeout(timeout)
            .GET();
    if (token != null) {
      request.header("X-Auth-Token", token);
    }
    return request.build();
  }
}
