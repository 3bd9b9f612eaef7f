package io.ember.api.volume;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stores a volume's key/value metadata as one JSON text column. Most volumes have none: that case
 * skips Jackson, which matters because Hibernate also converts to the column and back to snapshot
 * every volume it loads for change.
 */
@Converter
public class MetadataConverter implements AttributeConverter<Map<String, String>, String> {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, String>> TYPE = new TypeReference<>() {};
  private static final String NONE = "{}";

  @Override
  public String convertToDatabaseColumn(Map<String, String> metadata) {
    if (metadata == null || metadata.isEmpty()) {
      return NONE;
    }
    try {
      return MAPPER.writeValueAsString(metadata);
    } catch (Exception e) {
      throw new IllegalArgumentException("metadata is not serialisable", e);
    }
  }

  @Override
  public Map<String, String> convertToEntityAttribute(String json) {
    if (json == null || NONE.equals(json)) {
      return new LinkedHashMap<>();
    }
    try {
      return MAPPER.readValue(json, TYPE);
    } catch (Exception e) {
      throw new IllegalStateException("stored metadata is not valid JSON", e);
    }
  }
}
