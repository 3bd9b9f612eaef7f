package io.ember.api.volume;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ember.api.fault.CinderFault;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dict a list filter such as {@code metadata} carries: Cinder reads it with Python's {@code
 * ast.literal_eval}, so both {@code {"k": "v"}} and {@code {'k': 'v'}} are taken.
 */
final class FilterValues {

  private static final ObjectMapper JSON = new ObjectMapper();

  private FilterValues() {}

  /** The pairs of a dict literal; anything else is Cinder's 400. */
  static Map<String, String> dict(String filter, String literal) {
    JsonNode node;
    try {
      node = JSON.readTree(pythonQuotesToJson(literal));
    } catch (JsonProcessingException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      throw CinderFault.invalidInput(
          "'" + filter + " = " + io.ember.api.fault.Echo.cap(literal) + "'");
    }
    Map<String, String> pairs = new LinkedHashMap<>();
    node.properties().forEach(e -> pairs.put(e.getKey(), e.getValue().asText()));
    return pairs;
  }

  /** The pair as the stored compact JSON holds it: {@code "key":"value"}. */
  static String jsonPair(Map.Entry<String, String> pair) {
    return TextNode.valueOf(pair.getKey()) + ":" + TextNode.valueOf(pair.getValue());
  }

  /** Single-quoted Python strings as JSON strings (a quote inside a string is kept as is). */
  private static String pythonQuotesToJson(String literal) {
    StringBuilder out = new StringBuilder(literal.length());
    char quote = 0;
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
        out.append('"');
      } else if (quote != 0 && c == '\\' && i + 1 < literal.length()) {
        out.append(c).append(literal.charAt(++i));
      } else if (quote != 0 && c == quote) {
        quote = 0;
        out.append('"');
      } else if (quote == '\'' && c == '"') {
        out.append("\\\"");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
