package reco.it;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import reco.model.format.ModelFileWriter;
import reco.model.format.SectionType;
import reco.model.generation.Generation;
import reco.model.generation.GenerationFiles;
import reco.model.generation.GenerationWriter;
import reco.model.generation.IdIndex;
import reco.model.generation.Manifest;
import reco.v1.GetModelInfoRequest;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The storage half of the hostile suite (docs/reliability.md, "Model files and publishing"), with
 * real processes through {@code bin/reco}: trainers killed at every publishing step, a full disk, two
 * trainers on one model root; a server fed damaged, misnamed, mixed and non-finite generations, a
 * corrupted Chronicle Map, a file truncated under it, and a cold start on a damaged CURRENT.
 *
 * <p>Trainers train a small synthetic set (300 users, 400 items) so each run takes seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageFaultsIT {
    /** Poll interval of the servers started here: short, so refusals show up quickly. */
    private static final String POLL = "200ms";
    /** How long a server may take to notice and log something: a hang, not slowness, fails. */
    private static final Duration NOTICE = Duration.ofSeconds(60);

    @TempDir
    static Path work;

    private final Launcher launcher = Launcher.ofRepository();
    private Path interactions;
    /** A root holding two trained generations: {@link #older} and {@link #newer} (CURRENT). */
    private Path pristine;
    private String older;
    private String newer;

    @BeforeAll
    void trainTwoGenerations() throws Exception {
        interactions = work.resolve("interactions.tsv");
        StringBuilder rows = new StringBuilder();
        Random random = new Random(12);
        for (int u = 0; u < 300; u++) {
            for (int k = 0; k < 20; k++) {
                rows.append("user-").append(u).append('\t').append("item-").append(random.nextInt(400)).append('\t')
                        .append(1 + random.nextInt(5)).append('\t').append(1_600_000_000L + random.nextInt(10_000_000))
                        .append('\n');
            }
        }
        Files.writeString(interactions, rows, StandardCharsets.UTF_8);
        pristine = work.resolve("pristine");
        older = published(train(pristine));
        newer = published(train(pristine));
        assertNotEquals(older, newer);
    }

    private Launcher.Result train(Path root, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("train", "--interactions", interactions.toString(), "--out", root.toString()));
        args.addAll(List.of(extra));
        return launcher.run(args.toArray(String[]::new));
    }

    private static String published(Launcher.Result r) {
        assertEquals(0, r.exitCode(), r::describe);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("published generation (\\S+)").matcher(r.stdout());
        assertTrue(m.find(), r::describe);
        return m.group(1);
    }

    /** A fresh copy of the two-generation root. */
    private Path copyOfPristine(String name) throws IOException {
        Path root = work.resolve(name);
        copyTree(pristine, root);
        return root;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Copies generation {@code from} of {@code root} to {@code name}, applies {@code damage}, points CURRENT at it. */
    private static Path publishCopy(Path root, String from, String name, Consumer<Path> damage) throws IOException {
        Path copy = root.resolve(name);
        copyTree(root.resolve(from), copy);
        damage.accept(copy);
        GenerationWriter.publishCurrent(root, name);
        return copy;
    }

    /** Rewrites a generation's manifest. */
    private static void editManifest(Path dir, java.util.function.UnaryOperator<Manifest> edit) {
        try {
            Path file = dir.resolve(GenerationFiles.MANIFEST);
            Files.write(file, edit.apply(Manifest.read(file)).toJson());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Manifest withFiles(Manifest m, Consumer<List<Manifest.FileEntry>> change) {
        List<Manifest.FileEntry> files = new ArrayList<>(m.files());
        change.accept(files);
        return new Manifest(m.formatVersion(), m.generationId(), m.createdAt(), m.trainerVersion(), m.inputs(),
                m.counts(), m.models(), m.defaultModel(), m.parameters(), files);
    }

    /** Lists {@code name} with its current size and checksum: the manifest "repaired" to fit the file. */
    private static void relist(Path dir, String name) {
        try {
            Path p = dir.resolve(name);
            Manifest.FileEntry entry = new Manifest.FileEntry(name, Files.size(p), GenerationWriter.crc32cHex(p));
            editManifest(dir, m -> withFiles(m, files -> {
                files.removeIf(f -> f.name().equals(name));
                files.add(entry);
            }));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> entries(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> leftovers(Path root) throws IOException {
        return entries(root).stream().filter(n -> n.startsWith(GenerationFiles.TEMP_PREFIX)
                || n.startsWith(GenerationFiles.CURRENT_TEMP_PREFIX)).toList();
    }

    /** CURRENT names a directory that opens as a complete, valid generation. */
    private static String assertCurrentIsComplete(Path root) throws IOException {
        Path dir = Generation.currentDirectory(root);
        try (Generation g = Generation.open(dir)) {
            assertTrue(g.itemCount() > 0);
        }
        return dir.getFileName().toString();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + NOTICE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static String servedId(Launcher.ServerProcess server) {
        return RecommenderGrpc.newBlockingStub(server.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                .getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId();
    }

    // ---------------------------------------------------------------- trainer faults

    @Test
    void aTrainerKilledAtAnyPublishingStepLeavesCurrentNamingACompleteGeneration() throws Exception {
        Path root = copyOfPristine("killed");
        List<String> before = leftovers(root);
        assertEquals(List.of(), before);
        for (String step : List.of("files-written", "manifest-written", "renamed", "current-temp-written")) {
            Launcher.Result killed = launcher.withEnvironment(java.util.Map.of("RECO_JAVA_OPTS", "-Dreco.publish.haltAt=" + step))
                    .run("train", "--interactions", interactions.toString(), "--out", root.toString());
            assertEquals(137, killed.exitCode(), killed::describe);
            assertTrue(killed.stderr().contains("halting at publish step " + step), killed::describe);
            // what a reader sees right after the kill: CURRENT still names the last complete generation
            assertEquals(newer, assertCurrentIsComplete(root), step);
            List<String> left = leftovers(root);
            switch (step) {
                case "files-written", "manifest-written" -> assertEquals(1, left.size(), step + ": " + left);
                case "renamed" -> assertEquals(List.of(), left, "renamed into place: complete, just not published");
                default -> assertEquals(1, left.size(), step + ": " + left); // CURRENT.tmp-PID
            }
            assertTrue(left.stream().noneMatch(n -> before.contains(n)), "the previous kill's leftovers were removed: " + left);
        }
        String published = published(train(root));
        assertEquals(published, assertCurrentIsComplete(root));
        assertEquals(List.of(), leftovers(root), "the next run leaves nothing temporary: " + entries(root));
    }

    @Test
    void aFullDiskFailsTheTrainerWithOneLineAndLeavesCurrentAndNoTemporaryFiles() throws Exception {
        Path root = copyOfPristine("disk-full");
        // a file size limit stands in for a full disk: the first write past 64 KiB fails (EFBIG, as ENOSPC would)
        Launcher limited = launcher.withEnvironment(java.util.Map.of("RECO_CDS", "0"))
                .wrappedIn(List.of("bash", "-c", "ulimit -f 64 && exec \"$0\" \"$@\""));
        Launcher.Result r = limited.run("train", "--interactions", interactions.toString(), "--out", root.toString());
        assertEquals(1, r.exitCode(), r::describe);
        List<String> errors = r.stderr().lines().filter(l -> l.startsWith("reco train: ")).toList();
        assertEquals(1, errors.size(), r::describe);
        assertTrue(errors.getFirst().contains("cannot write ") && errors.getFirst().contains("File too large"), r::describe);
        assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.describe());
        assertEquals(newer, assertCurrentIsComplete(root));
        assertEquals(List.of(), leftovers(root), entries(root).toString());
    }

    @Test
    void twoTrainersOnOneRootTakeTurnsAndCurrentsDirectoryAlwaysExists() throws Exception {
        Path root = copyOfPristine("two-trainers");
        Path resume = work.resolve("resume-first-trainer");
        Launcher.RunningCommand first = launcher.withEnvironment(java.util.Map.of("RECO_JAVA_OPTS",
                        "-Dreco.publish.pauseAt=files-written -Dreco.publish.pauseMillis=200000 -Dreco.publish.resumeFile=" + resume))
                .start("train", "--interactions", interactions.toString(), "--out", root.toString());
        first.awaitStderr("pausing", Launcher.COMMAND_TIMEOUT);
        Launcher.RunningCommand second = launcher.start("train", "--interactions", interactions.toString(),
                "--out", root.toString());
        List<String> missing = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread watcher = Thread.ofPlatform().daemon().start(() -> {
            while (first.isAlive() || second.isAlive()) {
                try {
                    Generation.currentDirectory(root);
                } catch (IOException e) {
                    missing.add(e.getMessage());
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        second.awaitStderr("another trainer is writing to " + root, Launcher.COMMAND_TIMEOUT);
        assertTrue(first.isAlive(), "the first still holds the root");
        Files.writeString(resume, "go");
        Launcher.Result firstResult = first.await();
        Launcher.Result secondResult = second.await();
        watcher.join(10_000);
        String firstId = published(firstResult);
        String secondId = published(secondResult);
        assertTrue(secondId.compareTo(firstId) > 0, "the second waited for the first: " + firstId + ", " + secondId);
        assertEquals(List.of(), missing, "CURRENT always named an existing generation");
        assertEquals(secondId, assertCurrentIsComplete(root));
        assertTrue(Files.isDirectory(root.resolve(firstId)), "the second trainer kept the first's generation");
        assertEquals(List.of(), leftovers(root));
    }

    // ---------------------------------------------------------------- server faults

    @Test
    void badPublicationsAreRefusedWhileTheOldGenerationKeepsServing() throws Exception {
        Path root = copyOfPristine("bad-publications");
        Files.writeString(root.resolve("other"), "a file outside every generation");
        try (Launcher.ServerProcess server = launcher.startServer("serve", "--model", root.toString(), "--port", "0",
                "--poll-interval", POLL)) {
            assertEquals(newer, server.initialGenerationId());
            Path current = root.resolve(GenerationFiles.CURRENT);
            Files.createDirectories(root.resolve(GenerationFiles.TEMP_PREFIX + "gen-x-1"));
            int refusals = 0;
            // CURRENT holding something other than the name of a generation directory of the root
            for (byte[] junk : List.of("../x\n".getBytes(StandardCharsets.UTF_8), (root.resolve(older) + "\n").getBytes(StandardCharsets.UTF_8),
                    ".tmp-gen-x-1\n".getBytes(StandardCharsets.UTF_8), "gen-19700101-000000-000\n".getBytes(StandardCharsets.UTF_8),
                    new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'})) {
                Path next = root.resolve("CURRENT.next");
                Files.write(next, junk);
                Files.move(next, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                int n = ++refusals;
                await("refusal " + n + " of CURRENT", () -> countRefusals(server, "refused generation " + current) == n);
                assertEquals(newer, servedId(server));
            }
            // manifests naming files outside the generation, a device, a FIFO
            Path fifo = root.resolve("a-fifo");
            assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor(), "mkfifo");
            String[][] names = {{"gen-99990101-000000-001", "../other"}, {"gen-99990101-000000-002", "/dev/zero"},
                    {"gen-99990101-000000-003", "a-fifo"}};
            for (String[] entry : names) {
                Path copy = publishCopy(root, newer, entry[0], dir -> {
                    if (entry[1].equals("a-fifo")) {
                        try {
                            Files.move(fifo, dir.resolve("a-fifo"));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                    editManifest(dir, m -> withFiles(m, files -> files.add(new Manifest.FileEntry(entry[1], 0, "00000000"))));
                });
                await("the refusal of " + entry[1], () -> server.stderr().contains("refused generation " + copy));
                assertEquals(newer, servedId(server));
            }
            // a valid file copied in from another generation, the manifest made to fit it
            Path mixed = publishCopy(root, newer, "gen-99990101-000000-004", dir -> {
                try {
                    Files.copy(root.resolve(older).resolve(GenerationFiles.POPULARITY), dir.resolve(GenerationFiles.POPULARITY),
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                relist(dir, GenerationFiles.POPULARITY);
            });
            await("the refusal of the mixed generation", () -> server.stderr().contains("refused generation " + mixed));
            assertTrue(server.stderr().contains("belongs to generation '" + older + "'"), server::describe);
            // NaN embeddings and infinite neighbour scores behind valid checksums
            Path nan = publishCopy(root, newer, "gen-99990101-000000-005",
                    dir -> rewriteFloats(dir, GenerationFiles.embeddings("als-users"), Float.NaN));
            await("the refusal of NaN embeddings", () -> server.stderr().contains("refused generation " + nan));
            Path inf = publishCopy(root, newer, "gen-99990101-000000-006",
                    dir -> rewriteFloats(dir, GenerationFiles.neighbors("item-knn"), Float.POSITIVE_INFINITY));
            await("the refusal of infinite scores", () -> server.stderr().contains("refused generation " + inf));
            assertTrue(server.stderr().contains("is not finite"), server::describe);
            assertEquals(newer, servedId(server));
            // and a good one is picked up again
            GenerationWriter.publishCurrent(root, older);
            await("the switch back to " + older, () -> servedId(server).equals(older));
            assertEquals(0, server.stop(), server::describe);
        }
    }

    private static int countRefusals(Launcher.ServerProcess server, String text) {
        return (int) server.stderr().lines().filter(l -> l.contains(text)).count();
    }

    /**
     * Replaces the first float of the file's {@code vectors} (embeddings) or {@code scores} (neighbour
     * lists) section with {@code value}, then re-seals the footer, re-stamps the header and relists the
     * file: every checksum is valid, only the value is not.
     */
    private static void rewriteFloats(Path dir, String name, float value) {
        try {
            Path file = dir.resolve(name);
            Path tmp = dir.resolve(name + ".rewrite");
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                boolean embeddings = name.startsWith("embeddings-");
                String format = embeddings ? GenerationFiles.FORMAT_EMBEDDINGS : GenerationFiles.FORMAT_NEIGHBORS;
                reco.model.format.ModelFile in = reco.model.format.ModelFile.open(file, format, arena, true);
                try (ModelFileWriter out = ModelFileWriter.create(tmp, format)) {
                    List<String> sections = embeddings ? List.of("shape", "vectors", "gram") : List.of("offsets", "items", "scores");
                    List<SectionType> types = embeddings ? List.of(SectionType.INT64, SectionType.FLOAT32, SectionType.FLOAT32)
                            : List.of(SectionType.INT64, SectionType.INT32, SectionType.FLOAT32);
                    for (int s = 0; s < sections.size(); s++) {
                        out.declare(sections.get(s), types.get(s), in.section(sections.get(s), types.get(s)).count());
                    }
                    out.begin();
                    for (int s = 0; s < sections.size(); s++) {
                        var seg = in.section(sections.get(s), types.get(s)).segment();
                        switch (types.get(s)) {
                            case INT64 -> out.putLongs(seg.toArray(reco.model.format.ModelFile.LONG));
                            case INT32 -> out.putInts(seg.toArray(reco.model.format.ModelFile.INT));
                            default -> {
                                float[] f = seg.toArray(reco.model.format.ModelFile.FLOAT);
                                if (f.length > 0 && sections.get(s).equals(embeddings ? "vectors" : "scores")) {
                                    f[0] = value;
                                }
                                out.putFloats(f);
                            }
                        }
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            ModelFileWriter.stampGenerationId(file, Manifest.read(dir.resolve(GenerationFiles.MANIFEST)).generationId());
            relist(dir, name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aCorruptedChronicleMapEntryNeverChangesALookup() throws Exception {
        Path root = copyOfPristine("chronicle");
        String user = "user-137";
        // a generation carrying a Chronicle Map of its user ids, as trainers before format 2 wrote
        Path dir = publishCopy(root, newer, "gen-99990101-000000-010", copy -> {
            try (Generation g = Generation.open(copy)) {
                List<String> ids = new ArrayList<>();
                for (int u = 0; u < g.userCount(); u++) {
                    ids.add(g.userIds().id(u));
                }
                IdIndex.write(copy.resolve(GenerationFiles.USER_INDEX), "user-index", ids);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            relist(copy, GenerationFiles.USER_INDEX);
        });
        try (Launcher.ServerProcess server = launcher.startServer("serve", "--model", root.toString(), "--port", "0",
                "--poll-interval", POLL)) {
            // the copy keeps the generation id of the one it was copied from; the log names the directory
            assertTrue(server.stderr().contains("from " + dir + ";"), server::describe);
            RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(server.channel())
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            RecommendForUserRequest request = RecommendForUserRequest.newBuilder().setUserId(user).setK(10).build();
            RecommendResponse before = stub.recommendForUser(request);
            assertFalse(before.getFallback(), "a known user gets personalised items");
            // damage the user's key in the Chronicle Map in place, where no sampled check would look
            Path map = dir.resolve(GenerationFiles.USER_INDEX);
            byte[] bytes = Files.readAllBytes(map);
            int at = indexOf(bytes, user.getBytes(StandardCharsets.UTF_8));
            assertTrue(at >= 0, "the key is stored in the map");
            try (FileChannel ch = FileChannel.open(map, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (bytes[at + user.length() - 1] ^ 0x01)}), at + user.length() - 1);
            }
            Thread.sleep(500); // a few polls
            RecommendResponse after = RecommenderGrpc.newBlockingStub(server.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .recommendForUser(request);
            assertEquals(before.getItemsList(), after.getItemsList(), "lookups never read the Chronicle Map");
            assertFalse(after.getFallback());
            assertEquals(0, server.stop(), server::describe);
        }
        // at the next start, every byte the manifest lists is checked: the damaged map is refused,
        // and the newest generation that validates is served instead
        try (Launcher.ServerProcess restarted = launcher.startServer("serve", "--model", root.toString(), "--port", "0")) {
            assertTrue(restarted.stderr().contains("from " + root.resolve(newer) + ";"), restarted::describe);
            assertTrue(restarted.stderr().contains(GenerationFiles.USER_INDEX + ": checksum mismatch"), restarted::describe);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aServedFileTruncatedInPlaceFailsOneCallAndTheServerMovesToAGenerationThatValidates() throws Exception {
        Path root = copyOfPristine("truncated");
        // no polling: the call's fault is what must trigger the re-validation
        try (Launcher.ServerProcess server = launcher.startServer("serve", "--model", root.toString(), "--port", "0",
                "--poll-interval", "1h")) {
            assertEquals(newer, server.initialGenerationId());
            try (FileChannel ch = FileChannel.open(root.resolve(newer).resolve(GenerationFiles.POPULARITY), StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            // an unknown user is answered from the popularity ranking, the file just truncated
            RecommendForUserRequest stranger = RecommendForUserRequest.newBuilder().setUserId("stranger").setK(5).build();
            try {
                RecommenderGrpc.newBlockingStub(server.channel()).withDeadlineAfter(30, TimeUnit.SECONDS).recommendForUser(stranger);
                fail("a call reading a truncated mapped file must fail");
            } catch (StatusRuntimeException e) {
                assertEquals(Status.Code.INTERNAL, e.getStatus().getCode(), server::describe);
            }
            await("the server to serve " + older, () -> servedId(server).equals(older));
            RecommendResponse answered = RecommenderGrpc.newBlockingStub(server.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .recommendForUser(stranger);
            assertEquals(5, answered.getItemsCount());
            assertEquals(older, answered.getGenerationId());
            assertTrue(server.stderr().contains("refused generation " + root.resolve(newer)), server::describe);
            assertEquals(0, server.stop(), "the process survived: " + server.describe());
        }
    }

    @Test
    void aColdStartOnADamagedCurrentServesTheNewestGenerationThatValidates() throws Exception {
        Path root = copyOfPristine("cold-start");
        Path damaged = root.resolve(newer).resolve(GenerationFiles.USER_HISTORIES);
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(damaged, bytes);
        try (Launcher.ServerProcess server = launcher.startServer("serve", "--model", root.toString(), "--port", "0",
                "--poll-interval", POLL)) {
            assertEquals(older, server.initialGenerationId(), server::describe);
            assertTrue(server.stderr().contains("refused generation " + root.resolve(newer)), server::describe);
            assertTrue(server.stderr().contains("checksum mismatch"), server::describe);
            assertTrue(server.stderr().contains("serving " + older + " instead of the generation CURRENT names"), server::describe);
            // CURRENT still names the damaged one: not retried on every poll
            Thread.sleep(1000);
            assertEquals(1, countRefusals(server, "refused generation " + root.resolve(newer)), server::describe);
            // the trainer publishes a good one: served
            String next = published(train(root));
            await("the new generation to be served", () -> servedId(server).equals(next));
            assertEquals(0, server.stop(), server::describe);
        }
        // nothing at all to serve: start-up fails with the reason
        Path empty = work.resolve("nothing-valid");
        Files.createDirectories(empty);
        copyTree(root.resolve(newer), empty.resolve(newer));
        GenerationWriter.publishCurrent(empty, newer);
        Launcher.Result failed = launcher.run("serve", "--model", empty.toString(), "--port", "0");
        assertEquals(1, failed.exitCode(), failed::describe);
        assertTrue(failed.stderr().contains("error: cannot serve") && failed.stderr().contains("checksum mismatch"), failed::describe);
    }
}
