package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cinder's synchronous calls with several api processes: every api makes its calls to a volume host
 * at the same time as the others (an attachment update with a connector, {@code
 * os-initialize_connection}, a transfer accept), each through its own client pinned to it, and each
 * gets its own replies: a reply read by the wrong process would leave the caller to its deadline (a
 * 500 after the shared stack's 20 s). The broker shows one reply topic per api process.
 */
class RequestReplyReplicasE2ETest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVER = AttachmentsCliE2ETest.SERVER;
  private static final String CONNECTOR = AttachmentsCliE2ETest.CONNECTOR;
  private static final int ROUNDS = 2;

  static EmberStack stack;

  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  @Test
  void eachApiGetsTheRepliesToItsOwnCalls() throws Exception {
    List<String> apis = stack.apiUrls();
    assumeTrue(apis.size() > 1, "the shared stack runs one api (-Dember.e2e.replicas=1)");
    ExecutorService callers = Executors.newFixedThreadPool(apis.size());
    try {
      List<Future<String>> done = new ArrayList<>();
      for (String api : apis) {
        done.add(callers.submit(() -> callsThrough(api)));
      }
      for (Future<String> each : done) {
        each.get(5, TimeUnit.MINUTES);
      }
    } finally {
      callers.shutdownNow();
    }

    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                System.getProperty("kafka.bootstrap.servers", "localhost:9092")))) {
      Set<String> replyTopics =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(t -> t.startsWith(stack.topicPrefix() + ".reply."))
              .collect(Collectors.toSet());
      assertEquals(apis.size(), replyTopics.size(), "one reply topic per api: " + replyTopics);
    }
  }

  /** Every kind of call, {@link #ROUNDS} times, all through {@code api}. */
  private String callsThrough(String api) throws Exception {
    Cli cli = Cli.admin(stack).at(api);
    for (int round = 0; round < ROUNDS; round++) {
      // An attachment update with a connector: initialize_connection on the host.
      String volume = availableVolume(cli, "rr-attach");
      String attachment =
          AttachmentsCliE2ETest.idIn(cinder44(cli, "attachment-create", volume, SERVER).ok().out());
      String updated =
          cinder44(
                  cli,
                  "attachment-update",
                  "--initiator",
                  "iqn.1993-08.org.debian:01:e2e",
                  "--host",
                  "e2e-compute",
                  attachment)
              .ok()
              .out();
      assertTrue(updated.contains("iscsi"), api + ": " + updated);
      assertEquals(200, AttachmentsCliE2ETest.deleteAsNova(api, cli.project(), attachment));

      // The legacy action, answered with the host's connection info.
      cli.awaitVolumeStatus(volume, "available");
      assertEquals(202, action(api, cli, volume, "{\"os-reserve\": null}").statusCode());
      HttpResponse<String> connection =
          action(
              api,
              cli,
              volume,
              "{\"os-initialize_connection\": {\"connector\": " + CONNECTOR + "}}");
      assertEquals(200, connection.statusCode(), api + ": " + connection.body());
      assertEquals(
          "iscsi",
          JSON.readTree(connection.body())
              .get("connection_info")
              .get("driver_volume_type")
              .asText());
      assertEquals(202, action(api, cli, volume, "{\"os-unreserve\": null}").statusCode());

      // A transfer accepted: the host is asked to take the volume over for the receiver.
      cli.awaitVolumeStatus(volume, "available");
      JsonNode created = cli.json("volume", "transfer", "request", "create", volume);
      Cli receiver = Cli.admin(stack).at(api);
      JsonNode accepted =
          receiver.json(
              "volume",
              "transfer",
              "request",
              "accept",
              "--auth-key",
              created.get("auth_key").asText(),
              created.get("id").asText());
      assertEquals(volume, accepted.get("volume_id").asText(), api + ": " + accepted);
      receiver.awaitVolumeStatus(volume, "available");
      receiver.openstack("volume", "delete", volume).ok();
      receiver.awaitVolumeGone(volume);
    }
    return api;
  }

  private static String availableVolume(Cli cli, String name) throws Exception {
    String id = cli.json("volume", "create", "--size", "1", name).get("id").asText();
    cli.awaitVolumeStatus(id, "available");
    return id;
  }

  private static Cli.Result cinder44(Cli cli, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--os-volume-api-version", "3.44"));
    all.addAll(List.of(args));
    return cli.cinder(all.toArray(String[]::new));
  }

  private HttpResponse<String> action(String api, Cli cli, String volume, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(api + "/v3/" + cli.project() + "/volumes/" + volume + "/action"))
            .header("X-Auth-Token", "admin:" + cli.project())
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(120))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
