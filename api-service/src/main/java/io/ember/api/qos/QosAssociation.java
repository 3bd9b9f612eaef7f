package io.ember.api.qos;

import java.util.UUID;

/** A volume type a QoS spec is associated with, as Cinder's {@code get_associations} lists it. */
public record QosAssociation(UUID id, String name) {}
