package reco.model.generation;

import net.openhft.chronicle.map.ChronicleMap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * External id -> dense index, answered from the generation's checksummed {@link IdList} (its hash
 * table on the mapping; a binary search for version-1 files): every answer's bytes are compared with
 * the id and were covered by the CRC32C verified when the generation opened, so a lookup never returns
 * another user's index.
 *
 * <p>A generation also carries the same mapping as a Chronicle Map ({@link #write}), a persistent
 * hash map for tools that want one. The server does not read it: Chronicle Map has no read-only open
 * (a reader maps the file read-write and takes segment locks inside it, so a process killed
 * mid-lookup would leave the published file changed), its open costs seconds of run-time code
 * generation, and the id list's hash table answers at least as fast (docs/benchmarks.md, "Id lookups").
 */
public final class IdIndex {
    private final IdList ids;

    private IdIndex(IdList ids) {
        this.ids = ids;
    }

    /** An index answering from {@code ids}. */
    public static IdIndex of(IdList ids) {
        return new IdIndex(ids);
    }

    /**
     * Writes {@code ids} (dense index = list position) as a Chronicle Map sized from the exact id count
     * and mean key length.
     */
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

    /** Dense index of {@code id}, or -1 when unknown. */
    public int indexOf(CharSequence id) {
        return ids.indexOf(id);
    }

    public long size() {
        return ids.size();
    }
}
