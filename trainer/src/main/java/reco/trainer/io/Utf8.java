package reco.trainer.io;

/** Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). */
final class Utf8 {
    private Utf8() {}

    static boolean isValid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int c = bytes[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int continuation;
            if (c >= 0xC2 && c <= 0xDF) {
                continuation = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                continuation = 2;
            } else if (c >= 0xF0 && c <= 0xF4) {
                continuation = 3;
            } else {
                return false;
            }
            if (i + continuation >= to) {
                return false;
            }
            for (int k = 1; k <= continuation; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            int second = bytes[i + 1] & 0xff;
            if ((c == 0xE0 && second < 0xA0) // overlong 3-byte form
                    || (c == 0xED && second > 0x9F) // UTF-16 surrogate
                    || (c == 0xF0 && second < 0x90) // overlong 4-byte form
                    || (c == 0xF4 && second > 0x8F)) { // above U+10FFFF
                return false;
            }
            i += continuation + 1;
        }
        return true;
    }
}
