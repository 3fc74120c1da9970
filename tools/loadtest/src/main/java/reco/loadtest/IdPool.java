package reco.loadtest;

import reco.model.format.ModelFile;
import reco.model.generation.Generation;
import reco.model.generation.GenerationFiles;
import reco.model.generation.IdList;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The ids requests are drawn from: a generation's item or user dictionary (memory-mapped, read in
 * place), a text file, or a list. Safe to read from any thread.
 */
public final class IdPool {
    private final String source;
    private final int size;
    private final IntFunction<String> byIndex;

    private IdPool(String source, int size, IntFunction<String> byIndex) {
        this.source = source;
        this.size = size;
        this.byIndex = byIndex;
    }

    public static IdPool of(String source, List<String> ids) {
        List<String> copy = List.copyOf(ids);
        return new IdPool(source, copy.size(), copy::get);
    }

    /**
     * One id per line, used exactly as written (ids are opaque: no trimming beyond a trailing CR of
     * CRLF files); blank lines are skipped.
     */
    public static IdPool readTextFile(Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                if (!line.isBlank()) {
                    ids.add(line);
                }
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("id file " + file + " holds no ids (expected one id per line)");
        }
        return of(file.toString(), ids);
    }

    public int size() {
        return size;
    }

    public String id(int index) {
        return byIndex.apply(index);
    }

    /** Where the ids came from, for the report. */
    public String source() {
        return source;
    }

    /**
     * The item and user dictionaries of a generation, read from its flat id files only (no Chronicle
     * Map start-up, no checksum pass: a load test reads a few ids, the server validates the model).
     */
    public static final class GenerationIds implements AutoCloseable {
        private final Arena arena;
        private final IdPool items;
        private final IdPool users;

        private GenerationIds(Arena arena, IdPool items, IdPool users) {
            this.arena = arena;
            this.items = items;
            this.users = users;
        }

        /** {@code dir} is a model root (its CURRENT generation is used) or a generation directory. */
        public static GenerationIds open(Path dir) throws IOException {
            Path generation = Files.exists(dir.resolve(GenerationFiles.CURRENT)) ? Generation.currentDirectory(dir) : dir;
            // Shared: ids are read by the load generator's dispatcher thread, not the opening one.
            Arena arena = Arena.ofShared();
            try {
                IdPool items = mapped(generation.resolve(GenerationFiles.ITEM_IDS), arena);
                IdPool users = mapped(generation.resolve(GenerationFiles.USER_IDS), arena);
                return new GenerationIds(arena, items, users);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        }

        private static IdPool mapped(Path file, Arena arena) throws IOException {
            IdList list = IdList.open(ModelFile.open(file, GenerationFiles.FORMAT_IDS, arena, false));
            return new IdPool(file.toString(), list.size(), list::id);
        }

        public IdPool items() {
            return items;
        }

        public IdPool users() {
            return users;
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
