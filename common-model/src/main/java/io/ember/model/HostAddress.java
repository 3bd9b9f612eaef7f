package io.ember.model;

import java.util.Objects;

/**
 * Cinder's backend address {@code host@backend#pool}. The backend part and the pool part are
 * optional when parsing, as in Cinder's {@code extract_host}.
 */
public record HostAddress(String host, String backend, String pool) {

  public HostAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
  }

  public static HostAddress parse(String value) {
    Objects.requireNonNull(value, "host address");
    String pool = null;
    int hash = value.indexOf('#');
    String rest = value;
    if (hash >= 0) {
      pool = emptyToNull(value.substring(hash + 1));
      rest = value.substring(0, hash);
    }
    String backend = null;
    int at = rest.indexOf('@');
    String host = rest;
    if (at >= 0) {
      backend = emptyToNull(rest.substring(at + 1));
      host = rest.substring(0, at);
    }
    return new HostAddress(host, backend, pool);
  }

  /** {@code host@backend}: the address of one volume-service process. */
  public String backendHost() {
    return backend == null ? host : host + "@" + backend;
  }

  public HostAddress withPool(String newPool) {
    return new HostAddress(host, backend, newPool);
  }

  @Override
  public String toString() {
    return pool == null ? backendHost() : backendHost() + "#" + pool;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
