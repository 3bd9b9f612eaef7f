package io.ember.volume.manager;

import io.ember.model.HostAddress;
import io.ember.model.contract.ContractException;

/** The check every command about a placed volume starts with: its pool is one of this host's. */
final class OwnPool {

  private OwnPool() {}

  /**
   * @throws ContractException when {@code pool} is missing or another host's: the command can never
   *     succeed here and is dead-lettered
   */
  static HostAddress of(String pool, String host) {
    HostAddress address = pool == null ? null : HostAddress.parse(pool);
    if (address == null || !address.backendHost().equals(host)) {
      throw new ContractException("pool " + pool + " is not a pool of " + host);
    }
    return address;
  }

  static void require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new ContractException(what);
    }
  }

  /** A failure's message fit for the result event. */
  static String reason(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
