package reco.benchmarks;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Fork;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds only, measures nothing: every benchmark class forks with flags taken from the parent
 * pom's {@code reco.jvm.flags} (so a renamed or dropped flag fails here, not silently in a fork),
 * and the JMH annotation processor registered all of them.
 */
class ForkFlagsTest {
    static final List<Class<?>> BENCHMARKS = List.of(DotProductBenchmark.class, ScoreAllBenchmark.class,
            TopKBenchmark.class, NeighborListsBenchmark.class, IdLookupBenchmark.class);

    @Test
    void forkFlagsComeFromRecoJvmFlags() {
        String property = System.getProperty("reco.jvm.flags");
        assertNotNull(property, "surefire must pass reco.jvm.flags (see benchmarks/pom.xml)");
        Set<String> allowed = Set.copyOf(Arrays.asList(property.trim().split("\\s+")));
        for (Class<?> benchmark : BENCHMARKS) {
            Fork fork = benchmark.getAnnotation(Fork.class);
            assertNotNull(fork, benchmark.getSimpleName() + " has no @Fork");
            assertTrue(fork.value() >= 1, benchmark.getSimpleName() + " must fork (in-process runs share JIT profiles)");
            List<String> flags = List.of(fork.jvmArgsAppend());
            assertTrue(flags.contains(BenchmarkJvm.VECTOR_MODULE), benchmark.getSimpleName() + " forks without the vector module");
            for (String flag : flags) {
                assertTrue(allowed.contains(flag), benchmark.getSimpleName() + ": " + flag + " is not in reco.jvm.flags");
            }
        }
    }

    @Test
    void annotationProcessorRegisteredEveryBenchmark() throws IOException {
        try (InputStream in = ForkFlagsTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList missing: jmh-generator-annprocess did not run");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Class<?> benchmark : BENCHMARKS) {
                assertTrue(list.contains(benchmark.getName()), benchmark.getName() + " not in BenchmarkList");
            }
            long registered = list.lines().filter(l -> !l.isBlank()).count();
            assertEquals(2 + 2 + 3 + 1 + 6, registered, "benchmark methods registered; update BENCHMARKS when adding a class");
        }
    }
}
