package io.ember.model.image;

import io.ember.model.contract.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Images kept in a directory: {@code <id>.json} holds the record as Glance v2 shows it, {@code
 * <id>.data} the bytes. Used where no Glance is configured, as in the local stack and the tests.
 */
public class DirectoryImageStore implements ImageService {

  /** An id is a name in the directory: nothing that could leave it. */
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

  private final Path directory;

  public DirectoryImageStore(Path directory) {
    this.directory = directory;
  }

  @Override
  public Optional<Image> show(String imageId) {
    if (!safe(imageId)) {
      return Optional.empty();
    }
    try {
      String json = Files.readString(directory.resolve(imageId + ".json"));
      return Optional.of(Json.read(json, Image.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ImageStoreException("reading image " + imageId + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public InputStream download(String imageId) throws IOException {
    if (!safe(imageId)) {
      throw new NoSuchFileException(imageId);
    }
    return Files.newInputStream(directory.resolve(imageId + ".data"));
  }

  private static boolean safe(String imageId) {
    return imageId != null && SAFE_ID.matcher(imageId).matches();
  }
}
