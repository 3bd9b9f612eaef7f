package io.ember.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The few Block Storage API v3 calls the benchmark makes. Only the public API is used, so any
 * Cinder-compatible endpoint can be measured the same way.
 */
final class BlockStorageClient {

  /** The answer to a POST: HTTP status, the new volume's id (null unless 202) and its latency. */
  record Created(int httpStatus, String id, long nanos, String body) {
    boolean accepted() {
      return httpStatus == 202 && id != null;
    }
  }

  /** The answer to a GET: HTTP status and the volume's status (null when 404 or unreadable). */
  record Shown(int httpStatus, String status) {
    boolean gone() {
      return httpStatus == 404;
    }
  }

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** Attachments are 3.27+, {@code os-complete} 3.44: every attachment call is sent at 3.44. */
  static final String ATTACHMENTS_VERSION = "volume 3.44";

  /**
   * The attachment calls are Nova's, so they carry its service token (in noauth mode, its roles as
   * {@code X-Service-Roles}): a user's end of an attachment would have Ember ask Nova first.
   */
  static final String NOVA_SERVICE_ROLES = "service";

  /** The connector the bench's "compute host" gives, as os-brick describes an iSCSI initiator. */
  static final String CONNECTOR =
      "{\"initiator\":\"iqn.1993-08.org.debian:01:bench\",\"ip\":\"127.0.0.1\","
          + "\"host\":\"bench\",\"platform\":\"x86_64\",\"os_type\":\"linux2\","
          + "\"multipath\":false}";

  /** The instance the bench attaches its volumes to (no compute service needs to know it). */
  static final String INSTANCE = "00000000-0000-4000-8000-00000000be9c";

  private final HttpClient http;

  /** One per api process for {@code http://} (empty otherwise), used in turn. */
  private final List<KeepAliveHttp> plain;

  /** The same at the attachments' microversion. */
  private final List<KeepAliveHttp> plainAttachments;

  /** Every api process's base URL (api replicas), the first one's first. */
  private final List<String> bases;

  private final AtomicLong turn = new AtomicLong();
  private final String base;
  private final String attachments;
  private final String volumes;
  private final String snapshots;
  private final String project;
  private final String token;
  private final AtomicLong requests = new AtomicLong();
  private String volumeType;

  /**
   * @param poolSize the most connections kept alive; the JDK client reads this limit once, from a
   *     system property, so it has to be set before the first client exists.
   */
  BlockStorageClient(List<String> baseUrls, String project, String token, int poolSize) {
    System.setProperty("jdk.httpclient.connectionPoolSize", Integer.toString(poolSize));
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.bases = List.copyOf(baseUrls);
    String baseUrl = bases.get(0);
    this.plain =
        bases.stream().allMatch(KeepAliveHttp::handles)
            ? bases.stream()
                .map(
                    b ->
                        new KeepAliveHttp(
                            URI.create(b), "X-Auth-Token", token, "Accept", "application/json"))
                .toList()
            : List.of();
    this.plainAttachments =
        bases.stream().allMatch(KeepAliveHttp::handles)
            ? bases.stream()
                .map(
                    b ->
                        new KeepAliveHttp(
                            URI.create(b),
                            "X-Auth-Token",
                            token,
                            "Accept",
                            "application/json",
                            "OpenStack-API-Version",
                            ATTACHMENTS_VERSION,
                            "X-Service-Roles",
                            NOVA_SERVICE_ROLES))
                .toList()
            : List.of();
    this.base = baseUrl;
    this.attachments = baseUrl + "/v3/" + project + "/attachments";
    this.volumes = baseUrl + "/v3/" + project + "/volumes";
    this.snapshots = baseUrl + "/v3/" + project + "/snapshots";
    this.project = project;
    this.token = token;
  }

  /** HTTP status of {@code GET /} (Cinder answers 300 with its versions). */
  int versions() throws IOException, InterruptedException {
    return send("GET", base + "/", null).status();
  }

  /**
   * Unlimited volumes and gigabytes for the bench project, so quota never turns a run into errors.
   */
  KeepAliveHttp.Answer unlimitedQuota() throws IOException, InterruptedException {
    String body = "{\"quota_set\":{\"volumes\":-1,\"gigabytes\":-1}}";
    return send("PUT", base + "/v3/" + project + "/os-quota-sets/" + project, body);
  }

