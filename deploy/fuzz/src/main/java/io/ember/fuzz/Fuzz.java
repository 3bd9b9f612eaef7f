package io.ember.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code deploy/local/ember fuzz [--requests N]}: hostile requests against every operation the
 * endpoint's OpenAPI document lists, on loopback only, bounded in count and time. It checks that no
 * answer is a 5xx, that every error is a Cinder fault body, and that no refused request changed the
 * fuzz projects' volumes or quotas. Last line: {@code fuzz: N requests, 0 5xx, 0 non-Cinder error
 * bodies, 0 state changes}; the exit status is 0 only when all three are zero.
 */
public final class Fuzz {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");
  private static final int SHOWN_FINDINGS = 40;

  /** What a run found. */
  public record Result(int requests, int fiveHundreds, int nonCinderBodies, int stateChanges) {
    public boolean clean() {
      return fiveHundreds == 0 && nonCinderBodies == 0 && stateChanges == 0;
    }

    public String line() {
      return "fuzz: "
          + requests
          + " requests, "
          + fiveHundreds
          + " 5xx, "
          + nonCinderBodies
          + " non-Cinder error bodies, "
          + stateChanges
          + " state changes";
    }
  }

  /** The run's settings. */
  public record Options(URI url, int requests, Duration duration, long seed) {
    static Options parse(String[] args) {
      URI url = URI.create("http://127.0.0.1:8776");
      int requests = 2000;
      Duration duration = Duration.ofSeconds(300);
      long seed = System.nanoTime();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
        String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        if (name.equals("-h") || name.equals("--help")) {
          throw new IllegalArgumentException("help");
        }
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
          }
          value = args[++i];
        }
        switch (name) {
          case "--url" -> url = URI.create(value);
          case "--requests" -> requests = Integer.parseInt(value);
          case "--seconds" -> duration = Duration.ofSeconds(Long.parseLong(value));
          case "--seed" -> seed = Long.parseLong(value);
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      }
      if (requests < 1 || requests > 1_000_000) {
        throw new IllegalArgumentException("--requests must be 1..1000000");
      }
      return new Options(url, requests, duration, seed);
    }
  }

  private final Options options;
  private final PrintStream out;
  private final HttpClient http;
  private final Random random;
  private final String project = hex();
  private final String otherProject = hex();
  private int shown;

  public Fuzz(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.random = new Random(options.seed());
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(
          (e.getMessage().equals("help") ? "" : "fuzz: " + e.getMessage() + "\n")
              + "usage: fuzz [--url http://127.0.0.1:8776] [--requests 2000] [--seconds 300]"
              + " [--seed N]");
      System.exit(e.getMessage().equals("help") ? 0 : 64);
      return;
    }
    try {
      Result result = new Fuzz(options, System.out).run();
      System.out.println(result.line());
      System.exit(result.clean() ? 0 : 1);
    } catch (Exception e) {
      System.err.println("fuzz: " + e);
      System.exit(2);
    }
  }

  private static String hex() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** One answer: its status and body text. */
  record Answer(int status, String body) {}

  public Result run() throws IOException, InterruptedException {
    requireLoopback(options.url());
    out.println(
        "fuzz: "
            + options.url()
            + ", seed "
            + options.seed()
            + ", projects "
            + project
            + " (caller) and "
            + otherProject
            + " (victim)");
    Answer doc = send("GET", "/q/openapi?format=json", null, null, null, null);
    if (doc.status() != 200) {
      throw new IOException("no OpenAPI document at /q/openapi (" + doc.status() + ")");
    }
    List<Operations.Operation> operations = Operations.from(JSON.readTree(doc.body()));
    out.println("fuzz: " + operations.size() + " operations from the OpenAPI document");
    String victim = createVictim();
    Hostile hostile = new Hostile(random, project, otherProject, victim);
    String before = state();

    long deadline = System.nanoTime() + options.duration().toNanos();
    int requests = 0;
    int fiveHundreds = 0;
    int nonCinder = 0;
    int stateChanges = 0;
    String last = before;
    while (requests < options.requests() && System.nanoTime() < deadline) {
      Operations.Operation op = hostile.pick(operations);
      String method = hostile.chance(15) ? hostile.otherMethod() : op.method();
      String path = fill(op.template(), hostile) + hostile.query();
      boolean destructive = method.equals("DELETE") || op.template().endsWith("/action");
      String token = hostile.chance(92) ? hostile.token() : null;
      if (destructive && token != null && !token.startsWith("fuzzer:" + project)) {
        // A delete by the victim's own project or an admin would be a valid delete: its effect
        // (the volume host removes it later) could not be told from a refused request's.
        token = hostile.chance(50) ? "fuzzer:" + project : "admin:ab%zz";
      }
      byte[] body = null;
      String type = null;
      if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
        body = hostile.body(resourceOf(op.template()));
        type = hostile.chance(90) ? hostile.contentType() : null;
      }
      Answer answer;
      try {
        answer = send(method, path, token, hostile.microversion(), type, body, hostile.padding());
      } catch (IOException e) {
        nonCinder++;
        report("no answer (" + e.getClass().getSimpleName() + ")", method, path, token, body);
        requests++;
        continue;
      }
      requests++;
      if (answer.status() >= 500) {
        fiveHundreds++;
        report(answer.status() + " " + clip(answer.body()), method, path, token, body);
      } else if (answer.status() >= 400 && !method.equals("HEAD")) {
        String problem = CinderFaults.problem(answer.status(), answer.body());
        if (problem != null) {
          nonCinder++;
          report(
              answer.status() + " " + problem + ": " + clip(answer.body()),
              method,
              path,
              token,
              body);
        }
      }
      if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
        continue;
      }
      String now = state();
      boolean accepted = answer.status() < 300;
      if (!accepted && !now.equals(last)) {
        stateChanges++;
        report("refused with " + answer.status() + " but state changed", method, path, token, body);
      }
      last = now;
    }
    return new Result(requests, fiveHundreds, nonCinder, stateChanges);
  }

  private void report(String what, String method, String path, String token, byte[] body) {
    if (shown++ < SHOWN_FINDINGS) {
      out.println(
          "fuzz: FOUND "
              + what
              + " <- "
              + method
              + " "
              + clip(path)
              + " token="
              + clip(String.valueOf(token))
              + (body == null ? "" : " body=" + clip(new String(body, StandardCharsets.UTF_8))));
    }
  }

  private static String clip(String s) {
    String flat = s.replaceAll("[\\x00-\\x1f]", "?");
    return flat.length() > 160 ? flat.substring(0, 160) + "...(" + flat.length() + ")" : flat;
  }

  private static void requireLoopback(URI url) throws IOException {
    InetAddress address = InetAddress.getByName(url.getHost());
    if (!address.isLoopbackAddress()) {
      throw new IOException("refusing " + url + ": the fuzz tool runs against loopback only");
    }
  }

  /** The first word after the project in a template, or the last one for actions and quotas. */
  private static String resourceOf(String template) {
    if (template.endsWith("/action")) {
      return "action";
    }
    if (template.contains("os-quota-sets")) {
      return "os-quota-sets";
    }
    return "volumes";
  }

  private static String fill(String template, Hostile hostile) {
    Matcher m = PARAMETER.matcher(template);
    StringBuilder path = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(path, Matcher.quoteReplacement(hostile.pathParameter(m.group(1))));
    }
    m.appendTail(path);
    return path.toString();
  }

  /** A volume of the victim project, the id hostile requests aim at across projects. */
  private String createVictim() throws IOException, InterruptedException {
    String volumes = "/v3/" + otherProject + "/volumes";
    Answer created =
        send(
            "POST",
            volumes,
            "admin:" + otherProject,
            null,
            "application/json",
            "{\"volume\": {\"size\": 1, \"name\": \"fuzz-victim\"}}"
                .getBytes(StandardCharsets.UTF_8));
    if (created.status() != 202) {
      throw new IOException(
          "could not create the victim volume: " + created.status() + " " + created.body());
    }
    String id = JSON.readTree(created.body()).path("volume").path("id").asText();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Answer shown = send("GET", volumes + "/" + id, "admin:" + otherProject, null, null, null);
      String status = JSON.readTree(shown.body()).path("volume").path("status").asText();
      if (!status.equals("creating")) {
        return id;
      }
      Thread.sleep(100);
    }
    throw new IOException("the victim volume " + id + " stayed creating");
  }

  /**
   * What a refused request must not change: the fuzz projects' volumes (id, name, description,
   * size, metadata; not the status, which the services move on their own), limits and usage.
   */
  private String state() throws IOException, InterruptedException {
    StringBuilder state = new StringBuilder();
    for (String p : List.of(project, otherProject)) {
      Answer list = send("GET", "/v3/" + p + "/volumes/detail", "admin:" + p, null, null, null);
      Answer quota =
          send(
              "GET",
              "/v3/" + p + "/os-quota-sets/" + p + "?usage=True",
              "admin:" + p,
              null,
              null,
              null);
      if (list.status() != 200 || quota.status() != 200) {
        throw new IOException("cannot read the state of project " + p);
      }
      TreeMap<String, String> volumes = new TreeMap<>();
      for (JsonNode v : JSON.readTree(list.body()).path("volumes")) {
        volumes.put(
            v.path("id").asText(),
            String.join(
                "|",
                v.path("name").asText(),
                v.path("description").asText(),
                v.path("size").asText(),
                v.path("metadata").toString()));
      }
      JsonNode set = JSON.readTree(quota.body()).path("quota_set");
      TreeMap<String, String> quotas = new TreeMap<>();
      set.properties()
          .forEach(
              e ->
                  quotas.put(
                      e.getKey(),
                      e.getValue().path("limit").asText()
                          + "/"
                          + e.getValue().path("in_use").asText()));
      state.append(p).append(volumes).append(quotas);
    }
    return state.toString();
  }

  private static String escape(String path) {
    StringBuilder out = new StringBuilder();
    byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean hexFollows =
          b == '%'
              && i + 2 < bytes.length
              && Character.digit(bytes[i + 1], 16) >= 0
              && Character.digit(bytes[i + 2], 16) >= 0;
      if (b < 0x80 && (Character.isLetterOrDigit(b) || "-._~/?&=:,;+!*'()@$".indexOf(b) >= 0)
          || hexFollows) {
        out.append((char) b);
      } else {
        out.append('%').append(String.format("%02X", b));
      }
    }
    return out.toString();
  }

  private Answer send(
      String method, String path, String token, String microversion, String type, byte[] body)
      throws IOException, InterruptedException {
    return send(method, path, token, microversion, type, body, null);
  }

  private Answer send(
      String method,
      String path,
      String token,
      String microversion,
      String type,
      byte[] body,
      String padding)
      throws IOException, InterruptedException {
    String base = options.url().toString().replaceAll("/$", "");
    URI uri;
    try {
      uri = URI.create(base + path);
    } catch (IllegalArgumentException e) {
      // What java.net.URI refuses (a space, a brace, a bare %zz) goes out percent-encoded.
      uri = URI.create(base + escape(path));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      request.header("X-Auth-Token", token);
    }
    if (microversion != null) {
      request.header("OpenStack-API-Version", microversion);
    }
    if (type != null) {
      request.header("Content-Type", type);
    }
    if (padding != null) {
      request.header("X-Padding", padding);
    }
    HttpResponse<byte[]> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
  }
}
