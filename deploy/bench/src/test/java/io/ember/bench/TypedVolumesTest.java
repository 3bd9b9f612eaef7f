package io.ember.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the bench asks of the API to create its type and QoS spec, and its volumes' bodies. */
class TypedVolumesTest {

  @Test
  void theTypeItsQosAndTheirAssociationAreCreatedThenEveryVolumeNamesTheType() throws Exception {
    List<String> requests = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String uri = exchange.getRequestURI().toString();
          requests.add(exchange.getRequestMethod() + " " + uri + " " + body);
          String answer;
          int status;
          if (uri.endsWith("/types")) {
            status = 200;
            answer = "{\"volume_type\": {\"id\": \"t-1\", \"name\": \"typed\"}}";
          } else if (uri.endsWith("/qos-specs")) {
            status = 200;
            answer = "{\"qos_specs\": {\"id\": \"q-1\"}}";
          } else if (uri.contains("/associate")) {
            status = 202;
            answer = "";
          } else {
            status = 202;
            answer = "{\"volume\": {\"id\": \"v-1\"}}";
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    try {
      BlockStorageClient client =
          new BlockStorageClient(
              List.of("http://127.0.0.1:" + server.getAddress().getPort()), "p1", "admin:p1", 2);
      Map<String, String> specs = new LinkedHashMap<>();
      specs.put("volume_backend_name", "fake");
      assertNull(client.createType("typed", specs, Map.of("total_iops_sec", "5000")));
      client.useVolumeType("typed");
      assertTrue(client.create("vol-1").accepted());

      assertEquals(4, requests.size(), requests.toString());
      assertEquals(
          "POST /v3/p1/types {\"volume_type\":{\"name\":\"typed\","
              + "\"os-volume-type-access:is_public\":true,"
              + "\"extra_specs\":{\"volume_backend_name\":\"fake\"}}}",
          requests.get(0));
      assertEquals(
          "POST /v3/p1/qos-specs {\"qos_specs\":{\"name\":\"typed\",\"consumer\":\"back-end\","
              + "\"total_iops_sec\":\"5000\"}}",
          requests.get(1));
      assertEquals("GET /v3/p1/qos-specs/q-1/associate?vol_type_id=t-1 ", requests.get(2));
      assertEquals(
          "POST /v3/p1/volumes {\"volume\":{\"size\":1,\"name\":\"vol-1\","
              + "\"volume_type\":\"typed\"}}",
          requests.get(3));
    } finally {
      server.stop(0);
    }
  }
}
