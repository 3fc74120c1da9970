package reco.trainer.eval;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** UTF-8 text I/O with the reference scripts' conventions. */
final class TextFiles {
    private TextFiles() {}

    /** One line of a file: its text without the line end and its 1-based number. */
    record Line(int number, String text) {}

    /** A consumer of lines that may reject one with an {@link IOException}. */
    @FunctionalInterface
    interface LineConsumer {
        void accept(int number, String text) throws IOException;
    }

    /**
     * Reads strictly decoded UTF-8 lines ending in {@code \n}, {@code \r\n} or {@code \r}, like Python's
     * {@code open(path, encoding="utf-8")} with universal newlines (the default).
     */
    static void forEachLine(Path file, LineConsumer consumer) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int number = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder),
                1 << 16)) {
            String text;
            while ((text = reader.readLine()) != null) {
                consumer.accept(++number, text);
            }
        } catch (CharacterCodingException e) {
            throw EvalInputException.at(file, number + 1, "not valid UTF-8 (at or after this line)");
        }
    }

    /** The lines that are not blank in Python's sense ({@code if ln.strip()}), with their numbers. */
    static List<Line> nonBlankLines(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        forEachLine(file, (number, text) -> {
            if (!PythonCompat.isBlank(text)) {
                lines.add(new Line(number, text));
            }
        });
        return lines;
    }

    /** Python's {@code s.split(sep)}: keeps empty fields, including trailing ones. */
    static String[] split(String text, char separator) {
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == separator) {
                count++;
            }
        }
        String[] fields = new String[count];
        int start = 0;
        int field = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == separator) {
                fields[field++] = text.substring(start, i);
                start = i + 1;
            }
        }
        fields[field] = text.substring(start);
        return fields;
    }

    /** Something that writes a file's content. */
    @FunctionalInterface
    interface Content {
        void writeTo(Writer out) throws IOException;
    }

    /**
     * Writes UTF-8 to {@code file + ".tmp"} and renames it over {@code file}, as split.py does, so a
     * concurrent reader never sees a partial file.
     */
    static void writeAtomically(Path file, Content content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp),
                StandardCharsets.UTF_8.newEncoder()), 1 << 16)) {
            content.writeTo(out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
