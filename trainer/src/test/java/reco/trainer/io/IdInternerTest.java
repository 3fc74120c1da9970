package reco.trainer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.trainer.data.IdDictionary;

class IdInternerTest {
    @TempDir
    Path dir;

    private static String randomId(Random random) {
        String alphabet = "0123456789abcXYZ\u00e9\u4e2d";
        int length = 1 + random.nextInt(random.nextBoolean() ? 7 : 20); // both short and long ids
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(random.nextInt(4) == 0 ? alphabet.length() : 3)));
        }
        return s.toString();
    }

    /** The interner must give exactly the indexes a plain String dictionary gives, in first-seen order. */
    @Test
    void agreesWithAPlainStringDictionary() throws IOException {
        Random random = new Random(11);
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            pool.add(randomId(random));
        }
        StringBuilder content = new StringBuilder();
        Map<String, Integer> expected = new LinkedHashMap<>();
        List<Integer> expectedRows = new ArrayList<>();
        for (int row = 0; row < 60_000; row++) {
            String id = pool.get(random.nextInt(pool.size()));
            // Quoted ids with an escaped quote take the String path; mix them in.
            boolean quote = random.nextInt(50) == 0;
            content.append(quote ? "\"" + id + "\"\"q\"" : id).append('\n');
            String value = quote ? id + "\"q" : id;
            expectedRows.add(expected.computeIfAbsent(value, k -> expected.size()));
        }
        Path file = Files.write(dir.resolve("ids.csv"), content.toString().getBytes(StandardCharsets.UTF_8));
        IdDictionary dictionary = new IdDictionary();
        IdInterner interner = new IdInterner(dictionary);
        List<Integer> rows = new ArrayList<>();
        try (RecordReader reader = RecordReader.open(file, ',', true, false)) {
            while (reader.next()) {
                rows.add(interner.intern(reader, 0));
            }
        }
        assertEquals(expectedRows, rows);
        assertEquals(List.copyOf(expected.keySet()), dictionary.ids());
    }
}
