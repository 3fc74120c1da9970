package reco.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reco.model.ModelKind;
import reco.trainer.data.DataException;
import reco.trainer.data.TrainingData;
import reco.trainer.io.DelimitedOptions;
import reco.trainer.io.HeaderMode;
import reco.trainer.io.InputException;
import reco.trainer.models.content.ContentNeighborParams;
import reco.trainer.pipeline.TrainSettings;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The Spark job's main class: {@code spark-submit --class reco.spark.SparkTrainCommand reco-trainer-spark.jar ...},
 * or {@code reco train --engine spark ...}, which runs it with the same arguments. The input and model options
 * are those of {@code reco train}, with the same defaults.
 */
@Command(name = "reco-train-spark", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Train on Apache Spark and publish a generation that `reco serve` maps unchanged.",
        description = {"Parses the interactions, maps ids and fits popularity, ALS (Spark MLlib), item-kNN and the EASE",
                "Gram matrix on the cluster; the EASE inverse (capped), content and ALS neighbour lists run on the driver.",
                "The generation is published under --out (a local path, or hdfs://, s3a://, ... through Hadoop's",
                "FileSystem API) with the same CURRENT protocol as `reco train`."})
public final class SparkTrainCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2], spark://host:7077, yarn, k8s://...; default: what spark-submit was given.")
    String master;

    @Option(names = "--interactions", required = true, paramLabel = "PATH",
            description = "Interaction log: MovieLens ratings.csv or u.data, delimited user,item[,weight[,timestamp]], Parquet, "
                    + "or a MovieLens folder; any Hadoop path (hdfs://, s3a://, file://).")
    String interactions;

    @Option(names = "--items", paramLabel = "PATH", description = "Item metadata (read on the driver): MovieLens movies.csv or u.item, or delimited id,title,categories,text.")
    String items;

    @Option(names = "--tags", paramLabel = "PATH", description = "Item tags (read on the driver): MovieLens tags.csv, or delimited item,tag or user,item,tag[,timestamp].")
    String tags;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "auto (from name and header), movielens, ml100k, delimited or parquet. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--delimiter", paramLabel = "CHAR", description = "Field delimiter of delimited files: tab (default), comma, semicolon, pipe, space or one character.")
    String delimiter;

    @Option(names = "--header", defaultValue = "auto", paramLabel = "MODE", description = "Whether delimited files start with a header: yes, no, auto (default).")
    String header;

    @Option(names = "--columns", paramLabel = "U,I[,W[,T]]",
            description = "Delimited: 0-based columns of user, item, weight, timestamp ('-' for absent; default 0,1,2,3). "
                    + "Parquet: the column names (required).")
    String columns;

    @Option(names = "--strict", description = "Stop at the first malformed row instead of counting and reporting it.")
    boolean strict;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory: a local path or any Hadoop file system URI.")
    String out;

    @Option(names = "--min-weight", paramLabel = "W", description = "Interactions with weight >= W are positives; lower ones are only 'seen'.")
    Float minWeight;

    @Option(names = "--models", paramLabel = "LIST", description = "Models to train, from: popularity, content, item-knn, ease, als, hybrid. Default: all.")
    String models;

    @Option(names = "--default-model", paramLabel = "MODEL", description = "Model answering requests that name none.")
    String defaultModel;

    @Option(names = "--duplicates", paramLabel = "RULE", description = "How repeated (user, item) rows combine: latest (default), sum, max.")
    String duplicates;

    @Option(names = "--strength", paramLabel = "FN", description = "Positive weight -> model strength: linear (default), binary, log.")
    String strength;

    @Option(names = "--below-threshold-weight", paramLabel = "F", description = "Strength factor of interactions below --min-weight, in [0, 1].")
    Float belowThresholdWeight;

    @Option(names = "--neighbors", paramLabel = "K", description = "Neighbours stored per item for content, item-kNN and ALS (default 100).")
    Integer neighbors;

    @Option(names = "--knn-shrink", paramLabel = "S", description = "Item-kNN cosine shrinkage.")
    Double knnShrink;

    @Option(names = "--ease-lambda", paramLabel = "L", description = "EASE L2 regularisation.")
    Double easeLambda;

    @Option(names = "--ease-neighbors", paramLabel = "K", description = "EASE weights kept per item.")
    Integer easeNeighbors;

    @Option(names = "--ease-max-items", paramLabel = "N",
            description = "Items EASE models (the most popular); its n x n inverse runs on the driver. Default: "
                    + SparkTrainer.EngineSettings.DEFAULT_EASE_MAX_ITEMS + ".")
    Integer easeMaxItems;

    @Option(names = "--als-factors", paramLabel = "D", description = "ALS latent dimensions.")
    Integer alsFactors;

    @Option(names = "--als-iterations", paramLabel = "N", description = "ALS sweeps.")
    Integer alsIterations;

    @Option(names = "--als-regularization", paramLabel = "L",
            description = "Spark ALS regParam (scaled by each user's and item's interaction count, unlike reco's own ALS). Default: "
                    + SparkTrainer.EngineSettings.DEFAULT_ALS_REG_PARAM + ".")
    Double alsRegularization;

    @Option(names = "--als-alpha", paramLabel = "A", description = "ALS confidence scale: c = 1 + alpha * f(strength).")
    Double alsAlpha;

    @Option(names = "--als-confidence", paramLabel = "FN", description = "ALS confidence function f: linear or log.")
    String alsConfidence;

    @Option(names = "--hybrid-weights", paramLabel = "M=W,...", description = "Hybrid blend weights, e.g. ease=1,als=0.5.")
    String hybridWeights;

    @Option(names = "--keep", paramLabel = "N", description = "Generations to keep in the model directory (default 3).")
    Integer keep;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (ALS initialisation). Default 42.")
    Long seed;

    @Option(names = "--partitions", defaultValue = "4", paramLabel = "N",
            description = "Partitions of the input and of every shuffle, and ALS blocks; the same value gives the same model "
                    + "on any cluster. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--verbose", description = "Spark's own INFO logs and stack traces.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintStream log = System.err;
        TrainSettings settings = toSettings();
        SparkTrainer.EngineSettings engine = new SparkTrainer.EngineSettings(partitions,
                alsRegularization == null ? SparkTrainer.EngineSettings.DEFAULT_ALS_REG_PARAM : alsRegularization,
                easeMaxItems == null ? SparkTrainer.EngineSettings.DEFAULT_EASE_MAX_ITEMS : easeMaxItems);
        DelimitedOptions options = delimitedOptions();
        SparkInput.Format inputFormat = SparkInput.Format.parse(format);

        SparkConf conf = new SparkConf().setAppName("reco train");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "no Spark master: pass --master (e.g. local[2]) or run through spark-submit");
        }
        conf.setIfMissing("spark.ui.enabled", "false");
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            if (!verbose) {
                spark.sparkContext().setLogLevel("WARN");
            }
            SparkTrainer.Request request = resolve(spark, inputFormat, options);
            long start = System.nanoTime();
            SparkTrainer trainer = new SparkTrainer(spark, settings, engine, log);
            String where;
            SparkTrainer.Result result;
            if (HadoopFiles.isLocal(out)) {
                result = trainer.train(request, HadoopFiles.localPath(out));
                where = result.generation().getParent().toAbsolutePath().toString();
            } else {
                Path staging = Files.createTempDirectory("reco-spark-generation-");
                try {
                    result = trainer.train(request, staging);
                    HadoopPublisher.publish(result.generation(), out, settings.keepGenerations(),
                            spark.sparkContext().hadoopConfiguration());
                    where = out;
                } finally {
                    deleteRecursively(staging);
                }
            }
            result.timings().print(log);
            log.printf("total %.1f s%n", (System.nanoTime() - start) / 1e9);
            System.out.printf("published generation %s in %s (%,d users, %,d items, default model %s)%n",
                    result.generationId(), where, result.counts().users(), result.counts().items(), result.defaultModel());
            return OK;
        } finally {
            spark.stop();
        }
    }

    /** A MovieLens folder becomes its ratings file, with movies and tags beside it unless given. */
    private SparkTrainer.Request resolve(SparkSession spark, SparkInput.Format inputFormat, DelimitedOptions options)
            throws IOException {
        String path = interactions;
        String itemsPath = items;
        String tagsPath = tags;
        if (inputFormat != SparkInput.Format.PARQUET && HadoopFiles.isDirectory(spark, path)) {
            String ratings = HadoopFiles.child(path, "ratings.csv");
            String data = HadoopFiles.child(path, "u.data");
            if (HadoopFiles.isFile(spark, ratings)) {
                itemsPath = itemsPath != null ? itemsPath : beside(spark, path, "movies.csv");
                tagsPath = tagsPath != null ? tagsPath : beside(spark, path, "tags.csv");
                path = ratings;
            } else if (HadoopFiles.isFile(spark, data)) {
                itemsPath = itemsPath != null ? itemsPath : beside(spark, path, "u.item");
                path = data;
            }
        } else if (!HadoopFiles.fs(spark, path).exists(HadoopFiles.path(path))) {
            throw new InputException(Path.of(path), "no such file or directory");
        }
        return new SparkTrainer.Request(path, inputFormat, options, columns, itemsPath, tagsPath, strict);
    }

    private static String beside(SparkSession spark, String dir, String name) throws IOException {
        String p = HadoopFiles.child(dir, name);
        return HadoopFiles.isFile(spark, p) ? p : null;
    }

    private DelimitedOptions delimitedOptions() {
        DelimitedOptions options = DelimitedOptions.DEFAULT;
        if (delimiter != null) {
            options = options.withDelimiter(DelimitedOptions.parseDelimiter(delimiter));
        }
        options = options.withHeader(HeaderMode.parse(header));
        if (columns != null && !format.equalsIgnoreCase("parquet")) {
            String[] parts = columns.split(",", -1);
            if (parts.length < 2 || parts.length > 4) {
                throw new IllegalArgumentException("--columns: expected 2 to 4 comma-separated positions, got '" + columns + "'");
            }
            int[] c = {DelimitedOptions.ABSENT, DelimitedOptions.ABSENT, DelimitedOptions.ABSENT, DelimitedOptions.ABSENT};
            for (int k = 0; k < parts.length; k++) {
                String p = parts[k].trim();
                if (!p.equals("-")) {
                    try {
                        c[k] = Integer.parseInt(p);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--columns: '" + p + "' is not a column number or '-' (Parquet "
                                + "column names need --format parquet)");
                    }
                }
            }
            options = options.withInteractionColumns(new DelimitedOptions.InteractionColumns(c[0], c[1], c[2], c[3]));
        }
        return options;
    }

    /** reco train's defaults ({@link TrainSettings#defaults()}), then the flags given. */
    TrainSettings toSettings() {
        TrainSettings s = TrainSettings.defaults();
        if (minWeight != null) s = s.withMinWeight(minWeight);
        if (models != null) s = s.withModels(parseModels(models));
        if (defaultModel != null) s = s.withDefaultModel(ModelKind.fromId(defaultModel));
        if (duplicates != null) s = s.withDuplicates(parseEnum(TrainingData.Duplicates.class, "duplicates", duplicates));
        if (strength != null) s = s.withStrength(parseEnum(TrainingData.Strength.class, "strength", strength));
        if (belowThresholdWeight != null) s = s.withBelowThresholdWeight(belowThresholdWeight);
        if (neighbors != null) {
            s = s.withItemKnn(s.itemKnn().withNeighbours(neighbors));
            s = s.withContent(s.contentFeatures(), new ContentNeighborParams(neighbors, s.contentNeighbors().threads()));
        }
        if (knnShrink != null) s = s.withItemKnn(s.itemKnn().withShrink(knnShrink));
        if (easeLambda != null) s = s.withEase(s.ease().withLambda(easeLambda));
        if (easeNeighbors != null) s = s.withEase(s.ease().withNeighbours(easeNeighbors));
        if (alsFactors != null) s = s.withAls(s.als().withFactors(alsFactors));
        if (alsIterations != null) s = s.withAls(s.als().withIterations(alsIterations));
        if (alsAlpha != null) s = s.withAls(s.als().withAlpha(alsAlpha));
        if (alsConfidence != null) {
            s = s.withAls(s.als().withConfidence(parseEnum(reco.model.als.ConfidenceFunction.class, "als-confidence", alsConfidence)));
        }
        if (seed != null) s = s.withAls(s.als().withSeed(seed));
        if (hybridWeights != null) s = s.withHybridWeights(parseWeights(hybridWeights));
        if (keep != null) s = s.withKeepGenerations(keep);
        return s;
    }

    private static Set<ModelKind> parseModels(String list) {
        Set<ModelKind> set = EnumSet.noneOf(ModelKind.class);
        for (String m : list.split(",")) {
            if (!m.isBlank()) {
                set.add(ModelKind.fromId(m.trim()));
            }
        }
        return set;
    }

    private static Map<ModelKind, Double> parseWeights(String value) {
        Map<ModelKind, Double> w = new EnumMap<>(ModelKind.class);
        for (String part : value.split(",")) {
            String[] kv = part.split("=");
            if (kv.length != 2) {
                throw new IllegalArgumentException("--hybrid-weights: expected MODEL=WEIGHT, got '" + part + "'");
            }
            try {
                w.put(ModelKind.fromId(kv[0].trim()), Double.parseDouble(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--hybrid-weights: '" + kv[1] + "' is not a number");
            }
        }
        return w;
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String option, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + option + ": '" + value + "' is not one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Runs the command; exit code 0 on success, 1 on a data or I/O failure, 2 on a usage error. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new SparkTrainCommand());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = ((SparkTrainCommand) commandLine.getCommand()).verbose;
            if (verbose) {
                e.printStackTrace();
            }
            if (e instanceof IllegalArgumentException) {
                System.err.println("reco train --engine spark: " + e.getMessage());
                return USAGE;
            }
            System.err.println("reco train --engine spark: " + describe(e));
            return FAILURE;
        });
        return cl.execute(args);
    }

    private static String describe(Throwable e) {
        if (e instanceof DataException || e instanceof IOException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage()
                + (root != e ? " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : "");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
