package io.ember.model.contract;

/**
 * api → scheduler: may the volume take its new type where it is ({@code retype} of Cinder's
 * scheduler rpcapi)? {@code volume} carries the new type's id and extra specs and the volume's
 * zone; {@code pool} is where the volume lives.
 *
 * @param migrationPolicy {@code never} or {@code on-demand}
 * @param previousStatus the status the volume goes back to when the retype cannot be done
 * @param encryptionChanges whether the old and the new type differ in encryption (no driver can
 *     change that in place)
 */
public record ScheduleRetype(
    VolumeSpec volume,
    String pool,
    String migrationPolicy,
    String previousStatus,
    boolean encryptionChanges) {}
