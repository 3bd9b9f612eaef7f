package io.ember.model.contract;

import java.util.Map;

/**
 * A volume host's answer to {@link ConnectVolume}: Cinder's {@code connection_info}.
 *
 * @param driverVolumeType how the volume is reached ({@code iscsi}, ...)
 * @param data what the connector needs, with {@code access_mode}, {@code qos_specs}, {@code
 *     encrypted} and {@code cacheable} as Cinder's manager adds them
 */
public record ConnectionInfo(String driverVolumeType, Map<String, Object> data) {}
