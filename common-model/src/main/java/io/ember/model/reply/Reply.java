package io.ember.model.reply;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.Json;

/**
 * The payload of a {@code reply} message: the answer of a volume host to one call.
 *
 * @param correlationId the {@link ReplyAddress#correlationId} of the command answered
 * @param fault null when the command succeeded; else why not, in words the API may show its caller
 *     (as Cinder shows a remote error's message)
 * @param faultCode with a fault, the HTTP status the API should answer (400 for a refusal, 500 for
 *     a backend failure)
 * @param result with success, the command's result (a contract record), or null
 */
public record Reply(
    String correlationId,
    String fault,
    Integer faultCode,
    @JsonDeserialize(as = TokenBuffer.class) Object result) {

  public static Reply success(String correlationId, Object result) {
    return new Reply(correlationId, null, null, result);
  }

  public static Reply failure(String correlationId, String fault, int faultCode) {
    return new Reply(correlationId, fault, faultCode, null);
  }

  @JsonIgnore
  public boolean failed() {
    return fault != null;
  }

  /**
   * The result as its contract record (null when there is none); a failed reply throws its fault as
   * {@link ReplyFailedException}.
   */
  public <T> T resultAs(Class<T> contract) {
    if (failed()) {
      throw new ReplyFailedException(fault, faultCode == null ? 500 : faultCode);
    }
    if (result == null || contract.isInstance(result)) {
      return contract.cast(result);
    }
    try {
      if (result instanceof TokenBuffer tokens) {
        try (JsonParser parser = tokens.asParser(Json.MAPPER)) {
          return Json.MAPPER.readValue(parser, contract);
        }
      }
      return Json.MAPPER.convertValue(result, contract);
    } catch (Exception e) {
      throw new ContractException(
          "reply result does not match " + contract.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
