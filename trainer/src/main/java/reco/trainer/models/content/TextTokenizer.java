package reco.trainer.models.content;

import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Splits titles and free text into lowercase words: maximal runs of Unicode letters and digits,
 * at least {@value #MIN_TOKEN_LENGTH} characters, without English stop words.
 */
final class TextTokenizer {
    static final int MIN_TOKEN_LENGTH = 2;

    /** A trailing release year such as "(1995)" or a run such as "(2006-2007)", as MovieLens titles carry. */
    private static final Pattern TRAILING_YEAR = Pattern.compile("\\s*\\(\\d{4}(?:\\s*[-\u2013]\\s*(?:\\d{4})?)?\\)\\s*$");

    /**
     * Function words that would make unrelated items similar. Also the foreign articles MovieLens
     * moves to the end of titles ("Cité des enfants perdus, La"); "die" is left out on purpose
     * because it is an English word too ("Die Hard").
     */
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "for", "with", "by",
            "from", "as", "into", "onto", "about", "over", "under", "after", "before", "than", "then",
            "so", "if", "is", "it", "its", "be", "been", "being", "are", "was", "were", "am", "do", "does",
            "did", "has", "have", "had", "this", "that", "these", "those", "not", "no", "he", "she", "they",
            "we", "you", "his", "her", "him", "their", "them", "our", "us", "your", "me", "my", "who",
            "whom", "which", "what", "when", "where", "why", "how", "all", "any", "each", "there", "here",
            "will", "would", "can", "could", "should", "s", "t",
            "la", "le", "les", "el", "los", "las", "il", "der", "das", "des", "du", "de", "et");

    private TextTokenizer() {}

    /** Removes a trailing "(1995)"-style year from a title. */
    static String stripTrailingYear(String title) {
        return TRAILING_YEAR.matcher(title).replaceFirst("");
    }

    /** Emits the tokens of {@code text} in order (repeats included). */
    static void tokenize(String text, Consumer<String> sink) {
        if (text == null || text.isEmpty()) {
            return;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        int n = lower.length();
        int i = 0;
        while (i < n) {
            int cp = lower.codePointAt(i);
            if (!Character.isLetterOrDigit(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            int codePoints = 0;
            while (i < n) {
                cp = lower.codePointAt(i);
                if (!Character.isLetterOrDigit(cp)) {
                    break;
                }
                i += Character.charCount(cp);
                codePoints++;
            }
            if (codePoints >= MIN_TOKEN_LENGTH) {
                String token = lower.substring(start, i);
                if (!STOP_WORDS.contains(token)) {
                    sink.accept(token);
                }
            }
        }
    }

    /** Lowercase, trimmed, inner whitespace runs collapsed; empty when nothing is left. */
    static String normalizePhrase(String phrase) {
        if (phrase == null) {
            return "";
        }
        return phrase.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }
}
