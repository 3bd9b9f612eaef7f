package io.ember.api.transfer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A transfer's secrets as Cinder makes them ({@code transfer/api.py}): a salt of 8 and an auth key
 * of 16 hexadecimal characters (what a receiver can type), and the key's HMAC-SHA1 under the salt,
 * in hex, as the only thing stored.
 */
final class TransferKeys {

  static final int SALT_LENGTH = 8;
  static final int KEY_LENGTH = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private TransferKeys() {}

  /** {@code length} random hexadecimal characters. */
  static String random(int length) {
    byte[] bytes = new byte[(length + 1) / 2];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes).substring(0, length);
  }

  /** The stored form of {@code authKey}: HMAC-SHA1 keyed by the salt, in lower-case hex. */
  static String hash(String salt, String authKey) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return HexFormat.of().formatHex(mac.doFinal(authKey.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
    }
  }

  /** Whether {@code authKey} is the transfer's, compared in constant time. */
  static boolean matches(Transfer transfer, String authKey) {
    byte[] given = hash(transfer.salt, authKey).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(given, transfer.cryptHash.getBytes(StandardCharsets.US_ASCII));
  }
}
