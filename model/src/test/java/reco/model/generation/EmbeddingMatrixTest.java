package reco.model.generation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EmbeddingMatrixTest {
    @TempDir
    Path dir;

    /** Streaming rows (with the Gram matrix accumulated on the way) writes the same bytes as the in-memory writer. */
    @Test
    void streamedRowsWriteTheSameFileAsTheArray() throws Exception {
        int rows = 13, dims = 7;
        Random random = new Random(3);
        float[] data = new float[rows * dims];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        float[] gram = new float[dims * dims];
        for (int a = 0; a < dims; a++) {
            for (int b = 0; b < dims; b++) {
                double sum = 0;
                for (int r = 0; r < rows; r++) {
                    sum += (double) data[r * dims + a] * data[r * dims + b];
                }
                gram[a * dims + b] = (float) sum;
            }
        }
        List<float[]> list = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            list.add(Arrays.copyOfRange(data, r * dims, (r + 1) * dims));
        }
        EmbeddingMatrix.write(dir.resolve("array.bin"), data, rows, dims, gram);
        EmbeddingMatrix.write(dir.resolve("stream.bin"), rows, dims, list.iterator(), true);
        assertArrayEquals(Files.readAllBytes(dir.resolve("array.bin")), Files.readAllBytes(dir.resolve("stream.bin")));
        EmbeddingMatrix.write(dir.resolve("array-nogram.bin"), data, rows, dims, null);
        EmbeddingMatrix.write(dir.resolve("stream-nogram.bin"), rows, dims, list.iterator(), false);
        assertArrayEquals(Files.readAllBytes(dir.resolve("array-nogram.bin")), Files.readAllBytes(dir.resolve("stream-nogram.bin")));
    }

    @Test
    void aShortSourceOrAWrongRowLengthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddingMatrix.write(dir.resolve("short.bin"), 3, 2,
                List.of(new float[2], new float[2]).iterator(), false));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingMatrix.write(dir.resolve("wide.bin"), 1, 2,
                List.of(new float[3]).iterator(), false));
    }
}
