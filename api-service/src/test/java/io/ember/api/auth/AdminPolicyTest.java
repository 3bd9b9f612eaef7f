package io.ember.api.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.api.auth.AdminPolicy.Level;
import io.ember.api.fault.CinderFault;
import io.ember.model.RequestContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminPolicyTest {

  private static RequestContext caller(String... roles) {
    return new RequestContext("req-1", "u", "p", List.of(roles));
  }

  @Test
  void aReaderReadsButCannotWrite() {
    RequestContext reader = caller("reader");
    assertDoesNotThrow(() -> AdminPolicy.require(reader, "volume:get_all", Level.READER));
    CinderFault refused =
        assertThrows(
            CinderFault.class, () -> AdminPolicy.require(reader, "volume:create", Level.MEMBER));
    assertEquals(403, refused.status());
    assertEquals("Policy doesn't allow volume:create to be performed.", refused.getMessage());
  }

  @Test
  void aMemberWritesAndReadsButIsNoAdmin() {
    RequestContext member = caller("member");
    assertDoesNotThrow(() -> AdminPolicy.require(member, "volume:create", Level.MEMBER));
    assertDoesNotThrow(() -> AdminPolicy.require(member, "volume:get", Level.READER));
    CinderFault refused =
        assertThrows(
            CinderFault.class,
            () -> AdminPolicy.requireRule(member, "volume_extension:type_create"));
    assertEquals(
        "Policy doesn't allow volume_extension:type_create to be performed.", refused.getMessage());
    assertEquals(
        "Policy doesn't allow volume_extension:volume_admin_actions:reset_status to be performed.",
        assertThrows(CinderFault.class, () -> AdminPolicy.require(member, "reset_status"))
            .getMessage());
  }

  @Test
  void anAdminMayDoAllEvenWithoutTheImpliedRolesListed() {
    RequestContext admin = caller("admin");
    for (Level level : Level.values()) {
      assertDoesNotThrow(() -> AdminPolicy.require(admin, "any", level));
    }
  }

  @Test
  void noRoleOrAnUnknownRoleAllowsNothing() {
    for (RequestContext c : List.of(caller(), caller("service"), caller("ReAdEr"))) {
      for (Level level : Level.values()) {
        assertThrows(CinderFault.class, () -> AdminPolicy.require(c, "volume:get", level));
      }
    }
  }
}
