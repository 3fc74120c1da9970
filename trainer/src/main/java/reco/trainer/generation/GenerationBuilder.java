package reco.trainer.generation;

import reco.model.ModelKind;
import reco.model.Neighborhoods;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.GenerationFiles;
import reco.model.generation.GenerationWriter;
import reco.model.generation.IdList;
import reco.model.generation.ItemCatalog;
import reco.model.generation.Manifest;
import reco.model.generation.NeighborLists;
import reco.model.generation.PopularityRanking;
import reco.model.generation.UserHistories;
import reco.trainer.data.ItemMetadata;
import reco.trainer.data.TrainingData;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the trainer's results as one generation (see {@link GenerationWriter}): call the
 * {@code write*}/{@code add*} methods in any order, then {@link #commit}. Closing without commit
 * leaves nothing behind.
 */
public final class GenerationBuilder implements AutoCloseable {
    public static final String TRAINER_VERSION = trainerVersion();

    private final GenerationWriter writer;
    private final List<Manifest.ModelEntry> models = new ArrayList<>();
    private final List<Manifest.InputFile> inputs = new ArrayList<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private int users = -1;
    private int items = -1;

    private GenerationBuilder(GenerationWriter writer) {
        this.writer = writer;
    }

    public static GenerationBuilder begin(Path modelRoot) throws IOException {
        return new GenerationBuilder(GenerationWriter.begin(modelRoot));
    }

    public String generationId() {
        return writer.generationId();
    }

    /**
     * The id lists, which also resolve ids (their checksummed hash tables). No Chronicle Map copy is
     * written any more: the server never read it, and opening the first Chronicle Map in a JVM cost
     * every training run seconds of run-time code generation.
     */
    public GenerationBuilder writeIds(List<String> userIds, List<String> itemIds) throws IOException {
        users = userIds.size();
        items = itemIds.size();
        IdList.write(writer.file(GenerationFiles.USER_IDS), userIds);
        IdList.write(writer.file(GenerationFiles.ITEM_IDS), itemIds);
        return this;
    }

    /** Titles and categories for display and category filters; items beyond the metadata get none. */
    public GenerationBuilder writeCatalog(ItemMetadata metadata) throws IOException {
        requireIds();
        List<String> titles = new ArrayList<>(items);
        List<List<String>> categories = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            titles.add(metadata.title(i));
            categories.add(metadata.categories(i));
        }
        ItemCatalog.write(writer.file(GenerationFiles.ITEM_CATALOG), titles, categories);
        return this;
    }

    public GenerationBuilder writeHistories(TrainingData data) throws IOException {
        requireIds();
        UserHistories.write(writer.file(GenerationFiles.USER_HISTORIES), data.historyOffsets, data.historyItems,
                data.historyStrengths, data.historyTimestamps);
        return this;
    }

    /** Histories as CSR arrays over users (see {@link UserHistories}), e.g. collected from a cluster. */
    public GenerationBuilder writeHistories(long[] offsets, int[] items, float[] strengths, long[] timestamps)
            throws IOException {
        requireIds();
        UserHistories.write(writer.file(GenerationFiles.USER_HISTORIES), offsets, items, strengths, timestamps);
        return this;
    }

    public GenerationBuilder writePopularity(int[] globalRanking, float[] globalScores, int[] recentRanking,
                                             float[] recentScores, int[] itemCounts, Map<String, Object> params)
            throws IOException {
        requireIds();
        PopularityRanking.write(writer.file(GenerationFiles.POPULARITY), globalRanking, globalScores, recentRanking,
                recentScores, itemCounts);
        models.add(new Manifest.ModelEntry(ModelKind.POPULARITY.id, null, null, null, 0, 0, true, params));
        return this;
    }

    /** The time-of-day profile ({@link reco.model.generation.TimeOfDayProfile}); optional. */
    public GenerationBuilder writeTimeOfDay(reco.trainer.models.context.TimeOfDayModel m) throws IOException {
        requireIds();
        reco.model.generation.TimeOfDayProfile.write(writer.file(GenerationFiles.TIME_OF_DAY), m.global(), m.itemRelative(),
                m.items(), m.categoryRelative(), m.categories(), m.zone());
        return this;
    }

    /**
     * Copies the ids of {@code source} (one per line, '#' comments) into the generation's block list,
     * normalised (trimmed, comments dropped); returns how many ids it lists.
     */
    public int writeBlockList(Path source) throws IOException {
        java.util.List<String> ids = reco.model.generation.BlockList.readIds(source);
        StringBuilder text = new StringBuilder("# copied from ").append(source.toAbsolutePath()).append('\n');
        for (String id : ids) {
            text.append(id).append('\n');
        }
        java.nio.file.Files.writeString(writer.file(GenerationFiles.BLOCK_LIST), text, java.nio.charset.StandardCharsets.UTF_8);
        return ids.size();
    }

    /** A neighbour model (content, item-kNN, EASE): recommends for users by aggregating neighbours. */
    public GenerationBuilder addNeighborModel(ModelKind model, Neighborhoods neighbors, Map<String, Object> params)
            throws IOException {
        requireIds();
        String file = GenerationFiles.neighbors(model.id);
        NeighborLists.write(writer.file(file), neighbors);
        models.add(new Manifest.ModelEntry(model.id, file, null, null, neighbors.maxSize(), 0, true, params));
        return this;
    }

    /**
     * An embedding model (ALS): item and user factors, the item Gram matrix for fold-in, and
     * neighbour lists (top-K cosine of item factors) for similar-item queries.
     */
    public GenerationBuilder addEmbeddingModel(ModelKind model, float[] itemFactors, float[] userFactors, int dimensions,
                                               float[] itemGram, Neighborhoods neighbors, Map<String, Object> params)
            throws IOException {
        requireIds();
        String itemFile = GenerationFiles.embeddings(model.id + "-items");
        String userFile = GenerationFiles.embeddings(model.id + "-users");
        EmbeddingMatrix.write(writer.file(itemFile), itemFactors, items, dimensions, itemGram);
        EmbeddingMatrix.write(writer.file(userFile), userFactors, users, dimensions, null);
        return registerEmbeddingModel(model, itemFile, userFile, dimensions, neighbors, params);
    }

    /**
     * As {@link #addEmbeddingModel(ModelKind, float[], float[], int, float[], Neighborhoods, Map)}, with the user
     * factors streamed one row per user in index order (a distributed trainer's user matrix need not fit in this
     * heap) and the item Gram matrix accumulated while the item rows are written.
     */
    public GenerationBuilder addEmbeddingModel(ModelKind model, java.util.Iterator<float[]> itemRows,
                                               java.util.Iterator<float[]> userRows, int dimensions,
                                               Neighborhoods neighbors, Map<String, Object> params) throws IOException {
        requireIds();
        String itemFile = GenerationFiles.embeddings(model.id + "-items");
        String userFile = GenerationFiles.embeddings(model.id + "-users");
        EmbeddingMatrix.write(writer.file(itemFile), items, dimensions, itemRows, true);
        EmbeddingMatrix.write(writer.file(userFile), users, dimensions, userRows, false);
        return registerEmbeddingModel(model, itemFile, userFile, dimensions, neighbors, params);
    }

    /** Writes an embedding model's neighbour lists (if any) and lists its files, already written, in the manifest. */
    private GenerationBuilder registerEmbeddingModel(ModelKind model, String itemFile, String userFile, int dimensions,
                                                     Neighborhoods neighbors, Map<String, Object> params) throws IOException {
        String neighborFile = null;
        if (neighbors != null) {
            neighborFile = GenerationFiles.neighbors(model.id);
            NeighborLists.write(writer.file(neighborFile), neighbors);
        }
        models.add(new Manifest.ModelEntry(model.id, neighborFile, itemFile, userFile,
                neighbors == null ? 0 : neighbors.maxSize(), dimensions, true, params));
        return this;
    }

    /** Path for an extra file of the generation (e.g. an approximate index written by its own writer). */
    public Path file(String name) {
        return writer.file(name);
    }

    /** A blend of models already added; weights per component (each scaled to [0, 1] at query time). */
    public GenerationBuilder addHybrid(Map<ModelKind, Double> components, Map<String, Object> params) {
        Map<String, Object> all = new LinkedHashMap<>(params);
        Map<String, Double> comps = new LinkedHashMap<>();
        int maxNeighbors = 0;
        for (Map.Entry<ModelKind, Double> c : components.entrySet()) {
            Manifest.ModelEntry entry = model(c.getKey());
            if (entry == null) {
                throw new IllegalStateException("hybrid component " + c.getKey() + " was not added");
            }
            comps.put(c.getKey().id, c.getValue());
            maxNeighbors = Math.max(maxNeighbors, entry.neighborsPerItem());
        }
        all.put("components", comps);
        models.add(new Manifest.ModelEntry(ModelKind.HYBRID.id, null, null, null, maxNeighbors, 0, true, all));
        return this;
    }

    public Manifest.ModelEntry model(ModelKind kind) {
        for (Manifest.ModelEntry m : models) {
            if (m.name().equals(kind.id)) {
                return m;
            }
        }
        return null;
    }

    public GenerationBuilder input(Manifest.InputFile input) {
        inputs.add(input);
        return this;
    }

    public GenerationBuilder parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    /** Writes the manifest last and publishes the generation; returns its directory. */
    public Path commit(Manifest.Counts counts, ModelKind defaultModel, int keepGenerations) throws IOException {
        requireIds();
        if (model(defaultModel) == null) {
            throw new IllegalStateException("default model " + defaultModel + " was not added");
        }
        Manifest manifest = new Manifest(0, null, null, TRAINER_VERSION, inputs, counts, models, defaultModel.id,
                parameters, null);
        return writer.commit(manifest, keepGenerations);
    }

    private void requireIds() {
        if (items < 0) {
            throw new IllegalStateException("writeIds() first");
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    private static String trainerVersion() {
        String v = GenerationBuilder.class.getPackage().getImplementationVersion();
        return "reco-trainer " + (v == null ? "dev" : v);
    }
}
