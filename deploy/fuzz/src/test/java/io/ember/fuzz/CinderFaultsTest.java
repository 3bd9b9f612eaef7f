package io.ember.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The fuzz tool's verdict on error bodies: Cinder's shapes pass, anything else is a finding. */
class CinderFaultsTest {

  @Test
  void cindersFaultsPass() {
    assertNull(CinderFaults.problem(400, "{\"badRequest\": {\"code\": 400, \"message\": \"x\"}}"));
    assertNull(
        CinderFaults.problem(
            413, "{\"overLimit\": {\"code\": 413, \"message\": \"x\", \"retryAfter\": \"0\"}}"));
    assertNull(
        CinderFaults.problem(431, "{\"computeFault\": {\"code\": 431, \"message\": \"x\"}}"));
    assertNull(
        CinderFaults.problem(
            404,
            "{\"message\": \"The resource could not be found.<br /><br />\\n\\n\\n\","
                + " \"code\": \"404 Not Found\", \"title\": \"Not Found\"}"));
  }

  @Test
  void anythingElseIsAFinding() {
    assertNotNull(CinderFaults.problem(400, ""));
    assertNotNull(CinderFaults.problem(414, "<html>too long</html>"));
    assertNotNull(CinderFaults.problem(500, "{\"details\": \"Error id 1\", \"stack\": \"\"}"));
    assertNotNull(
        CinderFaults.problem(400, "{\"itemNotFound\": {\"code\": 404, \"message\": \"x\"}}"));
    assertNotNull(
        CinderFaults.problem(400, "{\"badRequest\": {\"code\": 400, \"message\": \"\"}}"));
    assertNotNull(
        CinderFaults.problem(413, "{\"overLimit\": {\"code\": 413, \"message\": \"x\"}}"));
    assertNotNull(
        CinderFaults.problem(
            400, "{\"badRequest\": {\"code\": 400, \"message\": \"x\"}, \"extra\": 1}"));
  }

  @Test
  void theFaultNamesAreCinders() {
    assertEquals("badMethod", CinderFaults.faultName(405));
    assertEquals("badMediaType", CinderFaults.faultName(415));
    assertEquals("computeFault", CinderFaults.faultName(406));
  }
}
