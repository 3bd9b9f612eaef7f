package io.ember.model.image;

import io.ember.model.config.SharedConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;

/** The service's {@link ImageService}: the directory store unless a Glance is configured. */
@ApplicationScoped
public class ImageServiceProducer {

  @Produces
  @ApplicationScoped
  ImageService imageService(SharedConfig config) {
    return new DirectoryImageStore(Path.of(config.image().directory()));
  }
}
