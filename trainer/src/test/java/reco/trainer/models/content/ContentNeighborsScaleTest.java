package reco.trainer.models.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import reco.model.Neighborhoods;
import reco.trainer.data.ItemMetadata;
import reco.trainer.progress.ProgressReporter;

/**
 * Scale run on a synthetic 100k-item catalogue (20 Zipf genres, 1-3 per item, 300 tags, 5k title
 * words). Long, so only with {@code -Dreco.scale=true}; {@code -Dreco.scale.items=N} changes the size.
 * Prints wall and process CPU time (other processes may share the cores) and asserts structure only.
 */
@EnabledIfSystemProperty(named = "reco.scale", matches = "true")
class ContentNeighborsScaleTest {

    @Test
    void syntheticCatalogue() {
        int items = Integer.getInteger("reco.scale.items", 100_000);
        ItemMetadata catalog = SyntheticCatalog.generate(items, 20, 300, 5_000, 2024);
        long cpu0 = processCpuNanos(), wall0 = System.nanoTime();
        ContentVectors vectors = ContentVectorizer.vectorize(catalog, ContentFeatureParams.defaults());
        long cpu1 = processCpuNanos(), wall1 = System.nanoTime();
        Neighborhoods nb = ContentNeighbors.compute(vectors, ContentNeighborParams.defaults(),
                new ProgressReporter(System.err, false));
        long cpu2 = processCpuNanos(), wall2 = System.nanoTime();
        System.err.printf("synthetic %d items, %d features, %d nnz: vectorize %.2f s wall (%.2f s cpu), "
                        + "neighbours K=100 %.2f s wall (%.2f s cpu) on %d processors%n",
                items, vectors.featureCount(), vectors.matrix().nnz(), (wall1 - wall0) / 1e9, (cpu1 - cpu0) / 1e9,
                (wall2 - wall1) / 1e9, (cpu2 - cpu1) / 1e9, Runtime.getRuntime().availableProcessors());
        assertEquals(items, nb.itemCount());
        assertTrue(nb.maxSize() == 100);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
