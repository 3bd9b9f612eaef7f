package io.ember.model.image;

import io.ember.model.contract.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

  /** Reads every record: a directory store holds a handful of images. */
  @Override
  public List<Image> findByName(String name) {
    List<Image> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        String id = file.getFileName().toString().replaceFirst("\\.json$", "");
        show(id).filter(image -> name.equals(image.name())).ifPresent(found::add);
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new ImageStoreException("listing images failed: " + e.getMessage(), e);
    }
    return found;
  }

  @Override
  public InputStream download(String imageId) throws IOException {
    if (!safe(imageId)) {
      throw new NoSuchFileException(imageId);
    }
    return Files.newInputStream(directory.resolve(imageId + ".data"));
  }

  @Override
  public Image create(NewImage image) {
    String id = UUID.randomUUID().toString();
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("updated_at", now().toString());
    Image record =
        new Image(
            id,
            image.name(),
            "queued",
            null,
            null,
            image.diskFormat(),
            image.containerFormat(),
            image.minDisk(),
            0,
            null,
            image.visibility(),
            image.isProtected(),
            image.owner(),
            now(),
            properties);
    try {
      Files.createDirectories(directory);
      write(record);
    } catch (IOException e) {
      throw new ImageStoreException("creating image " + id + " failed: " + e.getMessage(), e);
    }
    return record;
  }

  @Override
  public void upload(String imageId, InputStream data) throws IOException {
    Image record = show(imageId).orElseThrow(() -> new NoSuchFileException("image " + imageId));
    Path target = directory.resolve(imageId + ".data");
    Path partial = directory.resolve(imageId + ".data.partial");
    // Glance's legacy checksum only: a second digest (os_hash_value) doubled the time of a GiB.
    MessageDigest md5 = digest("MD5");
    try (InputStream in = new DigestInputStream(data, md5);
        SparseOutput out = new SparseOutput(partial)) {
      in.transferTo(out);
    }
    long size = Files.size(partial);
    // The bytes are in place before the record says active: a reader never sees an active image
    // without its data.
    Files.move(
        partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Map<String, Object> properties = new LinkedHashMap<>(record.properties());
    properties.put("updated_at", now().toString());
    write(
        new Image(
            record.id(),
            record.name(),
            "active",
            size,
            record.virtualSize(),
            record.diskFormat(),
            record.containerFormat(),
            record.minDisk(),
            record.minRam(),
            HexFormat.of().formatHex(md5.digest()),
            record.visibility(),
            record.isProtected(),
            record.owner(),
            record.createdAt(),
            properties));
  }

  @Override
  public void delete(String imageId) {
    if (!safe(imageId)) {
      return;
    }
    try {
      Files.deleteIfExists(directory.resolve(imageId + ".json"));
      Files.deleteIfExists(directory.resolve(imageId + ".data.partial"));
      Files.deleteIfExists(directory.resolve(imageId + ".data"));
    } catch (IOException e) {
      throw new ImageStoreException("deleting image " + imageId + " failed: " + e.getMessage(), e);
    }
  }

  /** The record, replaced whole (written aside and moved), so a reader never sees half of it. */
  private void write(Image record) throws IOException {
    Path json = directory.resolve(record.id() + ".json");
    Path partial = directory.resolve(record.id() + ".json.partial");
    Files.writeString(partial, Json.write(record));
    Files.move(partial, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JRE", e);
    }
  }

  private static boolean safe(String imageId) {
    return imageId != null && SAFE_ID.matcher(imageId).matches();
  }
}
