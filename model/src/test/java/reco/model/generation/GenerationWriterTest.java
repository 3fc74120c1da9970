package reco.model.generation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publishing: one writer per model root, leftovers of killed writers removed, CURRENT's target kept. */
class GenerationWriterTest {
    @TempDir
    Path root;

    @Test
    void aSecondWriterWaitsForTheLockThenFailsWithAOneLineError() throws Exception {
        try (GenerationWriter first = GenerationWriter.begin(root)) {
            long start = System.nanoTime();
            GenerationWriter.RootLockedException e = assertThrows(GenerationWriter.RootLockedException.class,
                    () -> GenerationWriter.begin(root, Duration.ofMillis(300)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "it waited");
            assertTrue(e.getMessage().contains("another trainer is writing to " + root), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(Files.isDirectory(first.file("x").getParent()), "the holder's work is untouched");
        }
        // released by close(): the next writer gets it at once
        GenerationWriter.begin(root, Duration.ZERO).close();
    }

    @Test
    void aWaitingWriterProceedsOnceTheHolderPublishes() throws Exception {
        GenerationWriter first = GenerationWriter.begin(root);
        CompletableFuture<Path> second = CompletableFuture.supplyAsync(() -> {
            try {
                return GenerationTest.writeGeneration(root);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        assertFalse(second.isDone(), "the second writer waits while the first holds the root");
        first.close();
        Path published = second.get(30, TimeUnit.SECONDS);
        assertEquals(published, Generation.currentDirectory(root));
    }

    @Test
    void leftoversOfKilledWritersAreRemovedUnderTheLock() throws IOException {
        Path staleDir = root.resolve(GenerationFiles.TEMP_PREFIX + "gen-20000101-000000-000-1");
        Files.createDirectories(staleDir);
        Files.writeString(staleDir.resolve("item-ids.bin"), "half written");
        Path staleCurrent = root.resolve(GenerationFiles.CURRENT_TEMP_PREFIX + "1");
        Files.writeString(staleCurrent, "gen-20000101-000000-000\n");
        // PID 1 is alive in every container: a PID check alone would keep these for ever
        Path published = GenerationTest.writeGeneration(root);
        assertFalse(Files.exists(staleDir));
        assertFalse(Files.exists(staleCurrent));
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(List.of(GenerationFiles.CURRENT, GenerationFiles.LOCK, published.getFileName().toString()),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void currentAlwaysNamesAnExistingGenerationWhilePruning() throws IOException {
        for (int i = 0; i < 5; i++) {
            Path published = GenerationTest.writeGeneration(root);
            assertEquals(published, Generation.currentDirectory(root));
            assertTrue(Files.isDirectory(published));
        }
        assertEquals(3, GenerationWriter.generationNames(root).size(), "the newest 3 are kept");
    }

    @Test
    void aNewRootIsCreatedWithItsParents() throws IOException {
        Path nested = root.resolve("a/b/models");
        Path published = GenerationTest.writeGeneration(nested);
        assertEquals(published, Generation.currentDirectory(nested));
    }
}
