package io.ember.api.volume;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Stores a volume's key/value metadata as one JSON text column. */
@Converter
public class MetadataConverter implements AttributeConverter<Map<String, String>, String> {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, String>> TYPE = new TypeReference<>() {};

  @Override
  public String convertToDatabaseColumn(Map<String, String> metadata) {
    try {
      return MAPPER.writeValueAsString(metadata == null ? Map.of() : metadata);
    } catch (Exception e) {
      throw new IllegalArgumentException("metadata is not serialisable", e);
    }
  }

  @Override
  public Map<String, String> convertToEntityAttribute(String json) {
    try {
      return json == null ? new LinkedHashMap<>() : MAPPER.readValue(json, TYPE);
    } catch (Exception e) {
      throw new IllegalStateException("stored metadata is not valid JSON", e);
    }
  }
}
