package reco.model.generation;

import reco.model.format.ModelFileFormat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Writes one generation so that no reader ever sees it half-written: files go into a temporary
 * directory under the model root; {@link #commit} writes the manifest last, forces everything to
 * disk, renames the directory into place and then atomically replaces {@code CURRENT}. A trainer
 * killed at any moment leaves at most a {@code .tmp-*} directory, which the next writer removes.
 *
 * <pre>{@code
 * try (GenerationWriter w = GenerationWriter.begin(root)) {
 *     IdList.write(w.file(GenerationFiles.ITEM_IDS), ids);
 *     ...
 *     w.commit(manifestWithoutFiles, 3);
 * }
 * }</pre>
 */
public final class GenerationWriter implements AutoCloseable {
    private static final DateTimeFormatter ID_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final Path root;
    private final Path temp;
    private final String generationId;
    private final Instant createdAt;
    private boolean committed;

    private GenerationWriter(Path root, Path temp, String generationId, Instant createdAt) {
        this.root = root;
        this.temp = temp;
        this.generationId = generationId;
        this.createdAt = createdAt;
    }

    /** Creates the model root if needed, removes stale temporary directories and starts a generation. */
    public static GenerationWriter begin(Path root) throws IOException {
        Files.createDirectories(root);
        removeStaleTemporaries(root);
        Instant now = Instant.now();
        String id = "gen-" + ID_FORMAT.format(now);
        int suffix = 1;
        while (Files.exists(root.resolve(id))) {
            id = "gen-" + ID_FORMAT.format(now) + "-" + (++suffix);
        }
        Path temp = root.resolve(GenerationFiles.TEMP_PREFIX + id + "-" + ProcessHandle.current().pid());
        Files.createDirectory(temp);
        return new GenerationWriter(root, temp, id, now);
    }

    private static void removeStaleTemporaries(Path root) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, GenerationFiles.TEMP_PREFIX + "*")) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                long pid = parsePid(name);
                if (pid > 0 && pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue; // another trainer is still writing it
                }
                deleteRecursively(d);
            }
        }
    }

    private static long parsePid(String tempName) {
        int dash = tempName.lastIndexOf('-');
        try {
            return Long.parseLong(tempName.substring(dash + 1));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    public String generationId() { return generationId; }
    public Instant createdAt() { return createdAt; }
    /** Path for a file of the generation being written. */
    public Path file(String name) { return temp.resolve(name); }

    /**
     * Completes the generation: fills in id, creation time, format version and the file list (sizes
     * and CRC32C) of {@code manifest}, writes it, publishes the directory and points CURRENT at it.
     * Keeps the newest {@code keep} generations (at least the new one) and deletes older ones.
     *
     * @return the published generation directory
     */
    public Path commit(Manifest manifest, int keep) throws IOException {
        List<Manifest.FileEntry> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(temp)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.equals(GenerationFiles.MANIFEST)) {
                    continue;
                }
                files.add(new Manifest.FileEntry(name, Files.size(p), crc32cHex(p)));
                force(p);
            }
        }
        Manifest complete = new Manifest(ModelFileFormat.CURRENT_VERSION, generationId, createdAt.toString(),
                manifest.trainerVersion(), manifest.inputs(), manifest.counts(), manifest.models(),
                manifest.defaultModel(), manifest.parameters(), files);
        Path manifestFile = temp.resolve(GenerationFiles.MANIFEST);
        Files.write(manifestFile, complete.toJson(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        force(manifestFile);
        force(temp);
        Path target = root.resolve(generationId);
        moveAtomically(temp, target);
        force(root);
        publishCurrent(root, generationId);
        committed = true;
        prune(root, Math.max(1, keep), generationId);
        return target;
    }

    /** Atomically points {@code root/CURRENT} at {@code generationId}. */
    public static void publishCurrent(Path root, String generationId) throws IOException {
        Path tmp = root.resolve(GenerationFiles.CURRENT + ".tmp-" + ProcessHandle.current().pid());
        Files.write(tmp, (generationId + "\n").getBytes(StandardCharsets.UTF_8));
        force(tmp);
        moveAtomically(tmp, root.resolve(GenerationFiles.CURRENT));
        force(root);
    }

    /** The generation id CURRENT names, or null when there is none. */
    public static String readCurrent(Path root) throws IOException {
        Path current = root.resolve(GenerationFiles.CURRENT);
        if (!Files.exists(current)) {
            return null;
        }
        String id = Files.readString(current, StandardCharsets.UTF_8).trim();
        return id.isEmpty() ? null : id;
    }

    private static void prune(Path root, int keep, String current) throws IOException {
        List<Path> generations = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "gen-*")) {
            for (Path d : dirs) {
                if (Files.isDirectory(d)) {
                    generations.add(d);
                }
            }
        }
        generations.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        for (int i = keep; i < generations.size(); i++) {
            if (!generations.get(i).getFileName().toString().equals(current)) {
                // a server still mapping these files keeps reading them: unlinking does not unmap
                deleteRecursively(generations.get(i));
            }
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            throw new IOException("cannot atomically move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    static void force(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // some file systems refuse fsync on directories; the rename is still atomic there
            }
        } else {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
    }

    /** CRC32C of a whole file, lower-case hex (8 digits). */
    public static String crc32cHex(Path p) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(p)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
            }
        }
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Without a commit, removes the temporary directory: nothing of this generation stays visible. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            deleteRecursively(temp);
        }
    }
}
