package reco.server.console;

import reco.model.generation.GenerationFiles;
import reco.model.generation.GenerationWriter;
import reco.model.generation.Manifest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generations under a model root, newest first, each described by its manifest: what the console's
 * overview lists side by side (counts, models and their parameters, training parameters, and any
 * tuning or validation results the trainer recorded). Manifests only: no model file is opened.
 *
 * <p>Input file paths are left out (they describe the training machine, not the model); sizes,
 * formats and checksums stay.
 */
public final class GenerationHistory {
    /** Most generations listed; a model root keeps a handful (the trainer prunes old ones). */
    static final int MAX_LISTED = 50;

    private GenerationHistory() {}

    /**
     * @param root        the model root the server serves from
     * @param servedId    the generation served now, or null
     * @return {@code {"current": ID, "served": ID, "generations": [...]}}; a generation whose manifest
     *         cannot be read is listed with an {@code error}
     */
    public static Map<String, Object> read(Path root, String servedId) throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                if (GenerationFiles.isGenerationName(name) && Files.isRegularFile(p.resolve(GenerationFiles.MANIFEST))) {
                    dirs.add(p);
                }
            }
        }
        // generation ids start with their creation time, so names sort by age
        dirs.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        String current;
        try {
            current = GenerationWriter.readCurrent(root);
        } catch (IOException e) {
            current = null;
        }
        List<Map<String, Object>> generations = new ArrayList<>();
        for (Path dir : dirs.subList(0, Math.min(dirs.size(), MAX_LISTED))) {
            generations.add(describe(dir));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("current", current);
        out.put("served", servedId);
        out.put("generations", generations);
        out.put("more", Math.max(0, dirs.size() - MAX_LISTED));
        return out;
    }

    private static Map<String, Object> describe(Path dir) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("id", dir.getFileName().toString());
        Manifest m;
        try {
            m = Manifest.read(dir.resolve(GenerationFiles.MANIFEST));
        } catch (IOException | RuntimeException e) {
            g.put("error", "manifest unreadable: " + e.getMessage());
            return g;
        }
        g.put("createdAt", m.createdAt());
        g.put("formatVersion", m.formatVersion());
        g.put("trainerVersion", m.trainerVersion());
        g.put("counts", m.counts());
        g.put("defaultModel", m.defaultModel());
        List<Map<String, Object>> models = new ArrayList<>();
        if (m.models() != null) {
            for (Manifest.ModelEntry e : m.models()) {
                Map<String, Object> model = new LinkedHashMap<>();
                model.put("name", e.name());
                model.put("neighborsPerItem", e.neighborsPerItem());
                model.put("dimensions", e.dimensions());
                model.put("recommendsForUsers", e.recommendsForUsers());
                model.put("parameters", e.parameters());
                models.add(model);
            }
        }
        g.put("models", models);
        g.put("parameters", m.parameters());
        List<Map<String, Object>> inputs = new ArrayList<>();
        if (m.inputs() != null) {
            for (Manifest.InputFile in : m.inputs()) {
                Map<String, Object> input = new LinkedHashMap<>();
                input.put("role", in.role());
                input.put("format", in.format());
                input.put("size", in.size());
                input.put("crc32c", in.crc32c());
                inputs.add(input);
            }
        }
        g.put("inputs", inputs);
        return g;
    }
}
