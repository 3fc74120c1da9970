package reco.model.generation;

import reco.model.format.ModelFile;
import reco.model.format.ModelFileFormat;
import reco.model.format.ModelFileWriter;
import reco.model.format.ModelFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Writes one generation so that no reader ever sees it half-written: files go into a temporary
 * directory under the model root; {@link #commit} stamps every model file with the generation id,
 * writes the manifest last, forces everything to disk, renames the directory into place and then
 * atomically replaces {@code CURRENT}. A trainer killed at any moment leaves CURRENT naming a complete
 * generation, plus at most a {@code .tmp-*} directory and a {@code CURRENT.tmp-*} file, which the next
 * writer removes.
 *
 * <p>One writer per model root at a time: {@link #begin} takes an OS lock on {@code ROOT/LOCK}
 * ({@link FileChannel#lock}, so it holds across processes and containers whatever their PIDs, and the
 * OS drops it when the holder dies) and keeps it until the generation is published or abandoned. A
 * second writer waits for it, bounded, then fails with a one-line error.
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
    private static final Logger LOG = Logger.getLogger(GenerationWriter.class.getName());
    private static final DateTimeFormatter ID_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    /**
     * How long {@link #begin(Path)} waits for another writer to release the model root: writing and
     * publishing a generation takes seconds to minutes, so only a stuck holder makes a writer wait this
     * long.
     */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofMinutes(30);
    private static final long LOCK_POLL_MILLIS = 200;
    /** CURRENT is one short line; anything bigger is not a CURRENT file. */
    private static final int MAX_CURRENT_BYTES = 256;

    private final Path root;
    private final Path temp;
    private final String generationId;
    private final Instant createdAt;
    private final FileChannel lockChannel;
    private FileLock lock;
    private boolean committed;

    private GenerationWriter(Path root, Path temp, String generationId, Instant createdAt, FileChannel lockChannel,
                             FileLock lock) {
        this.root = root;
        this.temp = temp;
        this.generationId = generationId;
        this.createdAt = createdAt;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** {@link #begin(Path, Duration)} waiting up to {@link #DEFAULT_LOCK_WAIT} for the root's lock. */
    public static GenerationWriter begin(Path root) throws IOException {
        return begin(root, DEFAULT_LOCK_WAIT);
    }

    /**
     * Creates the model root if needed, takes its lock (waiting up to {@code lockWait} for another
     * writer), removes what killed writers left behind and starts a generation.
     *
     * @throws RootLockedException when another writer still holds the root after {@code lockWait}
     */
    public static GenerationWriter begin(Path root, Duration lockWait) throws IOException {
        createDirectoriesDurably(root);
        FileChannel lockChannel = FileChannel.open(root.resolve(GenerationFiles.LOCK),
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock = acquire(root, lockChannel, lockWait);
            describeHolder(lockChannel);
            removeLeftovers(root);
            Instant now = Instant.now();
            String id = GenerationFiles.GENERATION_PREFIX + ID_FORMAT.format(now);
            int suffix = 1;
            while (Files.exists(root.resolve(id), LinkOption.NOFOLLOW_LINKS)) {
                id = GenerationFiles.GENERATION_PREFIX + ID_FORMAT.format(now) + "-" + (++suffix);
            }
            Path temp = root.resolve(GenerationFiles.TEMP_PREFIX + id + "-" + ProcessHandle.current().pid());
            Files.createDirectory(temp);
            return new GenerationWriter(root, temp, id, now, lockChannel, lock);
        } catch (IOException | RuntimeException | Error e) {
            lockChannel.close(); // releases the lock if it was taken
            throw e;
        }
    }

    /**
     * The model root's writer lock without a generation: for operations that change what the root
     * holds other than by writing a generation (activating an older one, pruning, pulling one in), so
     * they never interleave with a trainer's publication. Creates the root if needed.
     *
     * @throws RootLockedException when another writer still holds the root after {@code lockWait}
     */
    public static RootLock lockRoot(Path root, Duration lockWait) throws IOException {
        createDirectoriesDurably(root);
        FileChannel channel = FileChannel.open(root.resolve(GenerationFiles.LOCK),
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            acquire(root, channel, lockWait);
            describeHolder(channel);
            return new RootLock(channel);
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    /** Held by {@link #lockRoot}; {@link #close} releases it. */
    public static final class RootLock implements AutoCloseable {
        private final FileChannel channel;

        private RootLock(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void close() throws IOException {
            channel.close(); // releases the lock
        }
    }

    /** Another writer kept the model root locked for longer than the caller would wait. */
    public static final class RootLockedException extends IOException {
        RootLockedException(String message) {
            super(message);
        }
    }

    private static FileLock acquire(Path root, FileChannel channel, Duration wait) throws IOException {
        long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
        boolean announced = false;
        while (true) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM already holds it (another writer in the same process)
            }
            if (lock != null) {
                if (announced) {
                    LOG.info("got the lock on " + root.resolve(GenerationFiles.LOCK));
                }
                return lock;
            }
            String holder = holder(channel);
            if (System.nanoTime() >= deadline) {
                throw new RootLockedException("another trainer is writing to " + root + " (" + holder + ", lock "
                        + root.resolve(GenerationFiles.LOCK) + "); gave up after " + wait.toSeconds()
                        + " s: retry when it has finished");
            }
            if (!announced) {
                LOG.warning("another trainer is writing to " + root + " (" + holder + "); waiting up to "
                        + wait.toSeconds() + " s for it to finish");
                announced = true;
            }
            try {
                Thread.sleep(LOCK_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the lock on " + root);
            }
        }
    }

    /** Writes who holds the lock into the lock file, for the message a waiting writer prints. */
    private static void describeHolder(FileChannel channel) throws IOException {
        String host = System.getenv("HOSTNAME");
        String text = "pid " + ProcessHandle.current().pid() + (host == null || host.isBlank() ? "" : " on " + host)
                + " since " + Instant.now() + "\n";
        channel.truncate(0);
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        long at = 0;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(200);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "holder unknown" : "held by " + text;
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    /**
     * Under the lock, anything temporary belongs to a writer that died: its generation directory (never
     * renamed into place, so never visible) and its CURRENT.tmp (never renamed over CURRENT).
     */
    private static void removeLeftovers(Path root) throws IOException {
        boolean removed = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.startsWith(GenerationFiles.TEMP_PREFIX) || name.startsWith(GenerationFiles.CURRENT_TEMP_PREFIX)) {
                    deleteRecursively(p);
                    removed = true;
                }
            }
        }
        if (removed) {
            forceDirectory(root);
        }
    }

    public String generationId() { return generationId; }
    public Instant createdAt() { return createdAt; }
    /** Path for a file of the generation being written. */
    public Path file(String name) { return temp.resolve(name); }

    /**
     * Completes the generation: stamps the generation id into every model file, fills in id, creation
     * time, format version and the file list (sizes and CRC32C) of {@code manifest}, writes it, publishes
     * the directory and points CURRENT at it. Keeps the newest {@code keep} generations (at least the
     * new one, and always the one CURRENT names) and deletes older ones.
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
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("generation " + generationId + " holds " + name
                            + ", which is not a regular file; a generation holds only regular files");
                }
                String crc;
                if (ModelFile.carriesGenerationId(p)) {
                    crc = hex(ModelFileWriter.stampGenerationId(p, generationId)); // forces the file
                } else {
                    crc = crc32cHex(p);
                    force(p);
                }
                files.add(new Manifest.FileEntry(name, Files.size(p), crc));
            }
        }
        PublishStep.FILES_WRITTEN.reached(temp);
        Manifest complete = new Manifest(ModelFileFormat.CURRENT_VERSION, generationId, createdAt.toString(),
                manifest.trainerVersion(), manifest.inputs(), manifest.counts(), manifest.models(),
                manifest.defaultModel(), manifest.parameters(), files);
        Path manifestFile = temp.resolve(GenerationFiles.MANIFEST);
        Files.write(manifestFile, complete.toJson(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        force(manifestFile);
        forceDirectory(temp);
        PublishStep.MANIFEST_WRITTEN.reached(temp);
        Path target = root.resolve(generationId);
        moveAtomically(temp, target);
        forceDirectory(root);
        PublishStep.RENAMED.reached(target);
        publishCurrent(root, generationId);
        committed = true;
        prune(root, Math.max(1, keep), generationId);
        releaseLock();
        return target;
    }

    /** Atomically points {@code root/CURRENT} at {@code generationId}. */
    public static void publishCurrent(Path root, String generationId) throws IOException {
        if (!GenerationFiles.isGenerationName(generationId)) {
            throw new IllegalArgumentException("not a generation name: '" + generationId + "'");
        }
        Path tmp = root.resolve(GenerationFiles.CURRENT_TEMP_PREFIX + ProcessHandle.current().pid());
        Files.write(tmp, (generationId + "\n").getBytes(StandardCharsets.UTF_8));
        force(tmp);
        PublishStep.CURRENT_TEMP_WRITTEN.reached(tmp);
        moveAtomically(tmp, root.resolve(GenerationFiles.CURRENT));
        forceDirectory(root);
    }

    /**
     * The generation name CURRENT holds, or null when there is no CURRENT (nothing published yet).
     *
     * @throws ModelFormatException CORRUPT when CURRENT is not a regular file holding one generation name
     */
    public static String readCurrent(Path root) throws IOException {
        Path current = root.resolve(GenerationFiles.CURRENT);
        if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!Files.isRegularFile(current, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, current, "not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(current)) {
            bytes = in.readNBytes(MAX_CURRENT_BYTES + 1);
        }
        if (bytes.length > MAX_CURRENT_BYTES) {
            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, current,
                    "longer than " + MAX_CURRENT_BYTES + " bytes: not a generation name");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, current, "not UTF-8 text");
        }
        String id = text.strip();
        if (id.isEmpty()) {
            return null;
        }
        if (!GenerationFiles.isGenerationName(id)) {
            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, current, "holds '"
                    + printable(id) + "', not a generation name (1.." + GenerationFiles.MAX_GENERATION_NAME
                    + " characters of A-Z a-z 0-9 . _ -, not starting with '.')");
        }
        return id;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 80); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }

    /**
     * The names of the root's generation directories, newest first (names sort by creation time):
     * {@code gen-*} directories whose names CURRENT could hold.
     */
    public static List<String> generationNames(Path root) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, GenerationFiles.GENERATION_PREFIX + "*")) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (GenerationFiles.isGenerationName(name) && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    names.add(name);
                }
            }
        }
        names.sort(Comparator.reverseOrder());
        return names;
    }

    private static void prune(Path root, int keep, String published) throws IOException {
        String current;
        try {
            current = readCurrent(root);
        } catch (ModelFormatException e) {
            current = published;
        }
        List<String> names = generationNames(root);
        boolean removed = false;
        for (int i = keep; i < names.size(); i++) {
            String name = names.get(i);
            if (!name.equals(published) && !name.equals(current)) {
                // a server still mapping these files keeps reading them: unlinking does not unmap
                deleteRecursively(root.resolve(name));
                removed = true;
            }
        }
        if (removed) {
            forceDirectory(root);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            throw new IOException("cannot atomically move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates {@code dir} and any missing parents, and forces each new entry's parent directory, so the
     * root survives a crash as surely as the generations written into it.
     */
    static void createDirectoriesDurably(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        List<Path> missing = new ArrayList<>();
        for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(p);
        }
        Files.createDirectories(absolute);
        for (int i = missing.size() - 1; i >= 0; i--) {
            Path parent = missing.get(i).getParent();
            if (parent != null) {
                forceDirectory(parent);
            }
        }
    }

    static void force(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            forceDirectory(p);
            return;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /**
     * fsync of a directory makes renames and new entries in it durable. A failure is an error, except
     * where the file system does not support syncing a directory at all (EINVAL / ENOTSUP): that is
     * logged once per directory with the reason, and the rename stays atomic though not yet durable.
     */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            String reason = String.valueOf(e.getMessage());
            String lower = reason.toLowerCase(Locale.ROOT);
            if (lower.contains("invalid argument") || lower.contains("not supported")) {
                if (UNSUPPORTED_DIRECTORY_SYNC.add(dir.toAbsolutePath().toString())) {
                    LOG.warning("cannot fsync directory " + dir + " (" + reason + "): the file system does not "
                            + "support it; a crash right after publishing may lose the last rename");
                }
                return;
            }
            throw new IOException("cannot fsync directory " + dir + ": " + reason, e);
        }
    }

    private static final java.util.Set<String> UNSUPPORTED_DIRECTORY_SYNC = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
        return hex(crc.getValue());
    }

    private static String hex(long crc) {
        return HexFormat.of().toHexDigits((int) crc);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void releaseLock() {
        try {
            if (lock != null) {
                lock.release();
                lock = null;
            }
            lockChannel.close();
        } catch (IOException e) {
            LOG.warning("cannot release the lock on " + root.resolve(GenerationFiles.LOCK) + ": " + e.getMessage()
                    + " (the OS releases it when this process exits)");
        }
    }

    /**
     * Without a commit, removes the temporary directory: nothing of this generation stays visible.
     * Releases the model root's lock in any case.
     */
    @Override
    public void close() throws IOException {
        try {
            if (!committed) {
                deleteRecursively(temp);
            }
        } finally {
            releaseLock();
        }
    }
}
