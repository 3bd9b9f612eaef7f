package io.ember.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCacheTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static KeystoneToken token(String user, Instant expires) {
    return new KeystoneToken(user, user, "default", "p1", "default", List.of("member"), expires);
  }

  @Test
  void aValidatedTokenIsFreshForTheCacheTimeThenStaleUntilItExpires() {
    TokenCache cache = new TokenCache(10, Duration.ofSeconds(300));
    cache.put("tok", token("u", T0.plusSeconds(3600)), T0);

    TokenCache.Lookup fresh = cache.get("tok", T0.plusSeconds(299));
    assertTrue(fresh.fresh());
    assertEquals("u", fresh.token().userId());

    TokenCache.Lookup stale = cache.get("tok", T0.plusSeconds(300));
    assertTrue(stale.stale(), "past the cache time Keystone is asked again");
    assertNotNull(cache.get("tok", T0.plusSeconds(3599)));

    assertNull(cache.get("tok", T0.plusSeconds(3600)), "never past the token's expiry");
    assertEquals(0, cache.size(), "an expired entry is dropped");
  }

  @Test
  void aTokenExpiringBeforeTheCacheTimeIsGoneAtItsExpiry() {
    TokenCache cache = new TokenCache(10, Duration.ofSeconds(300));
    cache.put("tok", token("u", T0.plusSeconds(60)), T0);
    assertTrue(cache.get("tok", T0.plusSeconds(59)).fresh());
    assertNull(cache.get("tok", T0.plusSeconds(60)));
  }

  @Test
  void anExpiredTokenIsNotCached() {
    TokenCache cache = new TokenCache(10, Duration.ofSeconds(300));
    cache.put("tok", token("u", T0), T0);
    assertNull(cache.get("tok", T0));
    assertEquals(0, cache.size());
  }

  @Test
  void whenFullTheLeastRecentlyUsedGoesFirst() {
    TokenCache cache = new TokenCache(2, Duration.ofSeconds(300));
    Instant exp = T0.plusSeconds(3600);
    cache.put("a", token("a", exp), T0);
    cache.put("b", token("b", exp), T0);
    assertNotNull(cache.get("a", T0)); // a is now the most recently used
    cache.put("c", token("c", exp), T0);

    assertEquals(2, cache.size());
    assertNotNull(cache.get("a", T0));
    assertNull(cache.get("b", T0));
    assertNotNull(cache.get("c", T0));
  }

  @Test
  void aRefusedTokenIsRememberedForTheCacheTimeThenForgotten() {
    TokenCache cache = new TokenCache(10, Duration.ofSeconds(300));
    cache.put("tok", token("u", T0.plusSeconds(3600)), T0);
    assertNull(cache.get("tok2", T0), "another token is a miss");

    cache.refuse("tok", T0.plusSeconds(10)); // revoked since
    TokenCache.Lookup refused = cache.get("tok", T0.plusSeconds(309));
    assertTrue(refused.refused());
    assertTrue(refused.fresh());
    assertNull(cache.get("tok", T0.plusSeconds(310)), "asked again after the cache time");
    assertFalse(cache.size() > 0);
  }
}
