package io.ember.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ember.api.config.ApiConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Validates tokens with Keystone as keystonemiddleware's auth_token does: {@code GET
 * /v3/auth/tokens} with the token in {@code X-Subject-Token}, authenticated by this service's own
 * token (obtained by password, renewed before it expires). Every call is asynchronous (the JDK
 * client's own threads): the HTTP filter that waits for it never blocks the event loop.
 */
@ApplicationScoped
public class KeystoneTokens {

  private static final Logger LOG = Logger.getLogger(KeystoneTokens.class);

  /** A service token this close to its expiry is replaced before use. */
  private static final Duration RENEW_BEFORE = Duration.ofMinutes(2);

  /** What Keystone said about a token. */
  public sealed interface Outcome permits Valid, Invalid, Unavailable {}

  public record Valid(KeystoneToken token) implements Outcome {}

  /** Unknown, malformed, expired or revoked. */
  public record Invalid(String reason) implements Outcome {}

  /** Keystone could not be asked (down, timing out, failing, refusing Ember's credentials). */
  public record Unavailable(String reason) implements Outcome {}

  private record ServiceToken(String id, Instant expiresAt) {}

  @Inject ApiConfig config;

  private final ObjectMapper json = new ObjectMapper();
  private HttpClient http;
  private TokenCache cache;
  private String base;
  private Duration timeout;
  private Duration cacheTime;
  Supplier<Instant> clock = Instant::now;
  private CompletableFuture<ServiceToken> serviceToken;

  @PostConstruct
  void init() {
    ApiConfig.Keystone k = config.auth().keystone();
    timeout = k.timeout();
    base = k.url().replaceAll("/+$", "");
    cacheTime = k.cacheTime();
    cache = new TokenCache(k.cacheSize(), cacheTime);
    // HTTP/1.1: the default (2) sends an h2c upgrade that Keystone's WSGI servers do not want.
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  /**
   * Validates {@code token}; {@code allowExpired} (vouched for by a service token) accepts one past
   * its expiry, as Keystone's {@code allow_expired} does.
   */
  public CompletableFuture<Outcome> validate(String token, boolean allowExpired) {
    TokenCache.Lookup cached = allowExpired ? null : cache.get(token, clock.get());
    if (cached != null && cached.fresh()) {
      return CompletableFuture.completedFuture(
          cached.refused()
              ? new Invalid("refused by Keystone in the last " + cacheTime)
              : new Valid(cached.token()));
    }
    return ask(token, allowExpired, true)
        .handle(
            (outcome, failure) -> {
              if (failure != null) {
                outcome = unavailable(failure);
              }
              if (outcome instanceof Valid v && !allowExpired) {
                cache.put(token, v.token(), clock.get());
              } else if (outcome instanceof Invalid && !allowExpired) {
                cache.refuse(token, clock.get());
              } else if (outcome instanceof Unavailable u && cached != null && !cached.refused()) {
                // Keystone is down: a token it vouched for earlier stays good until it expires.
                LOG.warnf("Keystone unavailable (%s): using the cached validation", u.reason());
                return new Valid(cached.token());
              }
              return outcome;
            });
  }

  int cached() {
    return cache.size();
  }

  private CompletableFuture<Outcome> ask(String token, boolean allowExpired, boolean retry) {
    return serviceToken()
        .thenCompose(
            service -> {
              HttpRequest request =
                  HttpRequest.newBuilder(
                          URI.create(
                              base + "/auth/tokens" + (allowExpired ? "?allow_expired=1" : "")))
                      .timeout(timeout)
                      .header("X-Auth-Token", service.id())
                      .header("X-Subject-Token", token)
                      .header("Accept", "application/json")
                      .GET()
                      .build();
              return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                  .thenCompose(
                      response -> {
                        int status = response.statusCode();
                        if (status == 200) {
                          return done(new Valid(KeystoneToken.fromJson(read(response.body()))));
                        }
                        if (status == 404 || status == 400) {
                          return done(new Invalid("Keystone answered " + status));
                        }
                        if (status == 401) {
                          // Our own token is no longer good (revoked, Keystone's keys rotated):
                          // once more with a new one; if that fails too, the next request tries.
                          dropServiceToken(service);
                          if (retry) {
                            return ask(token, allowExpired, false);
                          }
                        }
                        return done(
                            new Unavailable(
                                "Keystone answered " + status + " to the token validation"));
                      });
            });
  }

  private synchronized CompletableFuture<ServiceToken> serviceToken() {
    CompletableFuture<ServiceToken> current = serviceToken;
    if (current != null && !current.isDone()) {
      return current;
    }
    if (current != null && !current.isCompletedExceptionally()) {
      ServiceToken t = current.join();
      if (clock.get().plus(RENEW_BEFORE).isBefore(t.expiresAt())) {
        return current;
      }
    }
    serviceToken = fetchServiceToken();
    return serviceToken;
  }

  private synchronized void dropServiceToken(ServiceToken stale) {
    if (serviceToken != null
        && serviceToken.isDone()
        && !serviceToken.isCompletedExceptionally()
        && serviceToken.join() == stale) {
      serviceToken = null;
    }
  }

  private CompletableFuture<ServiceToken> fetchServiceToken() {
    ApiConfig.Keystone k = config.auth().keystone();
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("name", k.username());
    user.put("domain", Map.of("id", k.userDomainId()));
    user.put("password", k.password().orElse(""));
    Map<String, Object> auth =
        Map.of(
            "auth",
            Map.of(
                "identity",
                    Map.of("methods", List.of("password"), "password", Map.of("user", user)),
                "scope",
                    Map.of(
                        "project",
                        Map.of(
                            "name",
                            k.projectName(),
                            "domain",
                            Map.of("id", k.projectDomainId())))));
    String body;
    try {
      body = json.writeValueAsString(auth);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/auth/tokens"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              String id = response.headers().firstValue("X-Subject-Token").orElse(null);
              if (response.statusCode() != 201 || id == null) {
                throw new IllegalStateException(
                    "Keystone refused the service user "
                        + k.username()
                        + " (HTTP "
                        + response.statusCode()
                        + ")");
              }
              Instant expires =
                  Instant.parse(read(response.body()).path("token").path("expires_at").asText());
              LOG.infof("service token for %s obtained, expires %s", k.username(), expires);
              return new ServiceToken(id, expires);
            });
  }

  private JsonNode read(String body) {
    try {
      return json.readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException("Keystone sent a body that is not JSON", e);
    }
  }

  private static CompletableFuture<Outcome> done(Outcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }

  private static Unavailable unavailable(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    String reason =
        cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    return new Unavailable(reason);
  }
}
