package io.ember.volume.manager;

import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverVolume;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The one-time data channels this host opens for its migration targets: a random token per target,
 * good for one upload within {@code ember.migration.channel-ttl}. The bytes come over HTTP, never
 * through Kafka; the token travels in the command to the source host only. Kept in memory: a
 * restart closes every channel, and the source's upload then fails the migration.
 */
@ApplicationScoped
public class MigrationChannels {

  /** The header carrying the token. */
  public static final String TOKEN_HEADER = "X-Ember-Migration-Token";

  /** The path the targets take their bytes at, under the data address. */
  public static final String PATH = "/migration-targets/";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** An open channel: the target volume it writes to, its token and when it closes. */
  public record Channel(DriverVolume target, String token, Instant closes) {}

  private final ConcurrentMap<String, Channel> open = new ConcurrentHashMap<>();

  @Inject VolumeHostConfig config;

  Clock clock = Clock.systemUTC();

  /** Opens the channel of {@code target}; returns its token. */
  public String open(DriverVolume target) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    open.put(
        target.id(),
        new Channel(target, token, clock.instant().plus(config.migration().channelTtl())));
    return token;
  }

  /**
   * Takes the channel of {@code targetId} if {@code token} is its own and it is still open: once.
   */
  public Optional<Channel> claim(String targetId, String token) {
    Channel channel = open.get(targetId);
    if (channel == null
        || token == null
        || !MessageDigest.isEqual(
            channel.token().getBytes(StandardCharsets.UTF_8),
            token.getBytes(StandardCharsets.UTF_8))
        || !open.remove(targetId, channel)) {
      return Optional.empty();
    }
    return channel.closes().isAfter(clock.instant()) ? Optional.of(channel) : Optional.empty();
  }

  /** Closes a channel not used (its target is being deleted). */
  public void close(String targetId) {
    open.remove(targetId);
  }

  /** Where the source sends the bytes of {@code targetId}. */
  public String url(String targetId) {
    String base = config.migration().dataAddress().orElseGet(() -> "http://127.0.0.1:" + ownPort());
    return base + PATH + targetId;
  }

  /** This process's HTTP port (a test's random one once it is bound). */
  private static int ownPort() {
    String key =
        LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
    return ConfigProvider.getConfig().getOptionalValue(key, Integer.class).orElse(8080);
  }
}
