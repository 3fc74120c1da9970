package reco.trainer.eval;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * The few Python semantics that the reference {@code split.py} and {@code metrics.py} rely on and that
 * Java does differently: {@code int()} and {@code float()} parsing, {@code str.isspace}, string order
 * (code points, not UTF-16 units), {@code round(x, n)}, {@code repr(float)}, {@code format(x, ".4f")},
 * {@code json.dumps} string escaping and a correctly rounded {@code math.log2}.
 */
final class PythonCompat {
    private PythonCompat() {}

    /** CPython's {@code sys.int_info.default_max_str_digits}: longer decimal strings make int() fail. */
    static final int MAX_INT_STR_DIGITS = 4300;

    private static final Pattern FLOAT_SPECIAL = Pattern.compile("[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

    /** {@code str.isspace()} for one code point (CPython's {@code Py_UNICODE_ISSPACE} table). */
    static boolean isSpace(int c) {
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }

    /** True when {@code s.strip()} is empty in Python. */
    static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Python's {@code int(s)} for a str: surrounding whitespace, a sign, Unicode decimal digits and single
     * underscores between digits are accepted. Returns null where Python raises ValueError.
     */
    static BigInteger parseInt(String s) {
        String ascii = toAsciiNumber(s);
        if (ascii == null) {
            return null;
        }
        int start = ascii.startsWith("+") || ascii.startsWith("-") ? 1 : 0;
        if (digitPartEnd(ascii, start) != ascii.length()) {
            return null;
        }
        String digits = ascii.replace("_", "");
        int digitCount = digits.length() - (digits.charAt(0) == '+' || digits.charAt(0) == '-' ? 1 : 0);
        if (digitCount > MAX_INT_STR_DIGITS) {
            return null;
        }
        if (digitCount <= 18) {
            return BigInteger.valueOf(Long.parseLong(digits));
        }
        return new BigInteger(digits);
    }

    /**
     * Python's {@code float(s)} for a str (decimal literals with optional underscores between digits,
     * {@code inf}, {@code infinity}, {@code nan} in any case, surrounding whitespace).
     *
     * @throws NumberFormatException where Python raises ValueError
     */
    static double parseFloat(String s) {
        String ascii = toAsciiNumber(s);
        if (ascii != null) {
            if (isDecimalFloat(ascii)) {
                return Double.parseDouble(ascii.replace("_", ""));
            }
            if (FLOAT_SPECIAL.matcher(ascii).matches()) {
                boolean negative = ascii.charAt(0) == '-';
                if (ascii.toLowerCase(java.util.Locale.ROOT).endsWith("nan")) {
                    return Double.NaN;
                }
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
        }
        throw new NumberFormatException("could not convert string to float: '" + s + "'");
    }

    /**
     * End of a PEP 515 {@code digitpart} ({@code digit (["_"] digit)*}) starting at {@code i}, or -1 when
     * there is no digit at {@code i}. (A loop, not a regex: regex backtracking overflows the stack on long ids.)
     */
    private static int digitPartEnd(String s, int i) {
        if (i >= s.length() || !isAsciiDigit(s.charAt(i))) {
            return -1;
        }
        i++;
        while (i < s.length()) {
            if (isAsciiDigit(s.charAt(i))) {
                i++;
            } else if (s.charAt(i) == '_' && i + 1 < s.length() && isAsciiDigit(s.charAt(i + 1))) {
                i += 2;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Python's float literal grammar: {@code [sign] (digitpart ["." [digitpart]] | "." digitpart) [exponent]}. */
    private static boolean isDecimalFloat(String s) {
        int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
        int end = digitPartEnd(s, i);
        if (end >= 0) {
            i = end;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                end = digitPartEnd(s, i);
                if (end >= 0) {
                    i = end;
                }
            }
        } else {
            if (i >= s.length() || s.charAt(i) != '.') {
                return false;
            }
            i = digitPartEnd(s, i + 1);
            if (i < 0) {
                return false;
            }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            i = digitPartEnd(s, i);
            if (i < 0) {
                return false;
            }
        }
        return i == s.length();
    }

    /** Strips Python whitespace and maps Unicode decimal digits to ASCII; null when other non-ASCII remains. */
    private static String toAsciiNumber(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end - start);
        for (int i = start; i < end; ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c < 0x80) {
                out.append((char) c);
            } else if (Character.getType(c) == Character.DECIMAL_DIGIT_NUMBER) {
                out.append((char) ('0' + Character.digit(c, 10)));
            } else {
                return null;
            }
        }
        return out.toString();
    }

    /** Python's {@code str} order: by code point (differs from {@link String#compareTo} beyond U+FFFF). */
    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x >= 0xD800 && y >= 0xD800) {
                    // Move surrogates (0xD800-0xDFFF, code points >= 0x10000) above 0xE000-0xFFFF.
                    x = x >= 0xE000 ? (char) (x - 0x800) : (char) (x + 0x2000);
                    y = y >= 0xE000 ? (char) (y - 0x800) : (char) (y + 0x2000);
                }
                return Integer.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** Python's {@code round(x, digits)}: half-even on the exact binary value. */
    static double round(double x, int digits) {
        if (!Double.isFinite(x)) {
            return x;
        }
        double r = new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).doubleValue();
        return r == 0 ? Math.copySign(0.0, x) : r;
    }

