package io.ember.model.contract;

/** api → the volume's host: grow a volume to {@code newSize} GiB ({@code extend_volume}). */
public record ExtendVolume(
    String volumeId, String projectId, String pool, int oldSize, int newSize) {}
