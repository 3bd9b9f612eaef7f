package io.ember.volume.driver;

import java.util.Map;

/**
 * How a connector reaches a volume, as a driver's {@code initialize_connection} answers: the
 * transport ({@code iscsi}, ...) and what that transport needs (target, portal, lun ...). The
 * manager adds the attachment's {@code access_mode}, QoS and encryption to {@code data}.
 */
public record DriverConnection(String driverVolumeType, Map<String, Object> data) {}
