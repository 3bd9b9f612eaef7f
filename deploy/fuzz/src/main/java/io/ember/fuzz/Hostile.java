package io.ember.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Hostile values of every part of a request: ids, query strings, tokens, microversions, media types
 * and bodies. Each is small except a few large ones, drawn rarely, so a run stays bounded in time.
 */
final class Hostile {

  private final Random random;
  private final String project;
  private final String otherProject;
  private final String victimVolume;
  private int largeBodies;

  Hostile(Random random, String project, String otherProject, String victimVolume) {
    this.random = random;
    this.project = project;
    this.otherProject = otherProject;
    this.victimVolume = victimVolume;
  }

  <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  private static String repeat(String s, int n) {
    return s.repeat(n);
  }

  /** A strange string: the characters and lengths that broke Ember before (issue 23). */
  String text() {
    return pick(
        List.of(
            "",
            " ",
            "a\u0000b",
            "\u0000",
            "\ud800",
            "\udfff x",
            "ok",
            "\u202e\u0007\u001b[31m",
            "'; drop table volumes; --",
            "${jndi:ldap://127.0.0.1/x}",
            "../../etc/passwd",
            "%00%zz%",
            "<script>x</script>",
            "名前\uD83D\uDE00",
            repeat("x", 255),
            repeat("x", 256),
            repeat("y", 4000),
            "\t\n\r"));
  }

  /** A hostile JSON value (as JSON text). */
  String value() {
    return pick(
        List.of(
            "null",
            "true",
            "0",
            "-1",
            "1",
            "1.5",
            "1e400",
            "-0",
            "2147483647",
            "2147483648",
            "4294967301",
            "9223372036854775808",
            "123456789012345678901234567890",
            "[]",
            "{}",
            "[1, \"a\", null]",
            "{\"a\": {\"b\": {}}}",
            quote(text()),
            quote(text()),
            "\"1\"",
            "\"-1\"",
            "\"4294967301\""));
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || Character.isSurrogate(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** A path segment where the template has a parameter. */
  String pathParameter(String name) {
    boolean projectSlot = name.contains("project");
    if (projectSlot && chance(60)) {
      return pick(List.of(project, project, otherProject, "admin"));
    }
    if (!projectSlot && chance(35)) {
      return pick(List.of(victimVolume, project, otherProject));
    }
    return pick(
        List.of(
            UUID.randomUUID().toString(),
            "00000000-0000-0000-0000-000000000000",
            "not-a-uuid",
            "-1",
            "99999999999999999999",
            "%00",
            "a%00b",
            "%2e%2e",
            "%2F",
            "%25",
            "%C3%A9",
            "%ED%A0%80",
            "x".repeat(65),
            "a".repeat(300),
            "b".repeat(3000),
            "' or '1'='1",
            "%20",
            victimVolume.toUpperCase(),
            "{id}"));
  }

  /** A query string: filters, sort, paging and flags, valid and not. */
  String query() {
    if (chance(40)) {
      return "";
    }
    int n = 1 + random.nextInt(3);
    StringBuilder q = new StringBuilder("?");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        q.append('&');
      }
      q.append(
          pick(
              List.of(
                  "sort=:",
                  "sort=,",
                  "sort=name:asc,,",
                  "sort=name:up",
                  "sort=" + "k".repeat(500),
                  "sort_key=size&sort_dir=sideways",
                  "limit=-1",
                  "limit=abc",
                  "limit=99999999999",
                  "limit=0",
                  "offset=-5",
                  "offset=99999999999",
                  "marker=garbage",
                  "marker=" + UUID.randomUUID(),
                  "name=%00",
                  "name=a%00",
                  "status=%27",
                  "size=-1",
                  "size=abc",
                  "size=99999999999",
                  "availability_zone=%ff%fe",
                  "all_tenants=1",
                  "all_tenants=%00",
                  "with_count=true",
                  "usage=True",
                  "usage=%00",
                  "metadata=%7B%22a%22%3A1%7D",
                  "x=" + "q".repeat(6000),
                  "x=" + "q".repeat(chance(20) ? 12_000 : 60),
                  "%zz=1",
                  "a=%zz",
                  "=",
                  "&&&")));
    }
    return q.toString();
  }

  /** An X-Auth-Token value, or null for none. */
  String token() {
    return pick(
        List.of(
            "fuzzer:" + project,
            "fuzzer:" + project,
            "admin:" + project,
            "admin:" + project,
            "admin:" + otherProject,
            "fuzzer:" + otherProject,
            "fuzzer",
            ":",
            "",
            "admin:" + "a".repeat(65),
            "u".repeat(300) + ":" + project,
            "admin:ab%zz",
            "admin:%2F..",
            "admin:a b",
            "admin:" + project + ":extra",
            "nobody:" + UUID.randomUUID()));
  }

