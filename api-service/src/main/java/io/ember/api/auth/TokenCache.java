package io.ember.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validated tokens, least recently used dropped first when full. An entry is {@link Lookup#fresh}
 * for {@code cacheTime} after Keystone vouched for it (used without asking again), then {@link
 * Lookup#stale}: asked again, but still good if Keystone cannot be reached. No entry outlives its
 * token's expiry. Tokens Keystone refused are remembered for {@code cacheTime} too ({@link
 * Lookup#refused}), so a flood of bogus tokens is not a flood of calls to Keystone. Keys are
 * SHA-256 digests: the tokens themselves are not kept.
 */
public final class TokenCache {

  /**
   * A cache hit: the token (null: Keystone refused it), and whether it must be checked with
   * Keystone again.
   */
  public record Lookup(KeystoneToken token, boolean fresh) {
    public boolean stale() {
      return !fresh;
    }

    public boolean refused() {
      return token == null;
    }
  }

  private record Entry(KeystoneToken token, Instant checkedAt, Instant until) {}

  private final Duration cacheTime;
  private final LinkedHashMap<String, Entry> entries;

  public TokenCache(int maxEntries, Duration cacheTime) {
    this.cacheTime = cacheTime;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /** The token's entry, or null when none or the token has expired. */
  public synchronized Lookup get(String token, Instant now) {
    String key = key(token);
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (!now.isBefore(e.until())) {
      entries.remove(key);
      return null;
    }
    return new Lookup(e.token(), now.isBefore(e.checkedAt().plus(cacheTime)));
  }

  public synchronized void put(String token, KeystoneToken validated, Instant now) {
    if (now.isBefore(validated.expiresAt())) {
      entries.put(key(token), new Entry(validated, now, validated.expiresAt()));
    }
  }

  /** Keystone said the token is not (or no longer) valid: revoked, expired or unknown. */
  public synchronized void refuse(String token, Instant now) {
    entries.put(key(token), new Entry(null, now, now.plus(cacheTime)));
  }

  public synchronized int size() {
    return entries.size();
  }

  private static String key(String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
