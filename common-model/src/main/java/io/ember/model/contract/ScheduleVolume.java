package io.ember.model.contract;

/** Place a volume: sent by the API on create and by a volume host on reschedule. */
public record ScheduleVolume(VolumeSpec volume, Retry retry) {}
