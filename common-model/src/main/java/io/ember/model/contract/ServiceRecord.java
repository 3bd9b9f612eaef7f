package io.ember.model.contract;

/**
 * The Kafka keys of the compacted services topic. A service's heartbeat and its status are kept
 * under different keys, so compaction never lets one replace the other.
 */
public final class ServiceRecord {

  /** Cinder's binary names, which {@code os-services} shows. */
  public static final String VOLUME_BINARY = "cinder-volume";

  public static final String SCHEDULER_BINARY = "cinder-scheduler";

  private ServiceRecord() {}

  public static String key(MessageType type, String binary, String host) {
    return type.wire() + "|" + binary + "|" + host;
  }
}
