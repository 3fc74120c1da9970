package reco.model.generation;

import net.openhft.chronicle.map.ChronicleMap;
import reco.model.format.ModelFormatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * External id -> dense index. The persistent index is a Chronicle Map sized from the exact id count
 * and mean key length. Opening the first Chronicle Map in a JVM costs seconds (it generates and
 * compiles classes at run time), so {@link #open} returns at once and opens the map in the
 * background; until it is ready (or if it cannot be used) lookups binary-search the flat, checksummed
 * {@link IdList}, which gives the same answers. A server therefore serves as soon as its files are
 * mapped and validated, whatever the catalogue size.
 */
public final class IdIndex implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IdIndex.class.getName());

    private final IdList ids;
    private final Path file;
    private CompletableFuture<ChronicleMap<CharSequence, Integer>> ready; // null until startOpening()
    private volatile ChronicleMap<CharSequence, Integer> map;
    private volatile boolean closed;

    private IdIndex(IdList ids, Path file) {
        this.ids = ids;
        this.file = file;
    }

    /**
     * Starts opening the Chronicle Map in the background (idempotent). Servers call it once their
     * first generation is serving, so its seconds of compilation do not compete with start-up.
     */
    public synchronized void startOpening() {
        if (ready != null || closed) {
            return;
        }
        // its own daemon thread, not the common pool: that pool may be busy (or have one worker on a
        // 2-core machine) and close() waits for this open to finish
        ready = CompletableFuture.supplyAsync(() -> openAndCheck(file, ids),
                r -> Thread.ofPlatform().daemon().name("reco-id-index-open").start(r)).whenComplete((m, e) -> {
            if (e != null) {
                LOG.log(Level.WARNING, "id index " + file + " unusable, answering from the id list: " + rootMessage(e));
                return;
            }
            synchronized (this) {
                if (closed) {
                    m.close();
                } else {
                    map = m;
                }
            }
        });
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
     * Returns an index answering from {@code ids} at once and from the Chronicle Map {@code file}
     * once it has opened and passed a cross-check against the id list.
     */
    public static IdIndex open(Path file, IdList ids) throws IOException {
        if (!Files.exists(file)) {
            throw new ModelFormatException(ModelFormatException.Kind.MISSING, file, "no such file");
        }
        return new IdIndex(ids, file);
    }

    /** Opens the map and checks size and a sample of ids (always the first and last) against the list. */
    private static ChronicleMap<CharSequence, Integer> openAndCheck(Path file, IdList ids) {
        ChronicleMap<CharSequence, Integer> map;
        try {
            map = ChronicleMap.of(CharSequence.class, Integer.class).createPersistedTo(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(new ModelFormatException(ModelFormatException.Kind.CORRUPT, file,
                    "cannot open id index: " + e));
        }
        try {
            if (map.size() != ids.size()) {
                throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, file,
                        "holds " + map.size() + " ids, the id list " + ids.size());
            }
            int n = ids.size();
            int step = Math.max(1, n / 1000);
            for (int i = 0; i < n; i += step) {
                checkEntry(file, map, ids, i);
            }
            if (n > 0) {
                checkEntry(file, map, ids, n - 1);
            }
            return map;
        } catch (ModelFormatException | RuntimeException e) {
            map.close();
            throw new IllegalStateException(e);
        }
    }

    private static void checkEntry(Path file, ChronicleMap<CharSequence, Integer> map, IdList ids, int i)
            throws ModelFormatException {
        String id = ids.id(i);
        Integer found = map.get(id);
        if (found == null || found != i) {
            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, file,
                    "id '" + id + "' maps to " + found + ", the id list says " + i);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException || t instanceof IllegalStateException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Dense index of {@code id}, or -1 when unknown. */
    public int indexOf(CharSequence id) {
        ChronicleMap<CharSequence, Integer> m = map;
        if (m != null) {
            Integer i = m.get(id);
            return i == null ? -1 : i;
        }
        return ids.indexOf(id);
    }

    /** True once lookups go through the Chronicle Map (false while it opens, or if it failed). */
    public boolean chronicleMapReady() {
        return map != null;
    }

    /** Starts the open if needed and waits until the Chronicle Map has opened (or failed). */
    public boolean awaitChronicleMap() {
        startOpening();
        CompletableFuture<ChronicleMap<CharSequence, Integer>> pending;
        synchronized (this) {
            pending = ready;
        }
        if (pending == null) {
            return false; // closed
        }
        try {
            pending.join();
        } catch (RuntimeException e) {
            return false;
        }
        return map != null;
    }

    public long size() {
        return ids.size();
    }

    /**
     * Closes the Chronicle Map, first waiting for a background open still in progress (it reads the
     * id list's mapping, which the caller unmaps next).
     */
    @Override
    public void close() {
        CompletableFuture<ChronicleMap<CharSequence, Integer>> pending;
        synchronized (this) {
            pending = ready;
            closed = true; // no open starts after this
        }
        if (pending != null) {
            try {
                pending.join();
            } catch (RuntimeException e) {
                // it failed to open: nothing to close
            }
        }
        ChronicleMap<CharSequence, Integer> m;
        synchronized (this) {
            closed = true;
            m = map;
            map = null;
        }
        if (m != null) {
            m.close();
        }
    }
}
