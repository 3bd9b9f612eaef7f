package io.ember.api.service;

import io.ember.api.config.ApiConfig;
import io.ember.api.fault.CinderFault;
import io.ember.api.outbound.ServiceStatusMessages;
import io.ember.model.RequestContext;
import io.ember.model.contract.ServiceRecord;
import io.ember.model.contract.ServiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cinder's {@code os-services} and availability zones: the services heard of (liveness from their
 * heartbeats), each with the status an admin set, which this API answers from its own table and
 * sends on to the scheduler.
 */
@ApplicationScoped
public class ServiceAdmin {

  /** One service as {@code os-services} shows it. */
  public record ServiceInfo(
      String binary,
      String host,
      String zone,
      boolean disabled,
      boolean up,
      Instant updatedAt,
      String disabledReason) {}

  /** One zone: available unless every volume host in it is disabled (as Cinder). */
  public record Zone(String name, boolean available) {}

  @Inject ServiceDirectory directory;
  @Inject ServiceStatusRows rows;
  @Inject ServiceStatusMessages messages;
  @Inject ApiConfig config;

  Clock clock = Clock.systemUTC();

  public List<ServiceInfo> list(Optional<String> host, Optional<String> binary) {
    Map<String, ServiceStatusRows.Row> statuses = rows.all();
    Instant now = clock.instant();
    Duration downTime = config.serviceDownTime();
    List<ServiceInfo> out = new ArrayList<>();
    for (ServiceDirectory.Heard s : directory.services()) {
      if (host.isPresent() && !hostMatches(host.get(), s.host())
          || binary.isPresent() && !binary.get().equals(s.binary())) {
        continue;
      }
      ServiceStatusRows.Row status = statuses.get(ServiceStatusRows.key(s.binary(), s.host()));
      boolean up =
          s.lastSeen() != null
              && Duration.between(s.lastSeen(), now).abs().compareTo(downTime) <= 0;
      // As Cinder: updated_at is the later of the last heartbeat and the last status change.
      Instant updated = s.lastSeen();
      if (status != null && (updated == null || status.updatedAt().isAfter(updated))) {
        updated = status.updatedAt();
      }
      out.add(
          new ServiceInfo(
              s.binary(),
              s.host(),
              s.zone(),
              status != null && status.disabled(),
              up,
              updated,
              status == null ? null : status.disabledReason()));
    }
    return out;
  }

  /**
   * Cinder's host filter: a pool ({@code h@b#p}) matches exactly, a backend ({@code h@b}) itself or
   * its pools, a bare host itself, its backends and its pools; so {@code ?host=node1} finds {@code
   * node1@fake}.
   */
  static boolean hostMatches(String filter, String host) {
    if (host == null || filter.isEmpty()) {
      return filter.equals(host);
    }
    if (host.equals(filter)) {
      return true;
    }
    if (filter.contains("#")) {
      return false;
    }
    return host.startsWith(filter + "#") || !filter.contains("@") && host.startsWith(filter + "@");
  }

  /**
   * Sets a known service's status, records it and casts it to the scheduler in one transaction.
   *
   * @param newReason whether {@code disabledReason} replaces the recorded reason: only {@code
   *     disable-log-reason} sets one; {@code disable} and {@code enable} leave it as it was, as
   *     Cinder 21 does
   */
  @Transactional
  public ServiceStatus setStatus(
      String host,
      String binary,
      boolean disabled,
      String disabledReason,
      boolean newReason,
      RequestContext caller) {
    if (directory.find(binary, host).isEmpty()) {
      throw CinderFault.notFound("Service " + binary + " could not be found on host " + host + ".");
    }
    String reason = disabledReason;
    if (!newReason) {
      ServiceStatusRows.Row held = rows.all().get(ServiceStatusRows.key(binary, host));
      reason = held == null ? null : held.disabledReason();
    }
    ServiceStatus status = new ServiceStatus(binary, host, disabled, reason, clock.instant());
    rows.put(
        new ServiceStatusRows.Row(
            binary, host, disabled, status.disabledReason(), status.updatedAt()));
    messages.send(status, caller);
    return status;
  }

  /** The zones the volume hosts report, in the order first heard. */
  public List<Zone> zones() {
    Map<String, ServiceStatusRows.Row> statuses = rows.all();
    Map<String, Boolean> allDisabled = new java.util.LinkedHashMap<>();
    for (ServiceDirectory.Heard s : directory.services()) {
      if (!ServiceRecord.VOLUME_BINARY.equals(s.binary()) || s.zone() == null) {
        continue;
      }
      ServiceStatusRows.Row status = statuses.get(ServiceStatusRows.key(s.binary(), s.host()));
      boolean disabled = status != null && status.disabled();
      allDisabled.merge(s.zone(), disabled, Boolean::logicalAnd);
    }
    List<Zone> zones = new ArrayList<>();
    allDisabled.forEach((name, disabled) -> zones.add(new Zone(name, !disabled)));
    return zones;
  }
}
