package io.ember.model.image;

import io.ember.model.config.SharedConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;

/**
 * The service's {@link ImageService}: Glance when {@code ember.image.glance-url} is set, otherwise
 * the directory store.
 */
@ApplicationScoped
public class ImageServiceProducer {

  @Produces
  @ApplicationScoped
  ImageService imageService(SharedConfig config) {
    SharedConfig.Image image = config.image();
    if (image.glanceUrl().isPresent()) {
      return new GlanceImageService(
          image.glanceUrl().get(), image.glanceToken().orElse(null), image.glanceTimeout());
    }
    return new DirectoryImageStore(Path.of(image.directory()));
  }
}
