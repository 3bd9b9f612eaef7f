package io.ember.api.qos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A JSON value as Python's {@code repr} writes it, for the messages of Cinder's JSON-schema
 * validation ({@code "Value: {'a': 1}. 1 is not of type 'string'"}).
 */
public final class PyRepr {

  private PyRepr() {}

  public static String of(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "None";
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? "True" : "False";
    }
    if (v.isNumber()) {
      return v.asText();
    }
    if (v.isTextual()) {
      return string(v.textValue());
    }
    StringBuilder s = new StringBuilder();
    if (v.isArray()) {
      s.append('[');
      for (int i = 0; i < v.size(); i++) {
        s.append(i == 0 ? "" : ", ").append(of(v.get(i)));
      }
      return s.append(']').toString();
    }
    s.append('{');
    Iterator<Map.Entry<String, JsonNode>> fields = v.properties().iterator();
    boolean first = true;
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      s.append(first ? "" : ", ").append(string(f.getKey())).append(": ").append(of(f.getValue()));
      first = false;
    }
    return s.append('}').toString();
  }

  /** Python's quoting: single quotes unless the text has one and no double quote. */
  public static String string(String text) {
    char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder s = new StringBuilder().append(quote);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        default -> {
          if (c == quote) {
            s.append('\\');
          }
          s.append(c);
        }
      }
    }
    return s.append(quote).toString();
  }

  /** jsonschema's type name list: {@code 'string', 'null'}. */
  public static String types(String... names) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      s.append(i == 0 ? "" : ", ").append('\'').append(names[i]).append('\'');
    }
    return s.toString();
  }
}
