package reco.trainer.models.content;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reco.trainer.data.ItemMetadata;
import reco.trainer.math.CsrMatrix;

/**
 * Turns {@link ItemMetadata} into {@link ContentVectors}: one sparse row per item whose features
 * live in separate namespaces (a genre "comedy" and a title word "comedy" are different features),
 * weighted by TF-IDF or BM25 and the field weight, then L2-normalised so that a dot product of two
 * rows is their cosine similarity.
 */
public final class ContentVectorizer {
    static final int CATEGORY = 0, TAG = 1, TITLE = 2, TEXT = 3;
    static final String[] NAMESPACES = {"cat:", "tag:", "title:", "text:"};
    private static final int FIELDS = 4;

    /** MovieLens's placeholder category: shared by many unrelated items, so it is not a genre. */
    private static final String NO_CATEGORY_PLACEHOLDER = "(no genres listed)";

    private ContentVectorizer() {}

    /** One row per item of the metadata's dictionary ({@code metadata.items.size()} rows). */
    public static ContentVectors vectorize(ItemMetadata metadata, ContentFeatureParams params) {
        return vectorize(metadata, metadata.items.size(), params);
    }

    /**
     * One row per item index in {@code [0, itemCount)}; items without metadata (e.g. only seen in
     * interactions) get empty rows.
     */
    public static ContentVectors vectorize(ItemMetadata metadata, int itemCount, ContentFeatureParams params) {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(params, "params");
        if (itemCount < 0) {
            throw new IllegalArgumentException("itemCount = " + itemCount + ": must be >= 0");
        }
        double[] fieldWeights = {params.categoryWeight(), params.tagWeight(), params.titleWeight(), params.textWeight()};

        // Pass 1: raw counts per (item, provisional feature id), feature ids in first-seen order.
        Map<String, Integer> provisionalIds = new HashMap<>();
        List<String> provisionalNames = new ArrayList<>();
        IntList fieldOfFeature = new IntList();
        IntList rowFeatures = new IntList();
        IntList rowCounts = new IntList();
        int[] rowStart = new int[itemCount + 1];
        float[] fieldLength = new float[itemCount * FIELDS];
        IntList scratch = new IntList();
        int itemsWithFeatures = 0;
        int described = Math.min(itemCount, metadata.size());
        for (int item = 0; item < itemCount; item++) {
            scratch.clear();
            if (item < described) {
                collectRawFeatures(metadata, item, fieldWeights, provisionalIds, provisionalNames, fieldOfFeature,
                        scratch);
            }
            // run-length encode the sorted ids into (feature, count)
            int[] ids = scratch.toArray();
            Arrays.sort(ids);
            for (int k = 0; k < ids.length; ) {
                int end = k;
                while (end < ids.length && ids[end] == ids[k]) end++;
                rowFeatures.add(ids[k]);
                rowCounts.add(end - k);
                fieldLength[item * FIELDS + fieldOfFeature.get(ids[k])] += end - k;
                k = end;
            }
            if (ids.length > 0) itemsWithFeatures++;
            rowStart[item + 1] = rowFeatures.size();
        }

        int provisionalCount = provisionalNames.size();
        int[] documentFrequency = new int[provisionalCount];
        for (int k = 0; k < rowFeatures.size(); k++) documentFrequency[rowFeatures.get(k)]++;

        // Keep features with enough support; final ids follow the sorted names so the vocabulary is stable.
        List<Integer> kept = new ArrayList<>();
        for (int f = 0; f < provisionalCount; f++) {
            if (documentFrequency[f] >= params.minDocumentFrequency()) kept.add(f);
        }
        kept.sort((a, b) -> provisionalNames.get(a).compareTo(provisionalNames.get(b)));
        int[] finalId = new int[provisionalCount];
        Arrays.fill(finalId, -1);
        String[] vocabulary = new String[kept.size()];
        for (int k = 0; k < kept.size(); k++) {
            finalId[kept.get(k)] = k;
            vocabulary[k] = provisionalNames.get(kept.get(k));
        }

        // Average field lengths over the items that have the field (BM25's avgdl, per field).
        double[] averageFieldLength = new double[FIELDS];
        int[] itemsWithField = new int[FIELDS];
        for (int item = 0; item < itemCount; item++) {
            for (int field = 0; field < FIELDS; field++) {
                float len = fieldLength[item * FIELDS + field];
                if (len > 0) {
                    averageFieldLength[field] += len;
                    itemsWithField[field]++;
                }
            }
        }
        for (int field = 0; field < FIELDS; field++) {
            if (itemsWithField[field] > 0) averageFieldLength[field] /= itemsWithField[field];
        }

        // Pass 2: weights, then L2-normalised rows in column order.
        double documents = itemsWithFeatures;
        int[] indptr = new int[itemCount + 1];
        IntList columns = new IntList();
        float[] values = new float[Math.max(16, rowFeatures.size())];
        int nnz = 0;
        long[] packed = new long[16];
        for (int item = 0; item < itemCount; item++) {
            int s = rowStart[item], e = rowStart[item + 1];
            if (packed.length < e - s) packed = new long[e - s];
            int keptCount = 0;
            for (int k = s; k < e; k++) {
                int f = rowFeatures.get(k);
                if (finalId[f] >= 0) packed[keptCount++] = ((long) finalId[f] << 32) | k;
            }
            Arrays.sort(packed, 0, keptCount);
            double squaredNorm = 0;
            int rowBegin = nnz;
            for (int p = 0; p < keptCount; p++) {
                int k = (int) packed[p];
                int f = rowFeatures.get(k);
                int field = fieldOfFeature.get(f);
                double weight = fieldWeights[field] * termWeight(params, rowCounts.get(k), documentFrequency[f],
                        documents, fieldLength[item * FIELDS + field], averageFieldLength[field]);
                columns.add((int) (packed[p] >>> 32));
                values[nnz++] = (float) weight;
                squaredNorm += weight * weight;
            }
            if (squaredNorm > 0) {
                double inverseNorm = 1.0 / Math.sqrt(squaredNorm);
                for (int p = rowBegin; p < nnz; p++) values[p] = (float) (values[p] * inverseNorm);
            }
            indptr[item + 1] = nnz;
        }
        CsrMatrix matrix = new CsrMatrix(itemCount, vocabulary.length, indptr, columns.toArray(),
                Arrays.copyOf(values, nnz));
        return new ContentVectors(matrix, vocabulary);
    }

