package reco.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A shared secret callers present as {@code authorization: Bearer TOKEN} (the admin token, the explain
 * token). Only its SHA-256 digest is kept, and presented tokens are compared in constant time
 * ({@link MessageDigest#isEqual} of the digests).
 */
public final class BearerToken {
    /** Shortest token accepted: 128 bits of hex, or 16 random characters. */
    public static final int MIN_TOKEN_BYTES = 16;
    private static final String BEARER = "bearer ";

    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    /**
     * @param what what the token is for, for messages ("admin token")
     * @throws IllegalArgumentException when the token is shorter than {@link #MIN_TOKEN_BYTES} or not printable ASCII
     */
    public static BearerToken of(String token, String what) {
        if (token == null || token.strip().length() < MIN_TOKEN_BYTES) {
            throw new IllegalArgumentException("the " + what + " must have at least " + MIN_TOKEN_BYTES
                    + " characters (e.g. `openssl rand -hex 32`)");
        }
        if (!token.strip().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the " + what + " must be printable ASCII without spaces");
        }
        return new BearerToken(sha256(token.strip()));
    }

    /**
     * The token stored in {@code file} (its first line, surrounding white space removed): a file, not a
     * flag or an environment variable, so that the token shows neither in process listings nor in the
     * environment of child processes.
     */
    public static BearerToken fromFile(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException(what + " file " + file + " does not exist or is not readable");
        }
        String firstLine = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
        try {
            return of(firstLine, what);
        } catch (IllegalArgumentException e) {
            throw new IOException(what + " file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code authorization} (a header value, or null) is {@code Bearer} followed by this token. */
    public boolean matches(String authorization) {
        return isBearer(authorization)
                && MessageDigest.isEqual(sha256(authorization.substring(BEARER.length()).strip()), digest);
    }

    /** Whether {@code authorization} presents some bearer token at all. */
    public static boolean isBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
