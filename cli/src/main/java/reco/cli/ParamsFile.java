package reco.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Training parameters as a properties file: {@code key=value} lines, keys are the train options without
 * the dashes ({@code ease-lambda=100}, {@code hybrid-weights=ease=1.0,als=0.5}), {@code #} comments.
 * {@code reco tune --write-params} writes one; {@code --params} reads it.
 */
public final class ParamsFile {
    private ParamsFile() {}

    /**
     * Reads and checks the keys.
     *
     * @throws IllegalArgumentException for an unknown key (with the file name and the known keys)
     */
    public static Map<String, String> read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : TrainOptions.KEYS) { // a fixed order: later keys refine earlier ones (neighbors, then ease-*)
            if (p.containsKey(key)) {
                values.put(key, p.getProperty(key));
            }
        }
        for (String key : p.stringPropertyNames()) {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException(file + ": unknown parameter '" + key + "'; known: "
                        + String.join(", ", TrainOptions.KEYS));
            }
        }
        return values;
    }

    /** Writes {@code values} (keys as in {@link TrainOptions#KEYS}) with comment lines on top, atomically. */
    public static void write(Path file, Map<String, String> values, List<String> comments) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (String c : comments) {
                out.write("# " + c.replace("\n", " ") + "\n");
            }
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (!TrainOptions.KEYS.contains(e.getKey())) {
                    throw new IllegalArgumentException("unknown parameter '" + e.getKey() + "'");
                }
                out.write(e.getKey() + "=" + e.getValue() + "\n");
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
