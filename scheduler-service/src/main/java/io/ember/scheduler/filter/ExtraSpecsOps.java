package io.ember.scheduler.filter;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * Cinder's {@code extra_specs_ops.match}: an extra-spec value is either a plain string (exact
 * equality) or an operator followed by its operand, e.g. {@code ">= 10"}, {@code "<is> True"},
 * {@code "<or> iSCSI <or> NVMe"}, {@code "<all-in> aes vmx"}. Note that {@code =} means numeric
 * greater-or-equal.
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
    if ("<all-in>".equals(op)) {
      // Every operand word must be in the value (nova's operator, which the issue asks for).
      return !words.isEmpty() && words.stream().allMatch(value::contains);
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
      case "<all-in>" -> String::contains;
      default -> null;
    };
  }

  /** A value that is not a number matches no numeric operator (Cinder catches the ValueError). */
  private static BiPredicate<String, String> numeric(BiPredicate<Double, Double> comparison) {
    return (x, y) -> {
      Double a = pythonFloat(x);
      Double b = pythonFloat(y);
      return a != null && b != null && comparison.test(a, b);
    };
  }

  private static final Pattern FLOAT =
      Pattern.compile("[+-]?((\\d(_?\\d)*)?\\.?\\d(_?\\d)*|\\d(_?\\d)*\\.)([eE][+-]?\\d(_?\\d)*)?");

  /**
   * Python's {@code float(str)}: what Java's parser also takes ({@code 10d}, {@code 0x1p3}) is not
   * a number there, and {@code inf}/{@code nan} in any case and {@code 1_000} are.
   */
  static Double pythonFloat(String text) {
    String s = text.strip();
    String unsigned = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    String lower = unsigned.toLowerCase(Locale.ROOT);
    if (lower.equals("inf") || lower.equals("infinity")) {
      return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    if (!FLOAT.matcher(s).matches()) {
      return null;
    }
    return Double.parseDouble(s.replace("_", ""));
  }

  /** oslo's {@code bool_from_string}. */
  private static boolean bool(String s) {
    return TRUE_STRINGS.contains(s.trim().toLowerCase(Locale.ROOT));
  }
}