  /** Every volume created from now on is of {@code type} (null: the default type). */
  void useVolumeType(String type) {
    this.volumeType = type;
  }

  /**
   * Creates volume type {@code name} with {@code extraSpecs} and, when {@code backEndQos} has keys,
   * a back-end QoS spec of the same name associated to it (admin calls).
   *
   * @return null when done, else what went wrong
   */
  String createType(String name, Map<String, String> extraSpecs, Map<String, String> backEndQos)
      throws IOException, InterruptedException {
    String typeBody =
        "{\"volume_type\":{\"name\":"
            + Json.quote(name)
            + ",\"os-volume-type-access:is_public\":true,\"extra_specs\":"
            + object(extraSpecs)
            + "}}";
    KeepAliveHttp.Answer type = send("POST", base + "/v3/" + project + "/types", typeBody);
    if (type.status() != 200) {
      return "POST types answered " + type.status() + ": " + type.body();
    }
    String typeId = Json.string(parseQuietly(type.body()), "volume_type", "id");
    if (backEndQos.isEmpty()) {
      return null;
    }
    Map<String, String> qosFields = new LinkedHashMap<>();
    qosFields.put("name", name);
    qosFields.put("consumer", "back-end");
    qosFields.putAll(backEndQos);
    KeepAliveHttp.Answer qos =
        send(
            "POST",
            base + "/v3/" + project + "/qos-specs",
            "{\"qos_specs\":" + object(qosFields) + "}");
    if (qos.status() != 200) {
      return "POST qos-specs answered " + qos.status() + ": " + qos.body();
    }
    String qosId = Json.string(parseQuietly(qos.body()), "qos_specs", "id");
    KeepAliveHttp.Answer associated =
        send(
            "GET",
            base + "/v3/" + project + "/qos-specs/" + qosId + "/associate?vol_type_id=" + typeId,
            null);
    if (associated.status() != 202) {
      return "qos-specs associate answered " + associated.status() + ": " + associated.body();
    }
    return null;
  }

