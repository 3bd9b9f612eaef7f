package io.ember.api.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers as Nova's compute API does the one question Ember asks it ({@code GET
 * /v2.1/servers/{server}/os-volume_attachments/{volume}}): there is no Nova on this machine. It
 * knows the attachments it is told, answers 404 for the rest, and records what it was asked.
 */
public final class NovaStandIn implements AutoCloseable {

  /** Where the %test profile's {@code ember.nova.url} points. */
  public static final int PORT = 18874;

  private final HttpServer server;
  private final Map<String, String> attachments = new ConcurrentHashMap<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();

  private NovaStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
    server.createContext(
        "/v2.1/servers/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          asked.add(path + " token=" + exchange.getRequestHeaders().getFirst("X-Auth-Token"));
          String[] parts = path.split("/");
          // "", "v2.1", "servers", server, "os-volume_attachments", volume
          String attachment = parts.length == 6 ? attachments.get(parts[3] + "/" + parts[5]) : null;
          byte[] body;
          int status;
          if (attachment == null) {
            status = 404;
            body =
                "{\"itemNotFound\": {\"code\": 404, \"message\": \"not found\"}}"
                    .getBytes(StandardCharsets.UTF_8);
          } else {
            status = 200;
            body =
                ("{\"volumeAttachment\": {\"serverId\": \""
                        + parts[3]
                        + "\", \"volumeId\": \""
                        + parts[5]
                        + "\", \"attachment_id\": \""
                        + attachment
                        + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  public static NovaStandIn start() throws IOException {
    return new NovaStandIn();
  }

  /** Nova holds {@code attachmentId} for {@code volumeId} on {@code serverId}. */
  public void uses(String serverId, String volumeId, String attachmentId) {
    attachments.put(serverId + "/" + volumeId, attachmentId);
  }

  public List<String> asked() {
    return List.copyOf(asked);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
