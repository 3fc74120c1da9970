package reco.trainer.eval;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The RECS file of holdout-v1: one line per user, {@code user \t item1,item2,...}, best first, UTF-8,
 * {@code \n} line ends. Read exactly as metrics.py's {@code read_recs}; written so that it reads back
 * unchanged.
 */
public final class RecommendationsFile {
    private RecommendationsFile() {}

    /**
     * Reads a RECS file like metrics.py: every line is a user (an empty line is the user {@code ""}),
     * fields after the second are ignored, empty items are dropped.
     *
     * @return user -> ranked items, in file order
     * @throws EvalInputException when a user is listed twice (file:line)
     */
    public static Map<String, List<String>> read(Path file) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        TextFiles.forEachLine(file, (number, text) -> {
            String[] p = TextFiles.split(text, '\t');
            if (out.containsKey(p[0])) {
                throw EvalInputException.at(file, number, "user " + p[0] + " listed twice");
            }
            List<String> items = new ArrayList<>();
            if (p.length > 1) {
                for (String item : TextFiles.split(p[1], ',')) {
                    if (!item.isEmpty()) {
                        items.add(item);
                    }
                }
            }
            out.put(p[0], items);
        });
        return out;
    }

    /** Writes all lists (map order) through a temporary file renamed into place. */
    public static void write(Path file, Map<String, ? extends List<String>> recommendations) throws IOException {
        try (Writer writer = open(file)) {
            for (Map.Entry<String, ? extends List<String>> e : recommendations.entrySet()) {
                writer.write(e.getKey(), e.getValue());
            }
        }
    }

    /** Opens a streaming writer; the file appears (atomically) when the writer is closed. */
    public static Writer open(Path file) throws IOException {
        return new Writer(file);
    }

    /**
     * One RECS line, without the line end.
     *
     * @throws IllegalArgumentException for ids that the format cannot carry (see {@link Writer#write})
     */
    public static String line(String user, List<String> items) {
        checkId("user", user, false);
        StringBuilder line = new StringBuilder(user).append('\t');
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            checkId("item", item, true);
            if (item.isEmpty()) {
                throw new IllegalArgumentException("item ids must not be empty (user " + user + ", rank " + (i + 1) + ")");
            }
            if (i > 0) {
                line.append(',');
            }
            line.append(item);
        }
        return line.toString();
    }

    private static void checkId(String what, String id, boolean isItem) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r' || (isItem && c == ',')) {
                throw new IllegalArgumentException(what + " id must not contain tab, line breaks"
                        + (isItem ? " or commas" : "") + ", got " + PythonCompat.jsonString(id));
            }
        }
    }

    /** Streams RECS lines to {@code file + ".tmp"} and renames it over {@code file} on close. */
    public static final class Writer implements Closeable {
        private final Path file;
        private final Path tmp;
        private final java.io.Writer out;
        private final Set<String> users = new HashSet<>();
        private boolean closed;

        private Writer(Path file) throws IOException {
            this.file = file;
            this.tmp = file.resolveSibling(file.getFileName() + ".tmp");
            this.out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp),
                    StandardCharsets.UTF_8.newEncoder()), 1 << 16);
        }

        /**
         * Appends one user's ranked list.
         *
         * @throws IllegalArgumentException when the user was already written, an id contains a tab or a
         *     line break, an item id contains a comma or is empty
         */
        public void write(String user, List<String> items) throws IOException {
            String line = line(user, items);
            if (!users.add(user)) {
                throw new IllegalArgumentException("user " + user + " already written to " + file);
            }
            out.write(line);
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            out.close();
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