  private static String object(Map<String, String> fields) {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
    }
    return json.append('}').toString();
  }

  Created create(String name) throws IOException, InterruptedException {
    String body =
        "{\"volume\":{\"size\":1,\"name\":"
            + Json.quote(name)
            + (volumeType == null ? "" : ",\"volume_type\":" + Json.quote(volumeType))
            + "}}";
    return created("POST", volumes, body, "volume");
  }

  Shown show(String id) throws IOException, InterruptedException {
    return show(volumes + "/" + id, "volume");
  }

  /** A volume with the data of {@code snapshotId} ({@code POST /volumes} with snapshot_id). */
  Created createFromSnapshot(String snapshotId, String name)
      throws IOException, InterruptedException {
    return created(
        "POST",
        volumes,
        "{\"volume\":{\"snapshot_id\":"
            + Json.quote(snapshotId)
            + ",\"name\":"
            + Json.quote(name)
            + "}}",
        "volume");
  }

  /** A snapshot of an available volume ({@code POST /snapshots}). */
  Created createSnapshot(String volumeId, String name) throws IOException, InterruptedException {
    return created(
        "POST",
        snapshots,
        "{\"snapshot\":{\"volume_id\":"
            + Json.quote(volumeId)
            + ",\"name\":"
            + Json.quote(name)
            + "}}",
        "snapshot");
  }

  Shown showSnapshot(String id) throws IOException, InterruptedException {
    return show(snapshots + "/" + id, "snapshot");
  }

  /** HTTP status of {@code DELETE /snapshots/{id}}; 202 when accepted. */
  int deleteSnapshot(String id) throws IOException, InterruptedException {
    return send("DELETE", snapshots + "/" + id, null).status();
  }

  private Created created(String method, String url, String body, String member)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    KeepAliveHttp.Answer response = send(method, url, body);
    long nanos = System.nanoTime() - start;
    String id = null;
    if (response.status() == 202) {
      id = Json.string(parseQuietly(response.body()), member, "id");
    }
    return new Created(response.status(), id, nanos, response.body());
  }

  private Shown show(String url, String member) throws IOException, InterruptedException {
    KeepAliveHttp.Answer response = send("GET", url, null);
    String status = null;
    if (response.status() == 200) {
      status = Json.string(parseQuietly(response.body()), member, "status");
    }
    return new Shown(response.status(), status);
  }

  /**
   * Ids of the project's volumes in {@code status} ({@code GET /volumes?status=...}, one page of up
   * to 1000); null when the list could not be read.
   */
  Set<String> idsWithStatus(String status) throws IOException, InterruptedException {
    String url = volumes + "?status=" + status + "&limit=1000";
    KeepAliveHttp.Answer response = send("GET", url, null);
    if (response.status() != 200
        || !(Json.path(parseQuietly(response.body()), "volumes") instanceof List<?> items)) {
      return null;
    }
    Set<String> ids = new HashSet<>();
    for (Object item : items) {
      String id = Json.string(item, "id");
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** HTTP status of {@code DELETE}; 202 when accepted. */
  int delete(String id) throws IOException, InterruptedException {
    return send("DELETE", volumes + "/" + id, null).status();
  }

  /**
   * Attaches an available volume as Nova does: {@code POST /attachments} (reserve), {@code PUT}
   * with the connector (the host's connection), {@code os-complete}. The attachment's id, or an
   * {@link IOException} naming the step that was refused; {@code created} receives the id as soon
   * as it exists, so a caller can clean up after a later refusal.
   */
  String attach(String volumeId, java.util.function.Consumer<String> created)
      throws IOException, InterruptedException {
    KeepAliveHttp.Answer reserved =
        sendAttachments(
            "POST",
            attachments,
            "{\"attachment\":{\"volume_uuid\":"
                + Json.quote(volumeId)
                + ",\"instance_uuid\":"
                + Json.quote(INSTANCE)
                + "}}");
    String id =
        reserved.status() == 200
            ? Json.string(parseQuietly(reserved.body()), "attachment", "id")
            : null;
    if (id == null) {
      throw new IOException("attachment create answered " + reserved.status());
    }
    created.accept(id);
    KeepAliveHttp.Answer connected =
        sendAttachments(
            "PUT", attachments + "/" + id, "{\"attachment\":{\"connector\":" + CONNECTOR + "}}");
    if (connected.status() != 200) {
      throw new IOException("attachment update answered " + connected.status());
    }
    KeepAliveHttp.Answer completed =
        sendAttachments("POST", attachments + "/" + id + "/action", "{\"os-complete\":null}");
    if (completed.status() != 204) {
      throw new IOException("os-complete answered " + completed.status());
    }
    return id;
  }

  /** HTTP status of {@code DELETE /attachments/{id}} (the host's detach); 200 when done. */
  int deleteAttachment(String attachmentId) throws IOException, InterruptedException {
    return sendAttachments("DELETE", attachments + "/" + attachmentId, null).status();
  }

  /** Every request sent so far, to show how much polling load the benchmark itself added. */
  long requestCount() {
    return requests.get();
  }

  private KeepAliveHttp.Answer send(String method, String url, String jsonBody)
      throws IOException, InterruptedException {
    return send(plain, null, method, url, jsonBody);
  }

  private KeepAliveHttp.Answer sendAttachments(String method, String url, String jsonBody)
      throws IOException, InterruptedException {
    return send(plainAttachments, ATTACHMENTS_VERSION, method, url, jsonBody);
  }

  /**
   * Through the plain client for {@code http://}, the JDK's otherwise (TLS); to the api processes
   * in turn when there are several (round robin per request: what a load balancer in front of api
   * replicas does, without one to measure too).
   */
  private KeepAliveHttp.Answer send(
      List<KeepAliveHttp> through, String microversion, String method, String url, String jsonBody)
      throws IOException, InterruptedException {
    requests.incrementAndGet();
    int next = (int) (turn.getAndIncrement() % bases.size());
    if (!through.isEmpty()) {
      URI uri = URI.create(url);
      String path = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      return through
          .get(next)
          .send(
              method, uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery(), jsonBody);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(bases.get(next) + url.substring(base.length())))
            .timeout(REQUEST_TIMEOUT)
            .header("X-Auth-Token", token)
            .header("Accept", "application/json");
    if (microversion != null) {
      request.header("OpenStack-API-Version", microversion);
    }
    if (ATTACHMENTS_VERSION.equals(microversion)) {
      request.header("X-Service-Roles", NOVA_SERVICE_ROLES);
    }
    if (jsonBody != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        jsonBody == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody));
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new KeepAliveHttp.Answer(response.statusCode(), response.body());
  }

  private static Object parseQuietly(String body) {
    try {
      return Json.parse(body);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
