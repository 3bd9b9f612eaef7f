package io.ember.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the services' /q/metrics over HTTP, each under its name. */
class MetricsScrapeTest {

  @Test
  void eachEndpointIsReadUnderItsNameAndAMissingOneFailsTheReading() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    serve(server, "/node1", 200, "a 1.0\n");
    serve(server, "/node2", 200, "b 2.0\n");
    serve(server, "/down", 503, "");
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    try {
      MetricsScrape both =
          new MetricsScrape(List.of("volume-node1=" + base + "/node1", base + "/node2"));
      assertEquals(
          Map.of("volume-node1", "a 1.0\n", base.substring("http://".length()), "b 2.0\n"),
          both.read());
      assertEquals(
          List.of("volume-node1", base.substring("http://".length())),
          List.copyOf(both.read().keySet()),
          "in the order given");

      MetricsScrape oneDown = new MetricsScrape(List.of(base + "/node1", "x=" + base + "/down"));
      assertThrows(IOException.class, oneDown::read, "a reading with a service missing is none");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void noEndpointsMeansNothingToRead() {
    assertFalse(new MetricsScrape(List.of()).configured());
  }

  private static void serve(HttpServer server, String path, int status, String body) {
    server.createContext(
        path,
        exchange -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
  }
}
