package reco.trainer.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The first line of a file, for format detection. */
final class FirstLine {
    private static final int MAX_BYTES = 64 * 1024;

    private FirstLine() {}

    /**
     * The first line (up to 64 KiB, without CR/LF, byte order mark dropped) decoded as latin-1,
     * which never fails and is enough to recognise ASCII header names; "" for an empty file.
     */
    static String of(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new InputException(path, "is a directory, expected a file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(MAX_BYTES);
        } catch (NoSuchFileException e) {
            throw new InputException(path, "no such file");
        } catch (AccessDeniedException e) {
            throw new InputException(path, "permission denied");
        }
        int start = head.length >= 3 && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB && head[2] == (byte) 0xBF
                ? 3 : 0;
        int end = start;
        while (end < head.length && head[end] != '\n' && head[end] != '\r') {
            end++;
        }
        return new String(head, start, end - start, StandardCharsets.ISO_8859_1);
    }
}
