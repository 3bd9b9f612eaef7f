package io.ember.api.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules of an operator's policy file overriding Cinder's defaults, in a subset of oslo.policy's
 * syntax (docs/keystone.md): {@code @} (always), {@code !} (never), an empty string (always),
 * {@code role:NAME}, {@code rule:NAME}, {@code project_id:%(project_id)s}, {@code is_admin:True},
 * joined with {@code and}, {@code or}, {@code not} and parentheses. A rule not in the file keeps
 * Cinder's default.
 *
 * <p>Parsed whole at start: a rule that does not parse, or names a rule that exists nowhere, stops
 * the service rather than deciding something the operator did not write.
 */
public final class PolicyRules {

  /** Cinder's base rules (cinder/policies/base.py), which a file's rules may name. */
  private static final Map<String, String> BASE =
      Map.of(
          "context_is_admin", "role:admin",
          "admin_api", "role:admin",
          "admin_or_owner", "is_admin:True or project_id:%(project_id)s",
          "project_reader_or_admin", "role:reader or role:admin",
          "project_member_or_admin", "role:member or role:admin",
          "system_or_domain_or_project_admin", "role:admin");

  private static final Pattern TOKEN =
      Pattern.compile("[^\\s()]+%\\([^)]*\\)[^\\s()]*|\\(|\\)|[^\\s()]+");

  private static final Pattern FLAT_YAML_LINE =
      Pattern.compile(
          "^\\s*(\"[^\"]*\"|'[^']*'|[^:#\\s][^:#]*?)\\s*:\\s*(\"[^\"]*\"|'[^']*')?\\s*$");

  /** No overrides: every rule is Cinder's default (declared after what its parsing reads). */
  public static final PolicyRules NONE = new PolicyRules(Map.of());

  /** A parsed check string. */
  interface Check {
    boolean allows(Set<String> roles, boolean hasProject, PolicyRules rules, Set<String> seen);
  }

  private final Map<String, String> source;
  private final Map<String, Check> checks = new LinkedHashMap<>();

  private PolicyRules(Map<String, String> source) {
    this.source = source;
    Map<String, String> all = new LinkedHashMap<>(BASE);
    all.putAll(source);
    for (Map.Entry<String, String> rule : all.entrySet()) {
      checks.put(rule.getKey(), new Parser(rule.getKey(), rule.getValue()).parse());
    }
    for (Map.Entry<String, Check> rule : checks.entrySet()) {
      // Names every referenced rule once, so an unknown one is found now, not at a request.
      referenced(rule.getValue(), rule.getKey());
    }
  }

