package io.ember.model;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Kafka topic names. Every name hangs off one prefix ({@code ember} in production) so that a test
 * run can use its own set of topics on a shared broker.
 */
public record Topics(String prefix) {

  private static final Pattern NOT_IN_A_TOPIC_NAME = Pattern.compile("[^A-Za-z0-9._-]");

  public static final Topics DEFAULT = new Topics("ember");

  public String schedulerRequests() {
    return prefix + ".scheduler.requests";
  }

  public String volumeEvents() {
    return prefix + ".volume.events";
  }

  public String capabilities() {
    return prefix + ".capabilities";
  }

  public String notifications() {
    return prefix + ".notifications";
  }

  /**
   * Compacted: the scheduler's heartbeat and each service's enabled/disabled status, keyed by
   * {@link io.ember.model.contract.ServiceRecord#key}.
   */
  public String services() {
    return prefix + ".services";
  }

  public String deadLetter() {
    return prefix + ".dead-letter";
  }

  /** The topics every service of the deployment uses; each service makes sure they exist. */
  public Set<String> shared() {
    return Set.of(
        schedulerRequests(),
        volumeEvents(),
        notifications(),
        capabilities(),
        services(),
        deadLetter());
  }

  /**
   * Of those, the ones kept compacted (the latest capability report per pool, the latest heartbeat
   * and status per service).
   */
  public Set<String> compacted() {
    return Set.of(capabilities(), services());
  }

  /**
   * The reply topic of one process (request-reply): named for its stable instance id, so replicas
   * never read each other's replies. Not among {@link #shared}: it is created by the process that
   * reads it.
   */
  public String replies(String instanceId) {
    return prefix + ".reply." + NOT_IN_A_TOPIC_NAME.matcher(instanceId).replaceAll("_");
  }

  /**
   * The command topic of one volume-service process. Kafka topic names may not contain {@code @},
   * so {@code node1@fake} becomes {@code <prefix>.volume.node1.fake}.
   */
  public String volumeHost(String backendHost) {
    HostAddress address = HostAddress.parse(backendHost);
    String name =
        address.backend() == null ? address.host() : address.host() + "." + address.backend();
    return prefix + ".volume." + NOT_IN_A_TOPIC_NAME.matcher(name).replaceAll("_");
  }
}
