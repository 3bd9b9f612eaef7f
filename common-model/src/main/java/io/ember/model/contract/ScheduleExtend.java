package io.ember.model.contract;

/**
 * api → scheduler: may the volume's own pool hold it at {@code newSize} GiB ({@code extend_volume}
 * of Cinder's scheduler rpcapi)? {@code volume} is the volume as it is, its current size included;
 * {@code pool} is where it lives.
 *
 * @param previousStatus the status the volume goes back to when the pool has no room
 */
public record ScheduleExtend(VolumeSpec volume, String pool, int newSize, String previousStatus) {}
