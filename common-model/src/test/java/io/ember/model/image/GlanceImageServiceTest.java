package io.ember.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Glance v2 client against a small HTTP server in the test that answers as Glance does: the
 * image record is the shape of Glance's API reference ({@code GET /v2/images/{id}}, with its core
 * fields, {@code os_hash_*}, {@code self}/{@code file}/{@code schema} links and a custom property),
 * the data comes chunked from {@code /file}, a missing image is a 404 and an image without data a
 * 204. It is not a real Glance; the shapes were written from Glance's documentation.
 */
class GlanceImageServiceTest {

  private static final String ID = "1bea47ed-f6a9-463b-b423-14b9cca9ad27";
  private static final String QUEUED = "7f5c2b8e-0c1d-4d35-9d46-1f5f2c3b9a10";
  private static final int DATA_SIZE = 3 * 1024 * 1024 + 17;

  private HttpServer server;
  private final List<String> tokens = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v2/images/",
        exchange -> {
          tokens.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Auth-Token")));
          String path = exchange.getRequestURI().getPath();
          if (path.equals("/v2/images/" + ID)) {
            byte[] body = record(ID, "active").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          } else if (path.equals("/v2/images/" + ID + "/file")) {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, 0); // chunked, as Glance streams it
            try (OutputStream out = exchange.getResponseBody()) {
              byte[] chunk = new byte[64 * 1024];
              for (int written = 0; written < DATA_SIZE; written += chunk.length) {
                int n = Math.min(chunk.length, DATA_SIZE - written);
                for (int i = 0; i < n; i++) {
                  chunk[i] = pattern(written + i);
                }
                out.write(chunk, 0, n);
              }
            }
          } else if (path.equals("/v2/images/" + QUEUED + "/file")) {
            exchange.sendResponseHeaders(204, -1);
          } else {
            byte[] body =
                ("<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>"
                        + "No image found with ID x<br /><br /></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=UTF-8");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static byte pattern(long offset) {
    return (byte) (offset * 31 + 7);
  }

  private static String record(String id, String status) {
    return """
        {"status": "%s", "name": "cirros-0.6.2-x86_64-disk", "tags": [],
         "container_format": "bare", "created_at": "2024-05-05T17:15:10Z",
         "disk_format": "raw", "updated_at": "2024-05-05T17:15:11Z", "visibility": "public",
         "self": "/v2/images/%s", "min_disk": 1, "protected": false, "id": "%s",
         "file": "/v2/images/%s/file", "checksum": "64d7c1cd2b6f60c92c14662941cb7913",
         "os_hash_algo": "sha512", "os_hash_value": "073b4523583784fbe01daff81eba092a262ec3",
         "os_hidden": false, "owner": "5ef70662f8b34079a6eddb8da9d75fe8", "size": %d,
         "min_ram": 64, "schema": "/v2/schemas/image", "virtual_size": null,
         "hw_disk_bus": "scsi", "bootable": "true"}
        """
        .formatted(status, id, id, id, DATA_SIZE);
  }

  @Test
  void showReadsGlancesRecordWithItsCustomProperties() {
    GlanceImageService glance = new GlanceImageService(url(), "svc-token", Duration.ofSeconds(5));

    Image image = glance.show(ID).orElseThrow();

    assertEquals(ID, image.id());
    assertEquals("cirros-0.6.2-x86_64-disk", image.name());
    assertTrue(image.active());
    assertEquals("raw", image.diskFormat());
    assertEquals("bare", image.containerFormat());
    assertEquals(1, image.minDisk());
    assertEquals(64, image.minRam());
    assertEquals(DATA_SIZE, image.size());
    assertEquals(null, image.virtualSize());
    assertEquals("scsi", image.properties().get("hw_disk_bus"));
    assertEquals("true", image.properties().get("bootable"));
    assertEquals(List.of("svc-token"), tokens);
  }

  @Test
  void aMissingImageIsEmptyAndItsDataNotFound() {
    GlanceImageService glance = new GlanceImageService(url() + "/v2/", null, Duration.ofSeconds(5));

    assertTrue(glance.show("no-such-image").isEmpty());
    assertThrows(NoSuchFileException.class, () -> glance.download("no-such-image").close());
    assertEquals(List.of("null", "null"), tokens, "no token configured, none sent");
  }

  @Test
  void anImageWithoutDataCannotBeDownloaded() {
    GlanceImageService glance = new GlanceImageService(url(), null, Duration.ofSeconds(5));

    IOException e = assertThrows(IOException.class, () -> glance.download(QUEUED).close());
    assertTrue(e.getMessage().contains("204"), e.getMessage());
  }

  @Test
  void downloadStreamsTheBytes() throws IOException {
    GlanceImageService glance = new GlanceImageService(url(), null, Duration.ofSeconds(5));

    long read = 0;
    byte[] buffer = new byte[8192];
    try (InputStream data = glance.download(ID)) {
      int n;
      while ((n = data.read(buffer)) > 0) {
        byte[] expected = new byte[n];
        for (int i = 0; i < n; i++) {
          expected[i] = pattern(read + i);
        }
        assertArrayEquals(expected, Arrays.copyOf(buffer, n), "bytes at " + read);
        read += n;
      }
    }
    assertEquals(DATA_SIZE, read);
  }

  @Test
  void aGlanceThatDoesNotAnswerIsAStoreFailure() {
    server.stop(0);
    GlanceImageService glance = new GlanceImageService(url(), null, Duration.ofSeconds(2));

    assertThrows(ImageStoreException.class, () -> glance.show(ID));
  }
}
