package io.ember.model.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where images come from (Cinder's {@code image/glance.py}): a Glance v2 endpoint when one is
 * configured, otherwise a directory on the machine. Bytes are streamed, never read whole.
 */
public interface ImageService {

  /** The image's record, or empty when there is no such image. */
  Optional<Image> show(String imageId);

  /**
   * The images named exactly {@code name} (Glance's {@code GET /v2/images?name=}), in no particular
   * order; empty when none is.
   */
  List<Image> findByName(String name);

  /**
   * The image's bytes, from the first; the caller closes the stream.
   *
   * @throws IOException when the image has no data or it cannot be read
   */
  InputStream download(String imageId) throws IOException;

  /**
   * Registers a new image without data, {@code queued} (Glance's {@code POST /v2/images}), as a
   * volume upload begins.
   *
   * @throws ImageStoreException when the store refuses or cannot be reached
   */
  Image create(NewImage image);

  /**
   * Stores the image's bytes, read to the end of {@code data}, and makes it {@code active}
   * (Glance's {@code PUT /v2/images/{id}/file}).
   *
   * @throws IOException when the bytes cannot be stored
   */
  void upload(String imageId, InputStream data) throws IOException;

  /** Removes the image, record and bytes; a missing image is no error. */
  void delete(String imageId);
}
