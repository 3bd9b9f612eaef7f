package io.ember.model.contract;

import java.time.Instant;

/**
 * A service's periodic sign of life (Cinder's {@code report_state}), for services that publish no
 * capability reports: volume hosts' reports are their heartbeats.
 *
 * @param binary Cinder's binary name ({@code cinder-scheduler})
 * @param host the host the service runs on
 * @param availabilityZone the zone the service is in
 * @param reportedAt when the service sent it, by its own clock
 */
public record ServiceHeartbeat(
    String binary, String host, String availabilityZone, Instant reportedAt) {}
