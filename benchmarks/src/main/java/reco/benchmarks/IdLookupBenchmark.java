package reco.benchmarks;

import net.openhft.chronicle.map.ChronicleMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reco.model.format.ModelFile;
import reco.model.format.ModelFileWriter;
import reco.model.format.SectionType;
import reco.model.generation.GenerationFiles;
import reco.model.generation.IdIndex;
import reco.model.generation.IdList;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * External id -> dense index, the first thing every per-user or per-item call does: the hash table of
 * the mapped, checksummed id list (format 2, what the server answers with), a binary search over the
 * same list's sorted order (what a format-1 id list, without the table, falls back to) and a Chronicle
 * Map of the same ids (what generations before format 2 also carried). Lookups cycle through known
 * ids and, separately, ids the generation does not hold (an unknown user is a common request).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
// Random ids over a 1M-id list (~30 MB of list and map together): warm-up also warms the page cache.
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.VECTOR_MODULE, BenchmarkJvm.NATIVE_ACCESS,
        BenchmarkJvm.NO_CHRONICLE_ANALYTICS,
        // Chronicle Map's run-time code generation and off-heap access
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class IdLookupBenchmark {
    /** Lookups cycled through (a power of two: the index wraps with a mask). */
    private static final int QUERIES = 1 << 14;

    @Param({"10007", "1000003"})
    int ids;

    private Path directory;
    private Arena arena;
    private IdIndex index;
    private IdIndex sortedOnly;
    private ChronicleMap<CharSequence, Integer> chronicle;
    private String[] known;
    private int[] knownIndex;
    private String[] unknown;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        // user ids as logs carry them: numeric strings of varying length, in no particular order
        Random random = new Random(ids);
        List<String> all = new ArrayList<>(ids);
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (all.size() < ids) {
            String id = Long.toString(random.nextLong(1_000_000_000_000L));
            if (seen.add(id)) {
                all.add(id);
            }
        }
        directory = Files.createTempDirectory("reco-bench-ids");
        Path listFile = directory.resolve(GenerationFiles.USER_IDS);
        Path mapFile = directory.resolve(GenerationFiles.USER_INDEX);
        IdList.write(listFile, all);
        IdIndex.write(mapFile, "users", all);
        arena = Arena.ofShared();
        IdList list = IdList.open(ModelFile.open(listFile, GenerationFiles.FORMAT_IDS, arena, true));
        index = IdIndex.of(list);
        Path sortedFile = directory.resolve("sorted-only.bin");
        writeWithoutHashTable(sortedFile, all);
        sortedOnly = IdIndex.of(IdList.open(ModelFile.open(sortedFile, GenerationFiles.FORMAT_IDS, arena, true)));
        chronicle = ChronicleMap.of(CharSequence.class, Integer.class).createPersistedTo(mapFile.toFile());
        known = new String[QUERIES];
        knownIndex = new int[QUERIES];
        unknown = new String[QUERIES];
        for (int q = 0; q < QUERIES; q++) {
            knownIndex[q] = random.nextInt(ids);
            known[q] = all.get(knownIndex[q]);
            String u;
            do {
                u = Long.toString(random.nextLong(1_000_000_000_000L));
            } while (seen.contains(u));
            unknown[q] = u;
        }
        for (int q = 0; q < QUERIES; q++) {
            BenchmarkJvm.check(index.indexOf(known[q]) == knownIndex[q], "id list finds " + known[q]);
            BenchmarkJvm.check(chronicle.get(known[q]) == knownIndex[q], "chronicle map finds " + known[q]);
            BenchmarkJvm.check(index.indexOf(unknown[q]) == -1, "id list misses " + unknown[q]);
            BenchmarkJvm.check(sortedOnly.indexOf(known[q]) == knownIndex[q], "binary search finds " + known[q]);
            BenchmarkJvm.check(sortedOnly.indexOf(unknown[q]) == -1, "binary search misses " + unknown[q]);
        }
    }

    /** The id list's layout without its hash table (as format 1 wrote it): lookups binary-search. */
    private static void writeWithoutHashTable(Path file, List<String> ids) throws IOException {
        byte[][] encoded = new byte[ids.size()][];
        long total = 0;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = ids.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            total += encoded[i].length;
        }
        Integer[] order = new Integer[encoded.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> java.util.Arrays.compareUnsigned(encoded[a], encoded[b]));
        try (ModelFileWriter w = ModelFileWriter.create(file, GenerationFiles.FORMAT_IDS)) {
            w.declare("offsets", SectionType.INT64, encoded.length + 1L).declare("bytes", SectionType.BYTES, total)
                    .declare("sorted", SectionType.INT32, encoded.length).begin();
            long offset = 0;
            w.putLong(0);
            for (byte[] e : encoded) {
                w.putLong(offset += e.length);
            }
            for (byte[] e : encoded) {
                w.putBytes(e);
            }
            for (Integer i : order) {
                w.putInt(i);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        chronicle.close();
        arena.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public int idListKnown() {
        return index.indexOf(known[next++ & (QUERIES - 1)]);
    }

    @Benchmark
    public int binarySearchKnown() {
        return sortedOnly.indexOf(known[next++ & (QUERIES - 1)]);
    }

    @Benchmark
    public int binarySearchUnknown() {
        return sortedOnly.indexOf(unknown[next++ & (QUERIES - 1)]);
    }

    @Benchmark
    public Integer chronicleMapKnown() {
        return chronicle.get(known[next++ & (QUERIES - 1)]);
    }

    @Benchmark
    public int idListUnknown() {
        return index.indexOf(unknown[next++ & (QUERIES - 1)]);
    }

    @Benchmark
    public Integer chronicleMapUnknown() {
        return chronicle.get(unknown[next++ & (QUERIES - 1)]);
    }
}
