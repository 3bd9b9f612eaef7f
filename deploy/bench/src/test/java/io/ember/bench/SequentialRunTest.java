package io.ember.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sequential run against a small fake Block Storage API: each volume is attached the way Nova
 * attaches one (attachment create, update with the connector, complete, at 3.44) and detached
 * before its delete, and the report has both latencies; a refused step is an error, and the volume
 * is still cleaned up.
 */
class SequentialRunTest {

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile int updateStatus = 200;
  private HttpServer server;

  private BlockStorageClient client() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
    return new BlockStorageClient(
        List.of("http://127.0.0.1:" + server.getAddress().getPort()), "p1", "admin:p1", 2);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String version = exchange.getRequestHeaders().getFirst("OpenStack-API-Version");
    if (path.contains("/attachments")) {
      requests.add(method + " " + path.replaceFirst("/v3/p1", "") + " " + version);
    }
    int status;
    String answer = "";
    if (method.equals("POST") && path.endsWith("/volumes")) {
      status = 202;
      answer = "{\"volume\": {\"id\": \"v-" + ids.incrementAndGet() + "\"}}";
    } else if (method.equals("GET") && path.contains("/volumes/")) {
      String id = path.substring(path.lastIndexOf('/') + 1);
      status = deleted.contains(id) ? 404 : 200;
      answer = "{\"volume\": {\"id\": \"" + id + "\", \"status\": \"available\"}}";
    } else if (method.equals("DELETE") && path.contains("/volumes/")) {
      deleted.add(path.substring(path.lastIndexOf('/') + 1));
      status = 202;
    } else if (method.equals("POST") && path.endsWith("/attachments")) {
      assertTrue(body.contains("\"volume_uuid\":\"v-"), body);
      status = 200;
      answer = "{\"attachment\": {\"id\": \"a-" + ids.get() + "\", \"status\": \"reserved\"}}";
    } else if (method.equals("PUT")) {
      assertTrue(body.contains("\"connector\":{\"initiator\""), body);
      status = updateStatus;
      answer = "{\"attachment\": {\"connection_info\": {}}}";
    } else if (path.endsWith("/action")) {
      assertEquals("{\"os-complete\":null}", body);
      status = 204;
    } else {
      status = 200;
      answer = "{\"attachments\": []}";
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Test
  void eachVolumeIsAttachedAndDetachedBetweenItsCreateAndItsDelete() throws Exception {
    SequentialRun run =
        new SequentialRun(client(), Duration.ofMillis(5), Duration.ofSeconds(5), null);

    SequentialRun.Result result = run.run(1, 2);

    assertEquals(List.of(), result.errors());
    assertEquals(2, result.samples().size());
    for (SequentialRun.Sample s : result.samples()) {
      assertNotNull(s.attach(), s.id());
      assertNotNull(s.detach(), s.id());
    }
    assertEquals(2, result.attach().count());
    assertEquals(2, result.detach().count());
    assertEquals(
        List.of(
            "POST /attachments volume 3.44",
            "PUT /attachments/a-2 volume 3.44",
            "POST /attachments/a-2/action volume 3.44",
            "DELETE /attachments/a-2 volume 3.44"),
        requests.subList(4, 8),
        "the first measured volume's calls, after the warm-up's");
    assertEquals(Set.of("v-1", "v-2", "v-3"), deleted);
  }

  @Test
  void aRefusedConnectionIsAnErrorAndTheVolumeStillGoes() throws Exception {
    updateStatus = 500;
    SequentialRun run =
        new SequentialRun(client(), Duration.ofMillis(5), Duration.ofSeconds(5), null);

    SequentialRun.Result result = run.run(0, 1);

    assertEquals(List.of("bench-seq-0: attach: attachment update answered 500"), result.errors());
    assertNull(result.samples().get(0).attach());
    assertNull(result.samples().get(0).detach());
    assertTrue(result.attach().isEmpty());
    assertTrue(requests.contains("DELETE /attachments/a-1 volume 3.44"), requests.toString());
    assertEquals(Set.of("v-1"), deleted);
  }
}
