package reco.model.generation;

import reco.model.format.ModelFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderNotFoundException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * What an operator does with the generations of a model root besides training: list them, point
 * CURRENT at another one (roll back or forward), prune old ones, and pull one in from elsewhere. Every
 * change holds the root's writer lock ({@link GenerationWriter#lockRoot}), so it never interleaves with
 * a trainer's publication, and flips CURRENT with the trainer's own {@link GenerationWriter#publishCurrent}:
 * a server polling the root sees either the old name or the new one. A generation that does not
 * validate ({@link Generation#open(Path, boolean)} with checksums) is never made current.
 */
public final class Generations {
    /** How long a change waits for a trainer that is publishing into the same root. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofMinutes(5);
    private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*");

    private Generations() {}

    /**
     * A generation directory of a root, from its manifest.
     *
     * @param createdAt when the trainer made it (null when the manifest does not say)
     * @param bytes     the total size of the files its manifest lists
     * @param current   CURRENT names it
     * @param problem   null when the manifest reads and every file it lists is there with its size;
     *                  otherwise why it cannot be served (checksums are checked by {@link #activate})
     */
    public record Info(String id, Instant createdAt, long items, long users, long bytes, boolean current,
                       String problem) {}

    /** The root's generations, newest first. A root without generations gives an empty list. */
    public static List<Info> list(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new ModelFormatException(ModelFormatException.Kind.MISSING, root, "no such model directory");
        }
        String current = currentName(root);
        List<Info> infos = new ArrayList<>();
        for (String name : GenerationWriter.generationNames(root)) {
            infos.add(describe(root.resolve(name), name.equals(current)));
        }
        return infos;
    }

    /** CURRENT's generation name, or null when CURRENT is missing or unreadable. */
    private static String currentName(Path root) {
        try {
            return GenerationWriter.readCurrent(root);
        } catch (IOException e) {
            return null;
        }
    }

    private static Info describe(Path dir, boolean current) {
        String name = dir.getFileName().toString();
        Manifest m;
        try {
            m = Manifest.parse(Files.readAllBytes(dir.resolve(GenerationFiles.MANIFEST)));
        } catch (IOException | RuntimeException e) {
            return new Info(name, null, 0, 0, 0, current, Files.exists(dir.resolve(GenerationFiles.MANIFEST))
                    ? "unreadable manifest" : "incomplete: no manifest");
        }
        Instant created = null;
        try {
            created = m.createdAt() == null ? null : Instant.parse(m.createdAt());
        } catch (DateTimeParseException e) {
            // shown as unknown
        }
        long bytes = 0;
        String problem = null;
        for (Manifest.FileEntry f : m.files() == null ? List.<Manifest.FileEntry>of() : m.files()) {
            bytes += f.size();
            Path p = dir.resolve(f.name());
            try {
                if (problem == null && Files.size(p) != f.size()) {
                    problem = f.name() + " has " + Files.size(p) + " bytes, manifest says " + f.size();
                }
            } catch (IOException e) {
                problem = problem == null ? f.name() + " is missing" : problem;
            }
        }
        if (problem == null && !name.equals(m.generationId())) {
            problem = "manifest names generation " + m.generationId();
        }
        long items = m.counts() == null ? 0 : m.counts().items();
        long users = m.counts() == null ? 0 : m.counts().users();
        return new Info(name, created, items, users, bytes, current, problem);
    }

    /**
     * Points CURRENT at {@code id} after validating it fully (manifest, sizes, CRC32C, headers,
     * structure). CURRENT is left as it was when it does not validate.
     *
     * @throws ModelFormatException MISSING for an unknown generation, or why it does not validate
     * @throws IllegalArgumentException when {@code id} cannot be a generation name
     */
    public static void activate(Path root, String id, Duration lockWait) throws IOException {
        if (!GenerationFiles.isGenerationName(id)) {
            throw new IllegalArgumentException("'" + id + "' is not a generation name (1.."
                    + GenerationFiles.MAX_GENERATION_NAME + " characters of A-Z a-z 0-9 . _ -, not starting with '.')");
        }
        Path dir = root.resolve(id);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelFormatException(ModelFormatException.Kind.MISSING, dir, "no generation " + id + " under "
                    + root + " (`reco generations list` shows them)");
        }
        try (GenerationWriter.RootLock lock = GenerationWriter.lockRoot(root, lockWait)) {
            validate(dir);
            GenerationWriter.publishCurrent(root, id);
        }
    }

    /** Opens {@code dir} as a generation with every check and closes it again. */
    static void validate(Path dir) throws IOException {
        try (Generation g = Generation.open(dir, true)) {
            g.id();
        }
    }

    /**
     * Deletes all but the newest {@code keep} generations, never the one CURRENT names. A server still
     * serving a deleted generation keeps reading its mapped files until it swaps (unlinking does not
     * unmap them).
     *
     * @return the names deleted, newest first
     */
    public static List<String> prune(Path root, int keep, Duration lockWait) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
        if (!Files.isDirectory(root)) {
            throw new ModelFormatException(ModelFormatException.Kind.MISSING, root, "no such model directory");
        }
        List<String> removed = new ArrayList<>();
        try (GenerationWriter.RootLock lock = GenerationWriter.lockRoot(root, lockWait)) {
            String current = GenerationWriter.readCurrent(root);
            List<String> names = GenerationWriter.generationNames(root);
            for (int i = keep; i < names.size(); i++) {
                if (!names.get(i).equals(current)) {
                    GenerationWriter.deleteRecursively(root.resolve(names.get(i)));
                    removed.add(names.get(i));
                }
            }
            if (!removed.isEmpty()) {
                GenerationWriter.forceDirectory(root);
            }
        }
        return removed;
    }

    /**
     * Where a pull reads from: a local path, or a URI whose scheme has a {@link java.nio.file.spi.FileSystemProvider}
     * on the class path ({@code file:}, {@code jar:file:/x.zip!/dir} built in; an object store's NIO provider adds
     * its scheme).
     */
    public static Path sourcePath(String source) throws IOException {
        if (!URI_SCHEME.matcher(source).matches()) {
            return Path.of(source);
        }
        URI uri;
        try {
            uri = new URI(source);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a path or URI: " + source + " (" + e.getMessage() + ")");
        }
        try {
            return Path.of(uri);
        } catch (FileSystemNotFoundException notOpenYet) {
            try {
                FileSystems.newFileSystem(uri, Map.of()); // stays open for this process, like the default one
            } catch (ProviderNotFoundException | UnsupportedOperationException e) {
                throw new IllegalArgumentException("no file system for " + uri.getScheme() + ": URIs on the class path");
            }
            return Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read " + source + ": " + e.getMessage());
        }
    }

    /**
     * Copies a generation into {@code root} and makes it current. {@code source} is a generation
     * directory (it holds a manifest) or a model root (its CURRENT generation is copied). Every file the
     * manifest lists is copied with its CRC32C computed on the way and compared to the manifest, the
     * manifest last, into a temporary directory that is validated, renamed into place and only then
     * named in CURRENT. A generation already in the root is not copied again, only validated and made
     * current.
     *
     * @return the generation's name
     */
    public static String pull(Path source, Path root, Duration lockWait) throws IOException {
        Path sourceDir = Files.exists(source.resolve(GenerationFiles.MANIFEST)) ? source : sourceOfRoot(source);
        Path manifestFile = sourceDir.resolve(GenerationFiles.MANIFEST);
        Manifest manifest;
        try {
            manifest = Manifest.parse(Files.readAllBytes(manifestFile));
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, manifestFile,
                    "unreadable manifest: " + e.getMessage());
        }
        String id = manifest.generationId();
        if (!GenerationFiles.isGenerationName(id) || manifest.files() == null) {
            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, manifestFile,
                    "manifest lacks a generation id or its file list");
        }
        try (GenerationWriter.RootLock lock = GenerationWriter.lockRoot(root, lockWait)) {
            Path target = root.resolve(id);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    validate(target);
                } catch (ModelFormatException e) {
                    throw new IOException(target + " exists but does not validate (" + e.getMessage()
                            + "); delete it, then pull again", e);
                }
            } else {
                Path temp = root.resolve(GenerationFiles.TEMP_PREFIX + "pull-" + id + "-" + ProcessHandle.current().pid());
                GenerationWriter.deleteRecursively(temp);
                Files.createDirectory(temp);
                try {
                    for (Manifest.FileEntry f : manifest.files()) {
                        if (!GenerationFiles.isPlainFileName(f.name())) {
                            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, manifestFile,
                                    "lists '" + f.name() + "', which is not a plain file name");
                        }
                        copyChecked(sourceDir.resolve(f.name()), temp.resolve(f.name()), f);
                    }
                    Path manifestCopy = temp.resolve(GenerationFiles.MANIFEST);
                    Files.write(manifestCopy, Files.readAllBytes(manifestFile), StandardOpenOption.CREATE_NEW);
                    GenerationWriter.force(manifestCopy);
                    GenerationWriter.forceDirectory(temp);
                    validate(temp);
                    Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    GenerationWriter.forceDirectory(root);
                } finally {
                    GenerationWriter.deleteRecursively(temp);
                }
            }
            GenerationWriter.publishCurrent(root, id);
        }
        return id;
    }

    private static Path sourceOfRoot(Path source) throws IOException {
        Path current = source.resolve(GenerationFiles.CURRENT);
        if (!Files.exists(current)) {
            throw new ModelFormatException(ModelFormatException.Kind.MISSING, source,
                    "neither a generation (no " + GenerationFiles.MANIFEST + ") nor a model root (no CURRENT)");
        }
        String id = new String(Files.readAllBytes(current), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (!GenerationFiles.isGenerationName(id)) {
            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, current, "does not hold a generation name");
        }
        return source.resolve(id);
    }

    /** Copies one listed file, checking its size and CRC32C on the bytes read against the manifest. */
    private static void copyChecked(Path from, Path to, Manifest.FileEntry expected) throws IOException {
        if (!Files.exists(from)) {
            throw new ModelFormatException(ModelFormatException.Kind.MISSING, from, "listed in the manifest but missing");
        }
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(from);
             OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
                out.write(buffer, 0, n);
                size += n;
            }
        }
        if (size != expected.size()) {
            throw new ModelFormatException(ModelFormatException.Kind.TRUNCATED, from, "has " + size
                    + " bytes, the manifest says " + expected.size());
        }
        String actual = HexFormat.of().toHexDigits((int) crc.getValue());
        if (!actual.equalsIgnoreCase(expected.crc32c())) {
            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, from, "CRC32C " + actual
                    + ", the manifest says " + expected.crc32c() + " (damaged, or changed while copied)");
        }
        GenerationWriter.force(to);
    }
}
