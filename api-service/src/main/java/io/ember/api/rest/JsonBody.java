package io.ember.api.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ember.api.fault.CinderFault;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Request bodies are parsed here, so malformed JSON is Cinder's 400, not a framework error. As
 * Cinder's {@code json.loads}, a body is one UTF-8 JSON document and nothing after it.
 */
final class JsonBody {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonBody() {}

  static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw CinderFault.badRequest("Malformed request body");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw CinderFault.badRequest("Malformed request body");
    }
    if (text.isBlank()) {
      throw CinderFault.badRequest("Malformed request body");
    }
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw CinderFault.badRequest("Malformed request body");
    }
  }
}
