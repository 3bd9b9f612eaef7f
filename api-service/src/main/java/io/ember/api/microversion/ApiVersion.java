package io.ember.api.microversion;

import io.ember.api.fault.CinderFault;

/** A Block Storage API microversion ({@code OpenStack-API-Version: volume 3.x}). */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

  public static final ApiVersion MIN = new ApiVersion(3, 0);

  /** The newest microversion Ember answers, as the Cinder release it is compatible with. */
  public static final ApiVersion MAX = new ApiVersion(3, 70);

  /**
   * Parses the header value; no header means 3.0.
   *
   * @throws CinderFault 406 for a version outside the supported range, 400 for garbage
   */
  public static ApiVersion fromHeader(String header) {
    if (header == null || header.isBlank()) {
      return MIN;
    }
    String value = header.trim();
    if (value.startsWith("volume")) {
      value = value.substring("volume".length()).trim();
    }
    if (value.equalsIgnoreCase("latest")) {
      return MAX;
    }
    String[] parts = value.split("\\.");
    ApiVersion requested;
    try {
      if (parts.length != 2) {
        throw new NumberFormatException(value);
      }
      requested = new ApiVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    } catch (NumberFormatException e) {
      throw CinderFault.badRequest(
          "API Version String "
              + value
              + " is of invalid format. Must be of format MajorNum.MinorNum.");
    }
    if (requested.compareTo(MIN) < 0 || requested.compareTo(MAX) > 0) {
      throw new CinderFault(
          406,
          "Version "
              + requested
              + " is not supported by the API. Minimum is "
              + MIN
              + " and maximum is "
              + MAX
              + ".");
    }
    return requested;
  }

  public boolean atLeast(int minorOfThree) {
    return major > 3 || (major == 3 && minor >= minorOfThree);
  }

  @Override
  public int compareTo(ApiVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
