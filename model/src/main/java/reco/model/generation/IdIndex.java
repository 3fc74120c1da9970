package reco.model.generation;

import net.openhft.chronicle.map.ChronicleMap;
import reco.model.format.ModelFormatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * External id -> dense index, persisted as a Chronicle Map sized from the exact id count and mean
 * key length. Opening the first Chronicle Map in a JVM costs seconds (it compiles classes at run
 * time), so servers open it off the request path.
 */
public final class IdIndex implements AutoCloseable {
    private final ChronicleMap<CharSequence, Integer> map;

    private IdIndex(ChronicleMap<CharSequence, Integer> map) {
        this.map = map;
    }

    public static void write(Path file, String name, List<String> ids) throws IOException {
        long keyBytes = 0;
        for (String id : ids) {
            keyBytes += id.getBytes(StandardCharsets.UTF_8).length;
        }
        double averageKey = ids.isEmpty() ? 8 : Math.max(1.0, (double) keyBytes / ids.size());
        try (ChronicleMap<CharSequence, Integer> map = ChronicleMap.of(CharSequence.class, Integer.class)
                .name(name)
                .entries(Math.max(1, ids.size()))
                .averageKeySize(averageKey)
                .createPersistedTo(file.toFile())) {
            for (int i = 0; i < ids.size(); i++) {
                map.put(ids.get(i), i);
            }
        }
    }

    /**
     * Opens an index and cross-checks it against the flat id list: same size, and a sample of ids
     * (always including the first and last) maps back to its own index.
     */
    public static IdIndex open(Path file, IdList ids) throws IOException {
        if (!Files.exists(file)) {
            throw new ModelFormatException(ModelFormatException.Kind.MISSING, file, "no such file");
        }
        ChronicleMap<CharSequence, Integer> map;
        try {
            map = ChronicleMap.of(CharSequence.class, Integer.class).createPersistedTo(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, file, "cannot open id index: " + e);
        }
        IdIndex index = new IdIndex(map);
        try {
            if (map.size() != ids.size()) {
                throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, file,
                        "holds " + map.size() + " ids, the id list " + ids.size());
            }
            int n = ids.size();
            int step = Math.max(1, n / 1000);
            for (int i = 0; i < n; i += step) {
                checkEntry(file, index, ids, i);
            }
            if (n > 0) {
                checkEntry(file, index, ids, n - 1);
            }
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
        return index;
    }

    private static void checkEntry(Path file, IdIndex index, IdList ids, int i) throws ModelFormatException {
        String id = ids.id(i);
        if (index.indexOf(id) != i) {
            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, file,
                    "id '" + id + "' maps to " + index.indexOf(id) + ", the id list says " + i);
        }
    }

    /** Dense index of {@code id}, or -1 when unknown. */
    public int indexOf(CharSequence id) {
        Integer i = map.get(id);
        return i == null ? -1 : i;
    }

    public long size() {
        return map.longSize();
    }

    @Override
    public void close() {
        map.close();
    }
}
