package reco.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Known answers from Python 3.11 on this machine. */
class PythonCompatTest {
    @Test
    void parseIntFollowsPythonInt() {
        assertEquals(BigInteger.valueOf(12), PythonCompat.parseInt(" 12 "));
        assertEquals(BigInteger.valueOf(3), PythonCompat.parseInt("+3"));
        assertEquals(BigInteger.ZERO, PythonCompat.parseInt("-0"));
        assertEquals(BigInteger.valueOf(1000), PythonCompat.parseInt("1_000"));
        assertEquals(BigInteger.valueOf(3), PythonCompat.parseInt("\u0663")); // ARABIC-INDIC DIGIT THREE
        assertEquals(BigInteger.valueOf(7), PythonCompat.parseInt("007"));
        assertEquals(BigInteger.valueOf(12), PythonCompat.parseInt("\u00a012\u2003"));
        assertEquals(new BigInteger("123456789012345678901234567890"),
                PythonCompat.parseInt("123456789012345678901234567890"));
        for (String invalid : new String[] {"1__0", "_1", "1_", "0x10", "1.0", "", "1e3", " ", "\u00a0", "12a"}) {
            assertNull(PythonCompat.parseInt(invalid), invalid);
        }
        assertNull(PythonCompat.parseInt("1".repeat(PythonCompat.MAX_INT_STR_DIGITS + 1)));
    }

    @Test
    void parseFloatFollowsPythonFloat() {
        assertEquals(4.5, PythonCompat.parseFloat(" 4.5 "));
        assertEquals(40.5, PythonCompat.parseFloat("4_0.5"));
        assertEquals(Double.POSITIVE_INFINITY, PythonCompat.parseFloat("inf"));
        assertEquals(Double.NEGATIVE_INFINITY, PythonCompat.parseFloat("-Infinity"));
        assertTrue(Double.isNaN(PythonCompat.parseFloat("nAn")));
        assertEquals(1000.0, PythonCompat.parseFloat("1e3"));
        assertEquals(0.5, PythonCompat.parseFloat(".5"));
        assertEquals(5.0, PythonCompat.parseFloat("5."));
        assertEquals(4.5, PythonCompat.parseFloat("\u0664.\u0665"));
        for (String invalid : new String[] {"1d", "0x1p3", "1_e3", "4.0f", "", ".", "e3", "NaNx", "Infinityy"}) {
            assertThrows(NumberFormatException.class, () -> PythonCompat.parseFloat(invalid), invalid);
        }
    }

    @Test
    void stringsCompareByCodePoint() {
        // sorted(['\uffff', '\U00010000', 'a', 'B']) == ['B', 'a', '\uffff', '\U00010000']
        assertTrue(PythonCompat.compareCodePoints("B", "a") < 0);
        assertTrue(PythonCompat.compareCodePoints("\uffff", "\ud800\udc00") < 0); // String.compareTo says > 0
        assertTrue("\uffff".compareTo("\ud800\udc00") > 0);
        assertTrue(PythonCompat.compareCodePoints("ab", "abc") < 0);
        assertEquals(0, PythonCompat.compareCodePoints("x\ud83d\ude00", "x\ud83d\ude00"));
    }

    @Test
    void roundIsHalfEvenOnTheBinaryValue() {
        assertEquals(0.123456, PythonCompat.round(0.1234565, 6));
        assertEquals(0.123457, PythonCompat.round(0.1234575, 6));
        assertEquals(0.0, PythonCompat.round(0.0000005, 6));
        assertEquals(2.67, PythonCompat.round(2.675, 2));
    }

    @Test
    void formatFixedMatchesPythonFormat() {
        assertEquals("0.12", PythonCompat.formatFixed(0.125, 2));
        assertEquals("1.0001", PythonCompat.formatFixed(1.00005, 4));
        assertEquals("0.0001", PythonCompat.formatFixed(0.00005, 4));
        assertEquals("0.3333", PythonCompat.formatFixed(0.33335, 4));
        assertEquals("2", PythonCompat.formatFixed(2.5, 0));
        assertEquals("0.0000", PythonCompat.formatFixed(0.0, 4));
    }

    @Test
    void floatReprMatchesPythonRepr() {
        double[] values = {1e-06, 5e-06, 1.2e-05, 0.0001, 0.000123, 0.123457, 1.0, 1e16, 1234567890123456.0, 1e22,
                0.1 + 0.2, 2.5e-7, 123.456, 0.0};
        String[] expected = {"1e-06", "5e-06", "1.2e-05", "0.0001", "0.000123", "0.123457", "1.0", "1e+16",
                "1234567890123456.0", "1e+22", "0.30000000000000004", "2.5e-07", "123.456", "0.0"};
        for (int i = 0; i < values.length; i++) {
            assertEquals(expected[i], PythonCompat.floatRepr(values[i]));
        }
    }

    @Test
    void jsonStringEscapesLikeJsonDumps() {
        // json.dumps('a"\\\n\x7f\u00e9\U0001F600\t\x01')
        assertEquals("\"a\\\"\\\\\\n\\u007f\\u00e9\\ud83d\\ude00\\t\\u0001\"",
                PythonCompat.jsonString("a\"\\\n\u007f\u00e9\ud83d\ude00\t\u0001"));
    }

    @Test
    void log2MatchesPythonMathLog2() {
        assertEquals(3.0, PythonCompat.log2(8));
        assertEquals(1.0, PythonCompat.log2(2));
        assertEquals(0.0, PythonCompat.log2(1));
        assertEquals(0.6309297535714575, 1.0 / PythonCompat.log2(3)); // repr(1 / math.log2(3))
        assertEquals(0.09377732931417286, 1.0 / PythonCompat.log2(1622));
        // math.log2(1621).hex(): glibc rounds this one up
        assertEquals(Double.parseDouble("0x1.5534944f1e1f1p+3"), PythonCompat.log2(1621));
        assertThrows(IllegalArgumentException.class, () -> PythonCompat.log2(0));
    }

    @Test
    void blankFollowsPythonStrip() {
        assertTrue(PythonCompat.isBlank(" \t\u00a0\u3000\u001c"));
        assertTrue(!PythonCompat.isBlank(" x "));
        assertTrue(!PythonCompat.isBlank("\u200b")); // ZERO WIDTH SPACE is not whitespace in Python
    }
}
