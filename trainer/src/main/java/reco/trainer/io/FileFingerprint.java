package reco.trainer.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * Identity of an input file for the generation manifest: its path, size and CRC32C checksum
 * (8 lower-case hex digits). The readers compute it while reading, so inputs are read only once.
 */
public record FileFingerprint(Path path, long sizeBytes, String crc32c) {

    /** Reads {@code path} once and fingerprints it. */
    public static FileFingerprint of(Path path) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
                size += n;
            }
        } catch (NoSuchFileException e) {
            throw new InputException(path, "no such file");
        }
        return new FileFingerprint(path, size, hex(crc.getValue()));
    }

    static String hex(long crcValue) {
        return HexFormat.of().toHexDigits((int) crcValue);
    }
}
