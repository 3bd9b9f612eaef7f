package io.ember.model.contract;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The back-end QoS of a volume's type, as Cinder's driver reads it with {@code
 * get_volume_type_qos_specs}: the spec's id, name, consumer ({@code back-end} or {@code both}) and
 * keys. Front-end-only specs are for the attach and never travel to the scheduler or host.
 */
public record QosSpecs(String id, String name, String consumer, Map<String, String> specs) {

  public QosSpecs {
    // A key's value may be null in Cinder: Map.copyOf would refuse it.
    specs = specs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(specs));
  }
}
