package io.ember.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bench's HTTP client against the JDK's HTTP server, over loopback. */
class KeepAliveHttpTest {

  private HttpServer server;
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private KeepAliveHttp http;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/echo", this::echo);
    server.createContext("/chunked", this::chunked);
    server.createContext("/close", this::closeAfter);
    server.start();
    http =
        new KeepAliveHttp(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "X-Auth-Token", "t1");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void sendsMethodHeadersAndBodyAndReadsALengthDelimitedAnswer() throws IOException {
    KeepAliveHttp.Answer answer = http.send("POST", "/echo?x=1", "{\"é\":1}");

    assertEquals(201, answer.status());
    assertEquals("POST /echo?x=1 token=t1 type=application/json body={\"é\":1}", answer.body());
  }

  @Test
  void readsAChunkedAnswer() throws IOException {
    KeepAliveHttp.Answer answer = http.send("GET", "/chunked", null);

    assertEquals(200, answer.status());
    assertEquals("x".repeat(20_000), answer.body());
  }

  @Test
  void keepsOneConnectionForSuccessiveRequests() throws IOException {
    for (int i = 0; i < 5; i++) {
      assertEquals(201, http.send("GET", "/echo", null).status());
    }
    assertEquals(1, clientPorts.size(), "requests came over " + clientPorts);
  }

  @Test
  void opensANewConnectionWhenTheServerClosedTheLastOne() throws IOException {
    assertEquals(200, http.send("GET", "/close", null).status());
    assertEquals(201, http.send("DELETE", "/echo", null).status());
    assertEquals(2, clientPorts.size());
  }

  private void echo(HttpExchange exchange) throws IOException {
    clientPorts.add(exchange.getRemoteAddress().getPort());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String text =
        exchange.getRequestMethod()
            + " "
            + exchange.getRequestURI()
            + " token="
            + exchange.getRequestHeaders().getFirst("X-Auth-Token")
            + (body.isEmpty()
                ? ""
                : " type="
                    + exchange.getRequestHeaders().getFirst("Content-Type")
                    + " body="
                    + body);
    reply(exchange, 201, text.getBytes(StandardCharsets.UTF_8), false);
  }

  private void chunked(HttpExchange exchange) throws IOException {
    reply(exchange, 200, "x".repeat(20_000).getBytes(StandardCharsets.UTF_8), true);
  }

  private void closeAfter(HttpExchange exchange) throws IOException {
    clientPorts.add(exchange.getRemoteAddress().getPort());
    exchange.getResponseHeaders().add("Connection", "close");
    reply(exchange, 200, new byte[0], false);
  }

  private static void reply(HttpExchange exchange, int status, byte[] body, boolean chunked)
      throws IOException {
    exchange.sendResponseHeaders(status, chunked ? 0 : (body.length == 0 ? -1 : body.length));
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
