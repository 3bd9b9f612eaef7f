package io.ember.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyRulesTest {

  private static final String FILE =
      """
      # An operator's policy.yaml
      "volume_extension:type_create": "role:member"
      "volume:create": "!"
      "volume:delete": "@"
      "storage_ops": "role:storage or (role:member and not role:reader_only)"
      "volume:extend": "rule:storage_ops"
      'volume:update': "rule:admin_or_owner"
      "volume:get": ""
      """;

  private final PolicyRules rules = PolicyRules.parse(FILE, false, "policy.yaml");

  @Test
  void rolesConstantsAndReferencesDecideAsOsloPolicyDoes() {
    assertTrue(rules.allows("volume_extension:type_create", List.of("member"), true));
    assertTrue(rules.allows("volume_extension:type_create", List.of("admin"), true));
    assertFalse(rules.allows("volume_extension:type_create", List.of("reader"), true));
    assertFalse(rules.allows("volume:create", List.of("admin"), true));
    assertTrue(rules.allows("volume:delete", List.of(), true));
    assertTrue(rules.allows("volume:get", List.of(), true));
    assertTrue(rules.allows("volume:extend", List.of("storage"), true));
    assertTrue(rules.allows("volume:extend", List.of("member"), true));
    assertFalse(rules.allows("volume:extend", List.of("member", "reader_only"), true));
    assertTrue(rules.allows("volume:update", List.of("reader"), true));
    assertFalse(rules.allows("volume:update", List.of("reader"), false));
    assertTrue(rules.overrides("volume:create"));
    assertFalse(rules.overrides("volume:get_all"));
    assertEquals(7, rules.size());
  }

  @Test
  void jsonFilesAreReadToo() {
    PolicyRules json = PolicyRules.parse("{\"volume:create\": \"role:admin\"}", true, "p.json");
    assertFalse(json.allows("volume:create", List.of("member"), true));
    assertTrue(json.allows("volume:create", List.of("admin"), true));
  }

  @Test
  void whatCannotBeUnderstoodStopsTheStartWithTheRuleNamed() {
    assertEquals(
        "policy rule volume:create names rule:nowhere, which is not defined",
        assertThrows(
                IllegalArgumentException.class,
                () -> PolicyRules.parse("\"volume:create\": \"rule:nowhere\"", false, "f"))
            .getMessage());
    assertEquals(
        "policy rule volume:create: ')' is missing",
        assertThrows(
                IllegalArgumentException.class,
                () -> PolicyRules.parse("\"volume:create\": \"(role:a or role:b\"", false, "f"))
            .getMessage());
    assertEquals(
        "policy rule volume:create: 'user_id:%(user_id)s' is not a check Ember understands",
        assertThrows(
                IllegalArgumentException.class,
                () -> PolicyRules.parse("\"volume:create\": \"user_id:%(user_id)s\"", false, "f"))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> PolicyRules.parse("volume:create role:admin", false, "f"));
  }

  @Test
  void aRuleThatNamesItselfRefusesInsteadOfLooping() {
    PolicyRules loop = PolicyRules.parse("\"a\": \"rule:b\"\n\"b\": \"rule:a\"", false, "f");
    assertFalse(loop.allows("a", List.of("admin"), true));
  }
}
