package io.ember.model.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a volume upload asks the image store to register (the body of Glance's {@code POST
 * /v2/images} as Cinder's {@code copy_volume_to_image} sends it).
 *
 * @param visibility Glance's {@code private}, {@code public}, {@code shared} or {@code community}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewImage(
    String name,
    @JsonProperty("disk_format") String diskFormat,
    @JsonProperty("container_format") String containerFormat,
    String visibility,
    @JsonProperty("protected") boolean isProtected,
    @JsonProperty("min_disk") int minDisk,
    String owner) {}
