package reco.model.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The generation's table of contents, written last (JSON): format version, when and by what it was
 * made, the inputs it was trained on, counts, the models it holds with their parameters, and every
 * file's size and CRC32C so a reader can refuse a damaged generation before using it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        int formatVersion,
        String generationId,
        String createdAt,
        String trainerVersion,
        List<InputFile> inputs,
        Counts counts,
        List<ModelEntry> models,
        String defaultModel,
        Map<String, Object> parameters,
        List<FileEntry> files) {

    /** An input the trainer read. {@code crc32c} is lower-case hex. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InputFile(String role, String path, String format, long size, String crc32c) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Counts(long users, long items, long interactions, long positives, long malformedRows,
                         long itemsWithMetadata) {}

    /**
     * A model in the generation. File names are relative to the generation directory; a null file
     * means the model has no such part.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelEntry(String name, String neighborsFile, String itemEmbeddingsFile,
                             String userEmbeddingsFile, int neighborsPerItem, int dimensions,
                             boolean recommendsForUsers, Map<String, Object> parameters) {}

    /** A file of the generation with its exact size and CRC32C (lower-case hex) of all its bytes. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileEntry(String name, long size, String crc32c) {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ModelEntry model(String name) {
        for (ModelEntry m : models) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    public byte[] toJson() throws IOException {
        return JSON.writeValueAsBytes(this);
    }

    public static Manifest read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Manifest.class);
    }

    public static Manifest parse(byte[] json) throws IOException {
        return JSON.readValue(json, Manifest.class);
    }
}