  /** An OpenStack-API-Version value, or null for none. */
  String microversion() {
    if (chance(50)) {
      return null;
    }
    return pick(
        List.of(
            "volume 3.0",
            "volume 3.70",
            "volume 3.71",
            "volume 2.0",
            "volume 4.0",
            "volume latest",
            "volume 3",
            "volume 3.-1",
            "volume 3.99999999999",
            "volume a.b",
            "compute 2.1",
            "",
            "volume 3.0, volume 3.70"));
  }

  /** A Content-Type for a body, or null for none. */
  String contentType() {
    return pick(
        List.of(
            "application/json",
            "application/json",
            "application/json",
            "application/json; charset=utf-8",
            "application/vnd.openstack.volume+json",
            "text/plain",
            "application/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=zz",
            "application/octet-stream",
            "*/*",
            "garbage"));
  }

  /** A body for an operation whose first resource word is {@code resource}. */
  byte[] body(String resource) {
    int kind = random.nextInt(100);
    if (kind < 3 && largeBodies < 3) {
      largeBodies++;
      if (largeBodies == 3) {
        // Over the API's 10 MB body limit: refused by the HTTP layer, which must still answer a
        // Cinder fault (413).
        return utf8(
            "{\"volume\": {\"size\": 1, \"name\": \"" + "n".repeat(11 * 1024 * 1024) + "\"}}");
      }
      // A name of 5 MB (issue 23: echoed whole into the answer and the log).
      return utf8("{\"volume\": {\"size\": 1, \"name\": \"" + "n".repeat(5 * 1024 * 1024) + "\"}}");
    }
    if (kind < 5) {
      return new byte[0];
    }
    if (kind < 8) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(utf8("{\"volume\": {\"size\": 1, \"name\": \"a"));
      out.write(0xff);
      out.write(0xc3);
      out.writeBytes(utf8("\"}}"));
      return out.toByteArray();
    }
    if (kind < 11) {
      return utf8("[".repeat(5000) + "]".repeat(5000));
    }
    if (kind < 14) {
      return utf8(pick(List.of("{", "}", "nul", "{\"a\":}", "\"x\"", "1", "{} {}", "<a/>")));
    }
    String document = document(resource);
    if (kind < 20) {
      return utf8(document + pick(List.of(" garbage", document, " {}", "\u0000")));
    }
    return utf8(document);
  }

  /** A JSON document shaped like the resource's request, with hostile values in it. */
  private String document(String resource) {
    String wrapper =
        switch (resource) {
          case "os-quota-sets" -> "quota_set";
          case "action" -> pick(List.of("os-reset_status", "os-force_delete", "os-extend", "x"));
          default -> "volume";
        };
    StringBuilder fields = new StringBuilder();
    List<String> keys =
        switch (resource) {
          case "os-quota-sets" ->
              List.of("volumes", "gigabytes", "per_volume_gigabytes", "snapshots", "bogus", "id");
          case "action" -> List.of("status", "attach_status", "migration_status", "new_size");
          default ->
              List.of(
                  "size",
                  "name",
                  "description",
                  "metadata",
                  "availability_zone",
                  "volume_type",
                  "snapshot_id",
                  "source_volid",
                  "imageRef",
                  "display_name");
        };
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        fields.append(", ");
      }
      String key = chance(90) ? pick(keys) : text();
      String value;
      if (key.equals("metadata") && chance(70)) {
        value = "{" + quote(text()) + ": " + value() + "}";
      } else {
        value = value();
      }
      fields.append(quote(key)).append(": ").append(value);
    }
    // The size of a refused create is always hostile: a valid create would change state.
    if (wrapper.equals("volume") && !fields.toString().contains("\"size\"")) {
      fields
          .append(fields.length() == 0 ? "" : ", ")
          .append("\"size\": ")
          .append(pick(List.of("0", "-1", "2147483647", "\"x\"", "null", "1.5", "99999999999")));
    }
    String inner = chance(90) ? "{" + fields + "}" : value();
    return "{" + quote(wrapper) + ": " + inner + "}";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Now and then a header block over the API's limit (431), else none. */
  String padding() {
    return chance(1) ? "p".repeat(20_000) : null;
  }

  /** Methods beyond the one the document lists for a path. */
  String otherMethod() {
    return pick(List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"));
  }
}
