package io.ember.model.contract;

/**
 * volume host → api: the upload failed; the host deleted the unfinished image. The volume goes back
 * to the status it had before {@code uploading}.
 */
public record VolumeUploadFailed(String volumeId, String imageId, String reason) {}
