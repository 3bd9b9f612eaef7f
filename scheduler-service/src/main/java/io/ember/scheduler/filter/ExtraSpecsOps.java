package io.ember.scheduler.filter;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Cinder's {@code extra_specs_ops.match}: an extra-spec value is either a plain string (exact
 * equality) or an operator followed by its operand, e.g. {@code ">= 10"}, {@code "<is> True"},
 * {@code "<or> iSCSI <or> NVMe"}. Note that {@code =} means numeric greater-or-equal.
 */
public final class ExtraSpecsOps {

  private static final Set<String> TRUE_STRINGS = Set.of("1", "t", "true", "on", "y", "yes");

  private ExtraSpecsOps() {}

  /**
   * @param value the capability as a string ({@code null} when the pool lacks it)
   * @param requirement the extra-spec value
   */
  public static boolean match(String value, String requirement) {
    Deque<String> words = new ArrayDeque<>(Arrays.asList(requirement.trim().split("\\s+")));
    if (requirement.isBlank()) {
      words.clear();
    }
    String op = words.isEmpty() ? null : words.pop();
    BiPredicate<String, String> method = op == null ? null : operator(op);
    if (!"<or>".equals(op) && method == null) {
      return requirement.equals(value);
    }
    if (value == null) {
      return false;
    }
    if ("<or>".equals(op)) {
      while (!words.isEmpty()) {
        if (words.pop().equals(value)) {
          return true;
        }
        if (words.isEmpty()) {
          break;
        }
        words.pop(); // the next "<or>"
      }
      return false;
    }
    return !words.isEmpty() && method.test(value, words.peek());
  }

  private static BiPredicate<String, String> operator(String op) {
    return switch (op) {
      case "=", ">=" -> numeric((x, y) -> x >= y);
      case "==" -> numeric((x, y) -> x.doubleValue() == y.doubleValue());
      case "!=" -> numeric((x, y) -> x.doubleValue() != y.doubleValue());
      case "<=" -> numeric((x, y) -> x <= y);
      case "s==" -> String::equals;
      case "s!=" -> (x, y) -> !x.equals(y);
      case "s<" -> (x, y) -> x.compareTo(y) < 0;
      case "s<=" -> (x, y) -> x.compareTo(y) <= 0;
      case "s>" -> (x, y) -> x.compareTo(y) > 0;
      case "s>=" -> (x, y) -> x.compareTo(y) >= 0;
      case "<in>" -> String::contains;
      case "<is>" -> (x, y) -> bool(x) == bool(y);
      default -> null;
    };
  }

  /** A value that is not a number matches no numeric operator (Cinder would raise). */
  private static BiPredicate<String, String> numeric(BiPredicate<Double, Double> comparison) {
    return (x, y) -> {
      try {
        return comparison.test(Double.parseDouble(x.trim()), Double.parseDouble(y.trim()));
      } catch (NumberFormatException e) {
        return false;
      }
    };
  }

  /** oslo's {@code bool_from_string}. */
  private static boolean bool(String s) {
    return TRUE_STRINGS.contains(s.trim().toLowerCase(Locale.ROOT));
  }
}
