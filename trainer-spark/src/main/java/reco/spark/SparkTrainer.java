package reco.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import reco.model.ModelKind;
import reco.model.Neighborhoods;
import reco.model.als.ConfidenceFunction;
import reco.model.ann.IvfIndex;
import reco.model.ann.IvfIndexWriter;
import reco.model.ann.IvfParameters;
import reco.model.generation.Generation;
import reco.model.generation.Manifest;
import reco.spark.executor.IndexedId;
import reco.trainer.data.DataException;
import reco.trainer.data.IdDictionary;
import reco.trainer.data.ItemMetadata;
import reco.trainer.data.TrainingData;
import reco.trainer.generation.GenerationBuilder;
import reco.trainer.models.als.EmbeddingNeighbors;
import reco.trainer.models.content.ContentNeighbors;
import reco.trainer.models.content.ContentVectorizer;
import reco.trainer.models.content.ContentVectors;
import reco.trainer.models.ease.Ease;
import reco.trainer.models.knn.ItemKnn;
import reco.trainer.math.CsrMatrix;
import reco.trainer.pipeline.PhaseTimer;
import reco.trainer.pipeline.TrainSettings;
import reco.trainer.pipeline.Trainer;
import reco.trainer.progress.Progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The training pipeline on Spark. On the cluster: id mapping (users and items indexed in order of first
 * appearance, as the single-machine trainer does), duplicate combination and strengths
 * ({@link TrainingData}'s rules), popularity and implicit ALS (MLlib). On the driver: content neighbourhoods
 * and ALS neighbour lists (bounded by the catalogue), and the exact item-item models, item-kNN and EASE (at most
 * {@code easeMaxItems} items), fitted by the single-machine code on the input matrix collected from the cluster
 * (bounded by the driver's heap: 12 bytes per model input); then the generation is written with the
 * single-machine trainer's {@link GenerationBuilder} (user factors streamed from the cluster).
 */
public final class SparkTrainer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StructType ID_INDEX = new StructType().add("id", DataTypes.StringType, false)
            .add("idx", DataTypes.IntegerType, false);

    /**
     * Engine settings besides the model settings.
     *
     * @param partitions partitions of the input and of every shuffle, and ALS blocks (the same value gives the same
     *                   model on any cluster)
     * @param alsRegParam Spark's ALS regularisation (scaled by each user's and item's rating count, unlike reco's own)
     * @param easeMaxItems the EASE inverse is dense n x n on the driver: n is capped here
     */
    public record EngineSettings(int partitions, double alsRegParam, int easeMaxItems) {
        public static final double DEFAULT_ALS_REG_PARAM = 0.01;
        public static final int DEFAULT_EASE_MAX_ITEMS = 10_000;

        public EngineSettings {
            if (partitions < 1 || partitions > 100_000) {
                throw new IllegalArgumentException("partitions must be in [1, 100000], got " + partitions);
            }
            if (!(alsRegParam >= 0)) {
                throw new IllegalArgumentException("ALS regularization must be >= 0, got " + alsRegParam);
            }
            if (easeMaxItems < 1) {
                throw new IllegalArgumentException("EASE max items must be >= 1, got " + easeMaxItems);
            }
        }
    }

    /** What to read. {@code items}/{@code tags} may be null. */
    public record Request(String interactions, SparkInput.Format format, reco.trainer.io.DelimitedOptions options,
                          String columns, String items, String tags, boolean strict) {}

    public record Result(Path generation, String generationId, Manifest.Counts counts, ModelKind defaultModel,
                         PhaseTimer timings) {}

    private final SparkSession spark;
    private final TrainSettings settings;
    private final EngineSettings engine;
    private final PrintStream log;

    public SparkTrainer(SparkSession spark, TrainSettings settings, EngineSettings engine, PrintStream log) {
        this.spark = spark;
        this.settings = settings;
        this.engine = engine;
        this.log = log;
    }

    /** Trains and writes one generation into the local model root {@code modelRoot}. */
    public Result train(Request request, Path modelRoot) throws IOException {
        if (settings.recencyFloor() < 1f) {
            throw new IllegalArgumentException("--recency-floor is not supported by the Spark engine yet");
        }
        PhaseTimer timer = new PhaseTimer();
        // every shuffle (joins, aggregations) in as many partitions as the input: Spark's default of 200 costs more
        // in per-task overhead than it gains on anything but a large cluster
        spark.conf().set("spark.sql.shuffle.partitions", engine.partitions());
        SparkInput.Interactions in = timer.time("read interactions", () -> SparkInput.read(spark, request.interactions(),
                request.format(), request.options(), request.columns(), request.strict(), engine.partitions()));
        log.printf("read %s (%s): %,d malformed rows%n", in.path(), in.format(), in.malformed());
        for (String example : in.malformedExamples()) {
            log.println("  malformed: " + example);
        }
        Dataset<Row> raw = in.rows().persist(StorageLevel.MEMORY_AND_DISK());

        // ---- ids, in order of first appearance (what the single-machine trainer's interning gives)
        List<String> userIds = new ArrayList<>();
        List<String> interactedItemIds = new ArrayList<>();
        Dataset<Row> userIndex = timer.time("index users", () -> index(raw, "user", userIds));
        Dataset<Row> itemIndex = timer.time("index items", () -> index(raw, "item", interactedItemIds));
        long rowCount = raw.count();
        if (rowCount == 0) {
            throw new DataException(in.path() + ": no interaction rows");
        }
        Dataset<Row> rows = raw.join(userIndex.withColumnRenamed("id", "user").withColumnRenamed("idx", "u"), "user")
                .join(itemIndex.withColumnRenamed("id", "item").withColumnRenamed("idx", "i"), "item")
                .select("u", "i", "weight", "ts", "line").persist(StorageLevel.MEMORY_AND_DISK());
        raw.unpersist();

        // ---- item metadata on the driver (its size is the catalogue's), items it adds come after interacted ones
        IdDictionary itemDictionary = new IdDictionary();
        interactedItemIds.forEach(itemDictionary::add);
        ItemMetadata metadata = new ItemMetadata(itemDictionary);
        List<Manifest.InputFile> inputs = new ArrayList<>();
        inputs.add(new Manifest.InputFile("interactions", in.path(), in.format(), HadoopFiles.size(spark, in.path()), null));
        long described = SparkMetadata.read(spark, request, metadata, inputs, log);
        int users = userIds.size();
        int items = itemDictionary.size();

        // ---- one entry per (user, item), strengths as TrainingData defines them
        float minWeight = settings.minWeight();
        double maxWeight = ((Number) rows.agg(max("weight")).first().get(0)).doubleValue();
        Dataset<Row> pairs = timer.time("combine duplicates", () -> pairs(rows, maxWeight, minWeight))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> input = pairs.filter(col("s").gt(0)).select("u", "i", "s").persist(StorageLevel.MEMORY_AND_DISK());
        long pairCount = pairs.count();
        long positives = pairs.filter(col("positive")).count();
        long inputCount = input.count();
        log.printf("data: %,d users, %,d items, %,d interactions (%,d distinct pairs, %,d positives, %,d model inputs)%n",
                users, items, rowCount, pairCount, positives, inputCount);
        if (positives == 0) {
            throw new DataException("no positive interactions: every weight is 0 or less, or below --min-weight "
                    + minWeight + "; nothing to train on");
        }
        int[] positivesPerItem = perItemCount(pairs.filter(col("positive")), items);
        int[] inputUsersPerItem = perItemCount(input, items);

        // ---- popularity (over the raw rows, as PopularityTrainer counts)
        var popularity = timer.time("popularity", () -> popularity(rows, items, in.hasTimestamps(), minWeight));

        Map<ModelKind, Neighborhoods> neighborModels = new EnumMap<>(ModelKind.class);
        Map<ModelKind, Map<String, Object>> params = new EnumMap<>(ModelKind.class);
        params.put(ModelKind.POPULARITY, toMap(settings.popularity()));
        Map<String, Object> skipped = new LinkedHashMap<>();

        boolean hasContent = hasContent(metadata, items);
        if (settings.models().contains(ModelKind.CONTENT)) {
            if (hasContent) {
                ContentVectors vectors = timer.time("content vectors",
                        () -> ContentVectorizer.vectorize(metadata, items, settings.contentFeatures()));
                neighborModels.put(ModelKind.CONTENT, timer.time("content neighbours (driver)",
                        () -> ContentNeighbors.compute(vectors, settings.contentNeighbors(), Progress.Factory.NONE)));
                Map<String, Object> p = new LinkedHashMap<>(toMap(settings.contentFeatures()));
                p.putAll(toMap(settings.contentNeighbors()));
                p.put("features", vectors.featureCount());
                params.put(ModelKind.CONTENT, p);
            } else {
                log.println("content: skipped (no item metadata: pass --items and/or --tags)");
                skipped.put("content", "no item metadata");
            }
        }
        boolean knn = settings.models().contains(ModelKind.ITEM_KNN);
        boolean ease = settings.models().contains(ModelKind.EASE);
        if (knn || ease) {
            // the exact item-item models need every user's row together: the input matrix is collected to the driver
            // (4 bytes x 3 per model input) and fitted by the single-machine code, so they equal reco train's
            CsrMatrix matrix = timer.time("collect input matrix", () -> inputMatrix(input, users, items, inputCount));
            if (knn) {
                neighborModels.put(ModelKind.ITEM_KNN, timer.time("item-knn (driver)",
                        () -> ItemKnn.compute(matrix, settings.itemKnn(), Progress.Factory.NONE)));
                params.put(ModelKind.ITEM_KNN, toMap(settings.itemKnn()));
            }
            if (ease) {
                boolean[] candidates = new boolean[items];
                long eligible = 0;
                for (int i = 0; i < items; i++) {
                    candidates[i] = positivesPerItem[i] >= Trainer.EASE_MIN_POSITIVES;
                    eligible += candidates[i] && inputUsersPerItem[i] > 0 ? 1 : 0;
                }
                Ease.Parameters p = settings.ease().withMaxItems(Math.min(settings.ease().maxItems(), engine.easeMaxItems()));
                neighborModels.put(ModelKind.EASE, timer.time("ease (driver)",
                        () -> Ease.fit(matrix, candidates, p, Progress.Factory.NONE)));
                Map<String, Object> ep = new LinkedHashMap<>(toMap(p));
                if (eligible > p.maxItems()) {
                    String why = "dense EASE is n x n on the driver: modelled the " + p.maxItems() + " items most users have of "
                            + eligible + " eligible";
                    ep.put("capped", why);
                    log.println("ease: capped (" + why + ")");
                }
                params.put(ModelKind.EASE, ep);
            }
        }

        Factors als = null;
        Neighborhoods alsNeighbors = null;
        if (settings.models().contains(ModelKind.ALS)) {
            als = timer.time("als (mllib)", () -> als(input, users, items));
            Map<String, Object> p = new LinkedHashMap<>(toMap(settings.als()));
            p.put("implementation", "spark-mllib ALS (implicitPrefs)");
            p.put("regularization", engine.alsRegParam());
            p.put("regularizationScaledByCounts", true);
            p.remove("solver");
            p.remove("cgSteps");
            p.remove("threads");
            p.remove("regularizationExponent");
            if (items < IvfParameters.DEFAULT_MIN_ITEMS) {
                Factors f = als;
                alsNeighbors = timer.time("als neighbours (driver)", () -> EmbeddingNeighbors.compute(f.itemFactors, items,
                        f.rank, settings.contentNeighbors().neighbors(), 0, Progress.Factory.NONE));
            } else {
                p.put(Generation.ANN_INDEX_PARAMETER, IvfIndex.fileName("als-items"));
            }
            p.put("objective", toMap(settings.als().objective()));
            params.put(ModelKind.ALS, p);
        }

        Map<ModelKind, Double> hybrid = new EnumMap<>(ModelKind.class);
        if (settings.models().contains(ModelKind.HYBRID)) {
            for (Map.Entry<ModelKind, Double> e : settings.hybridWeights().entrySet()) {
                if (e.getValue() > 0 && (neighborModels.containsKey(e.getKey()) || e.getKey() == ModelKind.ALS && als != null)) {
                    hybrid.put(e.getKey(), e.getValue());
                }
            }
            if (hybrid.size() < 2) {
                log.println("hybrid: skipped (needs two trained components, has " + hybrid.keySet() + ")");
                hybrid.clear();
            }
        }
        Set<ModelKind> trained = EnumSet.noneOf(ModelKind.class);
        trained.addAll(neighborModels.keySet());
        if (als != null) {
            trained.add(ModelKind.ALS);
        }
        ModelKind defaultModel = chooseDefault(trained, !hybrid.isEmpty());
        skipped.put("timeOfDay", "not trained by the Spark engine");

        Histories histories = timer.time("collect histories", () -> histories(pairs, users, pairCount));
        Factors alsFactors = als;
        Neighborhoods alsLists = alsNeighbors;
        Manifest.Counts counts = new Manifest.Counts(users, items, rowCount, positives, in.malformed(), described);
        List<String> itemIds = itemDictionary.ids();
        Path published = timer.time("write generation", () -> {
            try (GenerationBuilder b = GenerationBuilder.begin(modelRoot)) {
                b.writeIds(userIds, itemIds);
                if (hasContent) {
                    b.writeCatalog(metadata);
                }
                b.writeHistories(histories.offsets, histories.items, histories.strengths, histories.timestamps);
                int[] recent = popularity.recencyRanking();
                b.writePopularity(popularity.globalRanking(), toFloats(popularity.globalScores(), popularity.globalRanking()),
                        in.hasTimestamps() ? recent : new int[0],
                        in.hasTimestamps() ? toFloats(popularity.recencyScores(), recent) : new float[0],
                        positivesPerItem, params.get(ModelKind.POPULARITY));
                for (Map.Entry<ModelKind, Neighborhoods> m : neighborModels.entrySet()) {
                    b.addNeighborModel(m.getKey(), m.getValue(), params.get(m.getKey()));
                }
                if (alsFactors != null) {
                    b.addEmbeddingModel(ModelKind.ALS, rowsOf(alsFactors.itemFactors, alsFactors.rank),
                            alsFactors.userRows(), alsFactors.rank, alsLists, params.get(ModelKind.ALS));
                    if (params.get(ModelKind.ALS).containsKey(Generation.ANN_INDEX_PARAMETER)) {
                        IvfIndexWriter.write(b.file(IvfIndex.fileName("als-items")), alsFactors.itemFactors, items,
                                alsFactors.rank, IvfParameters.defaults(items));
                    }
                }
                if (!hybrid.isEmpty()) {
                    b.addHybrid(hybrid, Map.of());
                }
                inputs.forEach(b::input);
                b.parameter("minWeight", Float.isInfinite(minWeight) ? null : minWeight);
                b.parameter("duplicates", settings.duplicates().name().toLowerCase());
                b.parameter("strength", settings.strength().name().toLowerCase());
                b.parameter("belowThresholdWeight", settings.belowThresholdWeight());
                b.parameter("recencyFloor", settings.recencyFloor());
                b.parameter("profileHalfLifeDays", settings.profileHalfLifeDays());
                b.parameter("seed", settings.seed());
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", "spark");
                e.put("sparkVersion", spark.version());
                e.put("master", spark.sparkContext().master());
                e.put("partitions", engine.partitions());
                e.put("skipped", skipped);
                b.parameter("engine", e);
                return b.commit(counts, defaultModel, settings.keepGenerations());
            }
        });
        rows.unpersist();
        pairs.unpersist();
        input.unpersist();
        return new Result(published, published.getFileName().toString(), counts, defaultModel, timer);
    }

    // ------------------------------------------------------------------ ids

    /**
     * Distinct values of {@code column} indexed 0.. in order of first appearance (smallest line), as a
     * distributed {@code (id, idx)} table; the ids in index order are appended to {@code idsOut}.
     */
    private Dataset<Row> index(Dataset<Row> rows, String column, List<String> idsOut) {
        JavaRDD<Row> ordered = rows.groupBy(col(column).as("id")).agg(min("line").as("first"))
                .orderBy("first").select("id").javaRDD();
        Dataset<Row> index = spark.createDataFrame(ordered.zipWithIndex().map(new IndexedId()), ID_INDEX)
                .persist(StorageLevel.MEMORY_AND_DISK());
        Iterator<Row> it = index.orderBy("idx").select("id").toLocalIterator();
        while (it.hasNext()) {
            idsOut.add(it.next().getString(0));
        }
        return index;
    }

    // ------------------------------------------------------------------ data preparation

    /**
     * One row per (user, item): weight combined by the duplicates rule, time = the latest, strength
     * {@code s} and whether it is a positive, exactly as {@link TrainingData#build} defines them.
     */
    private Dataset<Row> pairs(Dataset<Row> rows, double maxWeight, float minWeight) {
        Column order = struct(col("ts"), col("line"));
        Column combined = switch (settings.duplicates()) {
            case LATEST -> max_by(col("weight"), order);
            case SUM -> sum("weight");
            case MAX -> max("weight");
        };
        Dataset<Row> p = rows.groupBy("u", "i").agg(combined.cast("float").as("w"), max("ts").as("ts"),
                min(order).as("first"));
        Column w = col("w");
        Column positive = w.gt(0).and(w.geq(lit(minWeight)));
        reco.trainer.data.TrainingData.Strength strength = settings.strength();
        if (strength == reco.trainer.data.TrainingData.Strength.AUTO) {
            // the single-machine trainer's rule (DataProfile): the kind of weights decides the transform
            int distinct = (int) rows.select("weight").distinct().limit(reco.trainer.data.DataProfile.DISTINCT_LIMIT).count();
            strength = switch (reco.trainer.data.DataProfile.WeightKind.of(distinct, maxWeight)) {
                case BINARY -> reco.trainer.data.TrainingData.Strength.BINARY;
                case RATING_SCALE -> reco.trainer.data.TrainingData.Strength.LINEAR;
                case COUNTS -> reco.trainer.data.TrainingData.Strength.LOG;
            };
        }
        Column f = switch (strength) {
            case BINARY -> lit(1.0);
            case LINEAR -> maxWeight > 0 ? greatest(w, lit(0f)).divide(lit((float) maxWeight)) : lit(1.0);
            case LOG -> lit(1.0).plus(log(greatest(w, lit(1f))));
            case USER -> greatest(w, lit(0f)).divide(greatest(max(w).over(org.apache.spark.sql.expressions.Window.partitionBy("u")), lit(1e-30f)));
            case AUTO -> throw new IllegalStateException("resolved above");
        };
        float btw = settings.belowThresholdWeight();
        Column s = when(positive, f).when(lit(btw > 0).and(w.gt(0)), lit(btw).multiply(f)).otherwise(lit(0.0));
        return p.select(col("u"), col("i"), w, col("ts"), col("first"), positive.as("positive"), s.cast("float").as("s"));
    }

    private static int[] perItemCount(Dataset<Row> pairs, int items) {
        int[] counts = new int[items];
        for (Row r : pairs.groupBy("i").agg(count(lit(1)).as("n")).collectAsList()) {
            counts[r.getInt(0)] = (int) r.getLong(1);
        }
        return counts;
    }

    /** Distinct users with a positive row per item, and their recency-weighted sum (PopularityTrainer's definition). */
    private reco.trainer.models.popularity.PopularityModel popularity(Dataset<Row> rows, int items, boolean timed,
                                                                      float minWeight) {
        Dataset<Row> positive = rows.filter(col("weight").gt(0).and(col("weight").geq(lit(minWeight))));
        double[] global = new double[items];
        double[] recency = new double[items];
        long reference = 0;
        if (timed) {
            reference = ((Number) rows.agg(max("ts")).first().get(0)).longValue();
        }
        double halfLife = settings.popularity().recencyHalfLifeSeconds();
        // rows without a timestamp (0) in timestamped data decay from the epoch, i.e. count ~0
        Column decay = pow(lit(2.0), greatest(lit(0L), lit(reference).minus(col("ts"))).cast("double").divide(-halfLife));
        for (Row r : positive.groupBy("i").agg(countDistinct("u"), sum(decay)).collectAsList()) {
            global[r.getInt(0)] = r.getLong(1);
            recency[r.getInt(0)] = r.getDouble(2);
        }
        if (!timed) {
            recency = global.clone();
        }
        return reco.trainer.models.popularity.PopularityModel.fromScores(global, recency, reference);
    }

    // ------------------------------------------------------------------ models

    /** The model input as a users x items matrix on the driver, streamed from the cluster. */
    private static CsrMatrix inputMatrix(Dataset<Row> input, int users, int items, long nnz) {
        if (nnz > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(nnz + " model inputs: more than the driver-side item-kNN and EASE hold; "
                    + "train them with --models popularity,als");
        }
        int n = (int) nnz;
        int[] r = new int[n];
        int[] c = new int[n];
        float[] v = new float[n];
        int at = 0;
        Iterator<Row> it = input.select("u", "i", "s").toLocalIterator();
        while (it.hasNext()) {
            Row row = it.next();
            r[at] = row.getInt(0);
            c[at] = row.getInt(1);
            v[at] = row.getFloat(2);
            at++;
        }
        return CsrMatrix.fromCoordinates(users, items, r, c, v, at, false);
    }

    /** ALS factors: items in memory (neighbour lists need them), users streamed from the cluster when written. */
    final class Factors {
        final int rank;
        final int users;
        final float[] itemFactors;
        final Dataset<Row> userFactors;

        Factors(int rank, int users, float[] itemFactors, Dataset<Row> userFactors) {
            this.rank = rank;
            this.users = users;
            this.itemFactors = itemFactors;
            this.userFactors = userFactors;
        }

        /** One row per user in index order; users without model input get zeros. */
        Iterator<float[]> userRows() {
            Iterator<Row> it = userFactors.orderBy("id").toLocalIterator();
            return new Iterator<>() {
                int next = 0;
                Row pending = it.hasNext() ? it.next() : null;

                @Override public boolean hasNext() { return next < users; }

                @Override public float[] next() {
                    float[] row = new float[rank];
                    if (pending != null && pending.getInt(0) == next) {
                        copy(pending.getList(1), row);
                        pending = it.hasNext() ? it.next() : null;
                    }
                    next++;
                    return row;
                }
            };
        }
    }

    private Factors als(Dataset<Row> input, int users, int items) {
        var p = settings.als();
        Column rating = p.confidence() == ConfidenceFunction.LOG
                ? log1p(col("s").divide(p.logEpsilon())) : col("s");
        Dataset<Row> ratings = input.select(col("u"), col("i"), rating.cast("float").as("r"));
        ALS als = new ALS().setImplicitPrefs(true).setRank(p.factors()).setMaxIter(p.iterations())
                .setRegParam(engine.alsRegParam()).setAlpha(p.alpha()).setSeed(p.seed())
                .setNumUserBlocks(engine.partitions()).setNumItemBlocks(engine.partitions())
                .setUserCol("u").setItemCol("i").setRatingCol("r").setColdStartStrategy("drop")
                .setIntermediateStorageLevel("MEMORY_AND_DISK").setFinalStorageLevel("MEMORY_AND_DISK");
        ALSModel model = als.fit(ratings);
        float[] itemFactors = new float[Math.multiplyExact(items, p.factors())];
        Iterator<Row> it = model.itemFactors().toLocalIterator();
        float[] row = new float[p.factors()];
        while (it.hasNext()) {
            Row r = it.next();
            copy(r.getList(1), row);
            System.arraycopy(row, 0, itemFactors, r.getInt(0) * p.factors(), p.factors());
        }
        for (float v : itemFactors) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("ALS produced a non-finite item factor; lower --als-alpha or raise --als-regularization");
            }
        }
        return new Factors(p.factors(), users, itemFactors, model.userFactors());
    }

    private static void copy(List<Object> values, float[] into) {
        for (int c = 0; c < into.length; c++) {
            into[c] = ((Number) values.get(c)).floatValue();
        }
    }

    // ------------------------------------------------------------------ histories

    record Histories(long[] offsets, int[] items, float[] strengths, long[] timestamps) {}

    /** Every user's pairs oldest first (ties in order of first appearance), collected in user order. */
    private static Histories histories(Dataset<Row> pairs, int users, long pairCount) {
        if (pairCount > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(pairCount + " (user, item) pairs: more than a generation's history arrays hold");
        }
        int n = (int) pairCount;
        long[] offsets = new long[users + 1];
        int[] items = new int[n];
        float[] strengths = new float[n];
        long[] times = new long[n];
        Iterator<Row> it = pairs.orderBy(col("u"), col("ts"), col("first")).select("u", "i", "s", "ts").toLocalIterator();
        int at = 0;
        while (it.hasNext()) {
            Row r = it.next();
            offsets[r.getInt(0) + 1]++;
            items[at] = r.getInt(1);
            strengths[at] = r.getFloat(2);
            times[at] = r.getLong(3);
            at++;
        }
        for (int u = 0; u < users; u++) {
            offsets[u + 1] += offsets[u];
        }
        return new Histories(offsets, items, strengths, times);
    }

    // ------------------------------------------------------------------ helpers shared with the single-machine trainer's rules

    private ModelKind chooseDefault(Set<ModelKind> trained, boolean hybrid) {
        return reco.trainer.pipeline.Trainer.chooseDefault(settings.defaultModel(), trained, hybrid);
    }

    private static boolean hasContent(ItemMetadata metadata, int items) {
        for (int i = 0; i < Math.min(items, metadata.size()); i++) {
            if (metadata.isDescribed(i) || !metadata.tags(i).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static Iterator<float[]> rowsOf(float[] matrix, int rank) {
        return new Iterator<>() {
            int next = 0;

            @Override public boolean hasNext() { return (long) next * rank < matrix.length; }

            @Override public float[] next() {
                return Arrays.copyOfRange(matrix, next * rank, ++next * rank);
            }
        };
    }

    private static float[] toFloats(double[] scores, int[] ranking) {
        float[] out = new float[ranking.length];
        for (int r = 0; r < ranking.length; r++) {
            out[r] = (float) scores[ranking[r]];
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(Object parameters) {
        return JSON.convertValue(parameters, LinkedHashMap.class);
    }
}
