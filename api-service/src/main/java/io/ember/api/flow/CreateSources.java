package io.ember.api.flow;

import io.ember.model.RequestContext;
import io.ember.model.image.Image;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the create flow reads of a new volume's source: a snapshot or a volume the caller may see,
 * and an image. Each lookup answers null (or empty) when there is none the caller may use.
 */
public interface CreateSources {

  /** What a volume lends to one made from it, or from one of its snapshots. */
  record SourceVolume(
      UUID id,
      String status,
      int size,
      UUID volumeTypeId,
      String availabilityZone,
      String host,
      boolean bootable,
      UUID encryptionKeyId) {}

  /** A snapshot and the volume it was taken of. */
  record SourceSnapshot(
      UUID id, String status, int volumeSize, UUID volumeTypeId, SourceVolume volume) {}

  SourceSnapshot snapshot(UUID id, RequestContext caller);

  SourceVolume volume(UUID id, RequestContext caller);

  Optional<Image> image(String id);

  /** The images named exactly {@code name}. */
  List<Image> imagesNamed(String name);

  /** No snapshots, no volumes, no images: every source is unknown. */
  CreateSources NONE =
      new CreateSources() {
        @Override
        public SourceSnapshot snapshot(UUID id, RequestContext caller) {
          return null;
        }

        @Override
        public SourceVolume volume(UUID id, RequestContext caller) {
          return null;
        }

        @Override
        public Optional<Image> image(String id) {
          return Optional.empty();
        }

        @Override
        public List<Image> imagesNamed(String name) {
          return List.of();
        }
      };
}
