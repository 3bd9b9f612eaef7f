package io.ember.scheduler.filter;

import static io.ember.scheduler.filter.ExtraSpecsOps.match;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExtraSpecsOpsTest {

  @Test
  void plainValueIsExactStringEquality() {
    assertTrue(match("lvm1", "lvm1"));
    assertFalse(match("lvm10", "lvm1"));
    assertFalse(match(null, "lvm1"));
  }

  @Test
  void singleEqualsMeansNumericAtLeast() {
    assertTrue(match("10", "= 10"));
    assertTrue(match("11.5", "= 10"));
    assertFalse(match("9", "= 10"));
  }

  @Test
  void numericComparisons() {
    assertTrue(match("10.0", "== 10"));
    assertFalse(match("10.1", "== 10"));
    assertTrue(match("3", "!= 4"));
    assertFalse(match("4", "!= 4.0"));
    assertTrue(match("5", ">= 5"));
    assertFalse(match("4", ">= 5"));
    assertTrue(match("5", "<= 5"));
    assertFalse(match("6", "<= 5"));
    assertFalse(match("abc", ">= 5"), "not a number never matches");
  }

  @Test
  void stringComparisons() {
    assertTrue(match("iSCSI", "s== iSCSI"));
    assertFalse(match("iscsi", "s== iSCSI"));
    assertTrue(match("a", "s!= b"));
    assertTrue(match("abc", "s< abd"));
    assertTrue(match("abc", "s<= abc"));
    assertTrue(match("b", "s> a"));
    assertFalse(match("a", "s>= b"));
  }

  @Test
  void containsOperator() {
    assertTrue(match("fast-ssd-pool", "<in> ssd"));
    assertFalse(match("slow-hdd-pool", "<in> ssd"));
  }

  @Test
  void isOperatorComparesBooleans() {
    assertTrue(match("True", "<is> True"));
    assertTrue(match("true", "<is> yes"));
    assertTrue(match("False", "<is> False"));
    assertFalse(match("False", "<is> True"));
  }

  @Test
  void orOperatorMatchesAnyAlternative() {
    assertTrue(match("NVMe", "<or> iSCSI <or> NVMe"));
    assertTrue(match("iSCSI", "<or> iSCSI <or> NVMe"));
    assertFalse(match("FC", "<or> iSCSI <or> NVMe"));
    assertFalse(match(null, "<or> iSCSI"));
  }

  @Test
  void operatorWithoutOperandMatchesNothing() {
    assertFalse(match("5", ">="));
  }

  @Test
  void allInOperatorWantsEveryWord() {
    assertTrue(match("aes vmx sse4", "<all-in> aes vmx"));
    assertFalse(match("aes sse4", "<all-in> aes vmx"));
    assertFalse(match("aes", "<all-in>"));
    assertFalse(match(null, "<all-in> aes"));
  }

  @Test
  void numbersAreReadAsPythonsFloatReadsThem() {
    assertTrue(match("1_000", ">= 999"), "underscores between digits");
    assertTrue(match(" 10 ", "== 10"));
    assertTrue(match("1e3", "== 1000"));
    assertTrue(match(".5", "<= 0.5"));
    assertTrue(match("inf", ">= 1e300"));
    assertTrue(match("-Infinity", "<= -1"));
    assertFalse(match("10d", ">= 1"), "Java's double suffix is no number in Python");
    assertFalse(match("0x10", ">= 1"));
    assertFalse(match("nan", "== nan"), "NaN equals nothing");
    assertTrue(match("nan", "!= nan"));
  }

  @Test
  void anUnknownFirstWordMakesTheWholeValueALiteral() {
    assertTrue(match("gold tier", "gold tier"));
    assertFalse(match("gold", "gold tier"));
    assertTrue(match("<foo> x", "<foo> x"));
  }
}
