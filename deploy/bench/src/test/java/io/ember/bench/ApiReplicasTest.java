package io.ember.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** With several api URLs (api replicas) the bench's requests go to each in turn. */
class ApiReplicasTest {

  @Test
  void requestsAreSpreadOverEveryApiInTurn() throws Exception {
    List<HttpServer> apis = new ArrayList<>();
    List<AtomicInteger> served = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      AtomicInteger count = new AtomicInteger();
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            count.incrementAndGet();
            byte[] bytes = "{\"volume\": {\"id\": \"v-1\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(202, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          });
      server.start();
      apis.add(server);
      served.add(count);
      urls.add("http://127.0.0.1:" + server.getAddress().getPort());
    }
    try {
      Options options = Options.parse(new String[] {"--url", String.join(",", urls) + "/"});
      assertEquals(urls, options.urls());
      BlockStorageClient client = new BlockStorageClient(options.urls(), "p1", "admin:p1", 2);
      for (int i = 0; i < 6; i++) {
        assertTrue(client.create("vol-" + i).accepted());
      }
      assertEquals(List.of(3, 3), served.stream().map(AtomicInteger::get).toList());
    } finally {
      apis.forEach(s -> s.stop(0));
    }
  }
}
