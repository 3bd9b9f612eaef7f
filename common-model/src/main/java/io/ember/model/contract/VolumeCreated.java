package io.ember.model.contract;

import java.time.Instant;
import java.util.Map;

/**
 * The backend holds the volume; it is ready to use.
 *
 * @param bootable whether the volume is bootable now (an image marked so, or a bootable source);
 *     null when the host did not decide, and the API keeps what it had
 * @param imageMetadata the image's properties the volume now carries (Cinder's {@code
 *     volume_image_metadata}); empty for a volume not made from an image
 */
public record VolumeCreated(
    String volumeId,
    String pool,
    String providerLocation,
    Instant launchedAt,
    Boolean bootable,
    Map<String, String> imageMetadata) {

  public VolumeCreated {
    imageMetadata = imageMetadata == null ? Map.of() : Map.copyOf(imageMetadata);
  }

  /** A volume whose bootable flag and image metadata the host did not touch. */
  public VolumeCreated(String volumeId, String pool, String providerLocation, Instant launchedAt) {
    this(volumeId, pool, providerLocation, launchedAt, null, null);
  }
}
