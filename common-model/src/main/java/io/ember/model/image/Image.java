package io.ember.model.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An image as Glance v2 describes it ({@code GET /v2/images/{id}}): its fixed fields, and every
 * other key as a property (Glance's custom properties, such as {@code bootable}).
 *
 * @param size bytes of the stored image; null before upload
 * @param minDisk GiB a volume made from it needs at least
 */
public record Image(
    String id,
    String name,
    String status,
    Long size,
    @JsonProperty("virtual_size") Long virtualSize,
    @JsonProperty("disk_format") String diskFormat,
    @JsonProperty("container_format") String containerFormat,
    @JsonProperty("min_disk") int minDisk,
    @JsonProperty("min_ram") int minRam,
    String checksum,
    String visibility,
    @JsonProperty("protected") boolean isProtected,
    String owner,
    @JsonProperty("created_at") Instant createdAt,
    @JsonAnyGetter Map<String, Object> properties) {

  public Image {
    properties = properties == null ? new LinkedHashMap<>() : new LinkedHashMap<>(properties);
  }

  /** Glance's custom properties land here when the record is read from JSON. */
  @JsonAnySetter
  void property(String key, Object value) {
    properties.put(key, value);
  }

  public boolean active() {
    return "active".equals(status);
  }
}