  /** The rules of a policy file: JSON ({@code .json}) or oslo's flat YAML of quoted strings. */
  public static PolicyRules read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("policy file " + file + " cannot be read: " + e, e);
    }
    return parse(text, file.toString().endsWith(".json"), file.toString());
  }

  static PolicyRules parse(String text, boolean json, String name) {
    Map<String, String> rules = new LinkedHashMap<>();
    if (json) {
      try {
        rules.putAll(
            new ObjectMapper().readValue(text, new TypeReference<Map<String, String>>() {}));
      } catch (IOException e) {
        throw new IllegalArgumentException("policy file " + name + ": " + e.getMessage(), e);
      }
    } else {
      int n = 0;
      for (String line : text.split("\n", -1)) {
        n++;
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.equals("---")) {
          continue;
        }
        Matcher m = FLAT_YAML_LINE.matcher(line);
        if (!m.matches()) {
          throw new IllegalArgumentException(
              "policy file "
                  + name
                  + " line "
                  + n
                  + ": not a \"rule\": \"check\" line: "
                  + trimmed);
        }
        rules.put(unquote(m.group(1)), m.group(2) == null ? "" : unquote(m.group(2)));
      }
    }
    return new PolicyRules(rules);
  }

  private static String unquote(String s) {
    return (s.startsWith("\"") || s.startsWith("'")) ? s.substring(1, s.length() - 1) : s;
  }

  /** Whether the file sets {@code rule}. */
  public boolean overrides(String rule) {
    return source.containsKey(rule);
  }

  /** How many rules the file sets. */
  public int size() {
    return source.size();
  }

  /**
   * Whether the file's {@code rule} allows a caller with {@code roles}; a role implies the ones
   * below it, as Keystone's bootstrap sets them up (admin → member → reader).
   */
  public boolean allows(String rule, List<String> roles, boolean hasProject) {
    Set<String> implied = new HashSet<>(roles);
    if (implied.contains("admin")) {
      implied.add("member");
    }
    if (implied.contains("member")) {
      implied.add("reader");
    }
    return evaluate(rule, implied, hasProject, new HashSet<>());
  }

  private boolean evaluate(String rule, Set<String> roles, boolean hasProject, Set<String> seen) {
    Check check = checks.get(rule);
    if (check == null || !seen.add(rule)) {
      // Unknown (cannot happen after the start check) or a loop: refuse.
      return false;
    }
    boolean allowed = check.allows(roles, hasProject, this, seen);
    seen.remove(rule);
    return allowed;
  }

  private void referenced(Check check, String from) {
    if (check instanceof RuleRef ref && !checks.containsKey(ref.name())) {
      throw new IllegalArgumentException(
          "policy rule " + from + " names rule:" + ref.name() + ", which is not defined");
    }
    if (check instanceof Combined c) {
      c.parts().forEach(p -> referenced(p, from));
    }
    if (check instanceof Not n) {
      referenced(n.inner(), from);
    }
  }

  private record Constant(boolean value) implements Check {
    public boolean allows(Set<String> roles, boolean hasProject, PolicyRules rules, Set<String> s) {
      return value;
    }
  }

  private record Role(String name) implements Check {
    public boolean allows(Set<String> roles, boolean hasProject, PolicyRules rules, Set<String> s) {
      return roles.contains(name);
    }
  }

  /** The target is the URL's project, which the auth filters made the caller's. */
  private record OwnProject() implements Check {
    public boolean allows(Set<String> roles, boolean hasProject, PolicyRules rules, Set<String> s) {
      return hasProject;
    }
  }

  private record RuleRef(String name) implements Check {
    public boolean allows(Set<String> roles, boolean hasProject, PolicyRules rules, Set<String> s) {
      return rules.evaluate(name, roles, hasProject, s);
    }
  }

  private record Not(Check inner) implements Check {
    public boolean allows(Set<String> roles, boolean hasProject, PolicyRules rules, Set<String> s) {
      return !inner.allows(roles, hasProject, rules, s);
    }
  }

  private record Combined(boolean and, List<Check> parts) implements Check {
    public boolean allows(Set<String> roles, boolean hasProject, PolicyRules rules, Set<String> s) {
      for (Check part : parts) {
        boolean allowed = part.allows(roles, hasProject, rules, s);
        if (and != allowed) {
          return allowed;
        }
      }
      return and;
    }
  }

  /** Recursive descent over the tokens of one check string. */
  private static final class Parser {
    private final String rule;
    private final List<String> tokens = new ArrayList<>();
    private int at;

    Parser(String rule, String text) {
      this.rule = rule;
      // A target such as %(project_id)s holds parentheses that do not group.
      Matcher m = TOKEN.matcher(text);
      while (m.find()) {
        tokens.add(m.group());
      }
    }

    Check parse() {
      if (tokens.isEmpty()) {
        return new Constant(true);
      }
      Check check = or();
      if (at < tokens.size()) {
        throw error("unexpected '" + tokens.get(at) + "'");
      }
      return check;
    }

    private Check or() {
      List<Check> parts = new ArrayList<>(List.of(and()));
      while (at < tokens.size() && tokens.get(at).equals("or")) {
        at++;
        parts.add(and());
      }
      return parts.size() == 1 ? parts.get(0) : new Combined(false, parts);
    }

    private Check and() {
      List<Check> parts = new ArrayList<>(List.of(not()));
      while (at < tokens.size() && tokens.get(at).equals("and")) {
        at++;
        parts.add(not());
      }
      return parts.size() == 1 ? parts.get(0) : new Combined(true, parts);
    }

    private Check not() {
      if (at < tokens.size() && tokens.get(at).equals("not")) {
        at++;
        return new Not(not());
      }
      return atom();
    }

    private Check atom() {
      if (at >= tokens.size()) {
        throw error("a check is missing at the end");
      }
      String token = tokens.get(at++);
      if (token.equals("(")) {
        Check inner = or();
        if (at >= tokens.size() || !tokens.get(at++).equals(")")) {
          throw error("')' is missing");
        }
        return inner;
      }
      if (token.equals("@")) {
        return new Constant(true);
      }
      if (token.equals("!")) {
        return new Constant(false);
      }
      int colon = token.indexOf(':');
      String kind = colon < 0 ? token : token.substring(0, colon);
      String value = colon < 0 ? "" : token.substring(colon + 1);
      return switch (kind) {
        case "role" -> new Role(value.toLowerCase(java.util.Locale.ROOT));
        case "rule" -> new RuleRef(value);
        case "project_id" -> {
          if (!value.equals("%(project_id)s")) {
            throw error("only project_id:%(project_id)s is understood");
          }
          yield new OwnProject();
        }
        case "is_admin" -> {
          // Cinder's context.is_admin: the admin role.
          boolean wanted = value.equalsIgnoreCase("true");
          yield wanted ? new Role("admin") : new Not(new Role("admin"));
        }
        default -> throw error("'" + token + "' is not a check Ember understands");
      };
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("policy rule " + rule + ": " + what);
    }
  }
}
