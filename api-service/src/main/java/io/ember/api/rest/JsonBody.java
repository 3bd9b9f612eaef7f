package io.ember.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ember.api.fault.CinderFault;

/** Request bodies are parsed here, so malformed JSON is Cinder's 400, not a framework error. */
final class JsonBody {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonBody() {}

  static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      throw CinderFault.badRequest("Malformed request body");
    }
    try {
      return MAPPER.readTree(body);
    } catch (Exception e) {
      throw CinderFault.badRequest("Malformed request body");
    }
  }
}