    /** Python's {@code format(x, "." + digits + "f")}. */
    static String formatFixed(double x, int digits) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        String text = new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
        boolean negative = x < 0 || (x == 0 && 1 / x < 0);
        return negative && !text.startsWith("-") ? "-" + text : text;
    }

    /** Python's {@code repr(float)} (shortest round-trip digits), as {@code json.dumps} writes floats. */
    static String floatRepr(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "Infinity" : "-Infinity";
        }
        String sign = x < 0 || (x == 0 && 1 / x < 0) ? "-" : "";
        if (x == 0) {
            return sign + "0.0";
        }
        // Double.toString gives the shortest uniquely identifying digits since JDK 19, as repr does.
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(x))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int n = digits.length();
        int decimalPoint = n - shortest.scale(); // value = 0.<digits> * 10^decimalPoint
        StringBuilder out = new StringBuilder(sign);
        if (decimalPoint <= -4 || decimalPoint > 16) {
            out.append(digits.charAt(0));
            if (n > 1) {
                out.append('.').append(digits, 1, n);
            }
            int exponent = decimalPoint - 1;
            out.append('e').append(exponent < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exponent));
            out.append(e.length() < 2 ? "0" + e : e);
        } else if (decimalPoint <= 0) {
            out.append("0.").append("0".repeat(-decimalPoint)).append(digits);
        } else if (decimalPoint >= n) {
            out.append(digits).append("0".repeat(decimalPoint - n)).append(".0");
        } else {
            out.append(digits, 0, decimalPoint).append('.').append(digits, decimalPoint, n);
        }
        return out.toString();
    }

    /** {@code json.dumps(s)} with the default {@code ensure_ascii=True}. */
    static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') {
                        out.append(c);
                    } else {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // ---- log2 ----

    private static final MathContext LOG_PRECISION = new MathContext(40);
    private static final BigDecimal LN2 = lnOfMantissa(new BigDecimal(2));
    private static double[] log2Table = new double[0];

    /**
     * {@code math.log2(n)} for an integer {@code n >= 1} as CPython on glibc computes it. CPython calls
     * the C library's log2; glibc's (since 2.28) is correctly rounded for every integer in 1..20001 except
     * these, where it returns the next double up (exact value within 0.5001 ulp of both neighbours).
     * Checked against Python 3.11 / glibc 2.36 for 1..20001.
     */
    private static final int[] GLIBC_LOG2_ROUNDS_UP = {1621, 3242, 6484, 12968};

    /** See {@link #GLIBC_LOG2_ROUNDS_UP}; ranks beyond 20001 are correctly rounded (may differ by 1 ulp). */
    static synchronized double log2(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (n >= log2Table.length) {
            int size = Math.max(n + 1, Math.max(64, 2 * log2Table.length));
            double[] table = java.util.Arrays.copyOf(log2Table, size);
            for (int i = Math.max(1, log2Table.length); i < size; i++) {
                table[i] = exactLog2(i);
                if (java.util.Arrays.binarySearch(GLIBC_LOG2_ROUNDS_UP, i) >= 0) {
                    table[i] = Math.nextUp(table[i]);
                }
            }
            log2Table = table;
        }
        return log2Table[n];
    }

    private static double exactLog2(int n) {
        int exponent = 31 - Integer.numberOfLeadingZeros(n);
        if (Integer.bitCount(n) == 1) {
            return exponent;
        }
        BigDecimal mantissa = new BigDecimal(n).divide(new BigDecimal(1L << exponent)); // in (1, 2), exact
        BigDecimal log = new BigDecimal(exponent).add(lnOfMantissa(mantissa).divide(LN2, LOG_PRECISION));
        return log.doubleValue();
    }

    /** ln(m) = 2 atanh((m - 1) / (m + 1)) for m in [1, 2], where the series converges fast (z <= 1/3). */
    private static BigDecimal lnOfMantissa(BigDecimal m) {
        BigDecimal z = m.subtract(BigDecimal.ONE).divide(m.add(BigDecimal.ONE), LOG_PRECISION);
        BigDecimal z2 = z.multiply(z, LOG_PRECISION);
        BigDecimal power = z;
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal epsilon = BigDecimal.ONE.movePointLeft(48);
        for (int k = 1; power.compareTo(epsilon) > 0; k += 2) {
            sum = sum.add(power.divide(new BigDecimal(k), LOG_PRECISION), LOG_PRECISION);
            power = power.multiply(z2, LOG_PRECISION);
        }
        return sum.multiply(new BigDecimal(2), LOG_PRECISION);
    }
}
