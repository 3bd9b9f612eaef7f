package io.ember.model.contract;

import java.util.Map;

/**
 * api → volume host, a call ({@code reply/}): open a connection to a volume for a connector,
 * Cinder's {@code attachment_update} (an attachment of the new API) or {@code
 * initialize_connection} (the legacy action, {@code attachmentId} null). The reply's result is a
 * {@link ConnectionInfo}.
 *
 * @param connector the host's connector as os-brick reports it (initiator, ip, host, ...)
 * @param mode {@code rw} or {@code ro}: the connection's {@code access_mode}
 * @param qosSpecs the front-end QoS specs of the volume's type (null when none), which the answer
 *     carries for the hypervisor to apply
 */
public record ConnectVolume(
    String volumeId,
    String projectId,
    String pool,
    String attachmentId,
    Map<String, Object> connector,
    String mode,
    Map<String, String> qosSpecs,
    boolean encrypted) {}