    static double termWeight(ContentFeatureParams params, int tf, int df, double documents, double length,
            double averageLength) {
        return switch (params.weighting()) {
            case TF_IDF -> (1.0 + Math.log(tf)) * (Math.log((1.0 + documents) / (1.0 + df)) + 1.0);
            case BM25 -> {
                double idf = Math.log(1.0 + (documents - df + 0.5) / (df + 0.5));
                double k1 = params.bm25K1();
                double lengthRatio = averageLength > 0 ? length / averageLength : 1.0;
                double norm = k1 * (1.0 - params.bm25B() + params.bm25B() * lengthRatio);
                yield idf * tf * (k1 + 1.0) / (tf + norm);
            }
        };
    }

    private static void collectRawFeatures(ItemMetadata metadata, int item, double[] fieldWeights,
            Map<String, Integer> ids, List<String> names, IntList fieldOf, IntList out) {
        if (fieldWeights[CATEGORY] > 0) {
            // Categories are a set: a genre listed twice is still one genre.
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String category : metadata.categories(item)) {
                String c = TextTokenizer.normalizePhrase(category);
                if (!c.isEmpty() && !c.equals(NO_CATEGORY_PLACEHOLDER) && seen.add(c)) {
                    out.add(featureId(CATEGORY, c, ids, names, fieldOf));
                }
            }
        }
        if (fieldWeights[TAG] > 0) {
            for (String tag : metadata.tags(item)) {
                String t = TextTokenizer.normalizePhrase(tag);
                if (!t.isEmpty()) out.add(featureId(TAG, t, ids, names, fieldOf));
            }
        }
        if (fieldWeights[TITLE] > 0) {
            String title = metadata.title(item);
            if (title != null) {
                TextTokenizer.tokenize(TextTokenizer.stripTrailingYear(title),
                        token -> out.add(featureId(TITLE, token, ids, names, fieldOf)));
            }
        }
        if (fieldWeights[TEXT] > 0) {
            TextTokenizer.tokenize(metadata.text(item), token -> out.add(featureId(TEXT, token, ids, names, fieldOf)));
        }
    }

    private static int featureId(int field, String term, Map<String, Integer> ids, List<String> names, IntList fieldOf) {
        String name = NAMESPACES[field] + term;
        Integer id = ids.get(name);
        if (id == null) {
            id = names.size();
            ids.put(name, id);
            names.add(name);
            fieldOf.add(field);
        }
        return id;
    }

    /** Minimal growable int array (avoids boxing millions of feature ids). */
    static final class IntList {
        private int[] data = new int[16];
        private int size;

        void add(int v) {
            if (size == data.length) data = Arrays.copyOf(data, data.length * 2);
            data[size++] = v;
        }

        int get(int i) { return data[i]; }
        int size() { return size; }
        void clear() { size = 0; }
        int[] toArray() { return Arrays.copyOf(data, size); }
    }
}
