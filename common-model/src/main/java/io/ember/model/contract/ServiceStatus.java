package io.ember.model.contract;

import java.time.Instant;

/**
 * Whether a service takes new work: an admin's {@code os-services} disable or enable. The api owns
 * it and sends it through the outbox; the scheduler skips a disabled volume host's pools.
 *
 * @param disabledReason the admin's reason, or null
 * @param updatedAt when the admin changed it
 */
public record ServiceStatus(
    String binary, String host, boolean disabled, String disabledReason, Instant updatedAt) {}
