package io.ember.api.qos;

import java.time.LocalDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * One QoS spec as Cinder's {@code QualityOfServiceSpecs}: its consumer ({@code front-end}, {@code
 * back-end} or {@code both}) and its keys, ordered by key. A key's value may be null, as in Cinder.
 */
public record QosSpecs(
    UUID id,
    String name,
    String consumer,
    Map<String, String> specs,
    LocalDateTime createdAt,
    LocalDateTime updatedAt) {

  public static final String FRONT_END = "front-end";
  public static final String BACK_END = "back-end";
  public static final String BOTH = "both";
}
