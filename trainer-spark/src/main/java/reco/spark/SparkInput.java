package reco.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import reco.spark.executor.InteractionLineParser;
import reco.trainer.data.DataException;
import reco.trainer.io.DelimitedOptions;
import reco.trainer.io.HeaderMode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

/**
 * Reads an interaction log on the cluster into rows {@code (user string, item string, weight float,
 * timestamp long, line long)}: MovieLens {@code ratings.csv}, MovieLens 100K {@code u.data}, generic delimited
 * text (the options of {@code reco train}) or Parquet ({@code --columns} names the columns). Malformed rows
 * are counted and reported with file and line, never dropped silently.
 */
public final class SparkInput {
    /** How the interactions were read. */
    public record Interactions(Dataset<Row> rows, String path, String format, boolean hasTimestamps, long malformed,
                               List<String> malformedExamples, String header) {}

    /** The file layouts the Spark engine reads interactions from. */
    public enum Format {
        AUTO, MOVIELENS, ML100K, DELIMITED, PARQUET;

        public static Format parse(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            for (Format f : values()) {
                if (f.name().toLowerCase(Locale.ROOT).equals(v)) {
                    return f;
                }
            }
            if (v.equals("tsv") || v.equals("csv")) {
                return DELIMITED;
            }
            throw new IllegalArgumentException("--format: '" + value + "' is not one of auto, movielens, ml100k, delimited, parquet");
        }
    }

    static final StructType PARSED = new StructType()
            .add("kind", DataTypes.IntegerType, false)
            .add("user", DataTypes.StringType, true)
            .add("item", DataTypes.StringType, true)
            .add("weight", DataTypes.FloatType, true)
            .add("ts", DataTypes.LongType, true)
            .add("line", DataTypes.LongType, false)
            .add("error", DataTypes.StringType, true);

    private SparkInput() {}

    /**
     * @param columns for Parquet: the names of the user, item[, weight[, timestamp]] columns ("-" for absent);
     *                for delimited text: their 0-based positions (null: the defaults)
     */
    public static Interactions read(SparkSession spark, String path, Format format, DelimitedOptions options,
                                    String columns, boolean strict, int partitions) throws IOException {
        Format f = format == Format.AUTO ? detect(spark, path) : format;
        if (f == Format.PARQUET) {
            return readParquet(spark, path, columns);
        }
        char delimiter;
        HeaderMode header;
        int[] c;
        switch (f) {
            case MOVIELENS -> {
                delimiter = ',';
                header = HeaderMode.YES;
                c = new int[] {0, 1, 2, 3};
            }
            case ML100K -> {
                delimiter = '\t';
                header = HeaderMode.NO;
                c = new int[] {0, 1, 2, 3};
            }
            default -> {
                delimiter = options.delimiter();
                header = options.header();
                DelimitedOptions.InteractionColumns ic = options.interactionColumns();
                c = new int[] {ic.user(), ic.item(), ic.weight(), ic.timestamp()};
            }
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<String> lines = jsc.textFile(path, partitions);
        String first = lines.isEmpty() ? null : lines.first();
        if (first == null) {
            throw new DataException(path + ": the file is empty");
        }
        boolean hasHeader = switch (header) {
            case YES -> true;
            case NO -> false;
            // auto: the first line is a header when it does not parse as data
            case AUTO -> new InteractionLineParser(delimiter, c[0], c[1], c[2], c[3], false).parse(first, 1)
                    .getInt(0) == InteractionLineParser.MALFORMED;
        };
        InteractionLineParser parser = new InteractionLineParser(delimiter, c[0], c[1], c[2], c[3], hasHeader);
        Dataset<Row> parsed = spark.createDataFrame(lines.zipWithIndex().map(parser), PARSED);
        Dataset<Row> bad = parsed.filter(col("kind").equalTo(InteractionLineParser.MALFORMED));
        long malformed = bad.count();
        List<String> examples = new ArrayList<>();
        for (Row r : bad.orderBy("line").limit(5).collectAsList()) {
            examples.add(path + ":" + r.getLong(5) + ": " + r.getString(6));
        }
        if (strict && malformed > 0) {
            throw new DataException("malformed row (--strict): " + examples.get(0));
        }
        Dataset<Row> rows = parsed.filter(col("kind").equalTo(InteractionLineParser.DATA))
                .select(col("user"), col("item"), col("weight"), col("ts"), col("line"));
        return new Interactions(rows, path, f.name().toLowerCase(Locale.ROOT), c[3] != DelimitedOptions.ABSENT, malformed,
                examples, hasHeader ? first : null);
    }

    private static Interactions readParquet(SparkSession spark, String path, String columns) {
        if (columns == null) {
            throw new IllegalArgumentException("Parquet input needs --columns USER,ITEM[,WEIGHT[,TIMESTAMP]] naming its columns");
        }
        String[] names = columns.split(",", -1);
        if (names.length < 2 || names.length > 4) {
            throw new IllegalArgumentException("--columns: expected 2 to 4 comma-separated column names, got '" + columns + "'");
        }
        Dataset<Row> in = spark.read().parquet(path);
        Column weight = names.length > 2 && !names[2].trim().equals("-") ? col(names[2].trim()).cast("float") : lit(1f);
        boolean timed = names.length > 3 && !names[3].trim().equals("-");
        Column ts = timed ? col(names[3].trim()).cast("long") : lit(0L);
        // Parquet has no lines: rows are numbered in file order (ids are then indexed in order of appearance)
        Dataset<Row> all = in.select(col(names[0].trim()).cast("string").as("user"), col(names[1].trim()).cast("string").as("item"),
                weight.as("weight"), ts.as("ts"), monotonically_increasing_id().plus(1).as("line"));
        Column invalid = col("user").isNull().or(col("item").isNull()).or(col("weight").isNull())
                .or(col("weight").isNaN()).or(col("ts").isNull());
        long malformed = all.filter(invalid).count();
        List<String> examples = new ArrayList<>();
        if (malformed > 0) {
            for (Row r : all.filter(invalid).limit(5).collectAsList()) {
                examples.add(path + ": row " + r.getLong(4) + ": a null or non-numeric user, item, weight or timestamp");
            }
        }
        return new Interactions(all.filter(invalid.unary_$bang()), path, "parquet", timed, malformed, examples, null);
    }

    /** MovieLens and 100K by file name, Parquet by file name or a directory of Parquet parts, else delimited. */
    static Format detect(SparkSession spark, String path) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        FileSystem fs = p.getFileSystem(conf);
        String name = p.getName();
        if (name.endsWith(".parquet")) {
            return Format.PARQUET;
        }
        if (fs.getFileStatus(p).isDirectory()) {
            for (FileStatus s : fs.listStatus(p)) {
                if (s.getPath().getName().endsWith(".parquet")) {
                    return Format.PARQUET;
                }
            }
            return Format.DELIMITED;
        }
        if (name.equals("u.data")) {
            return Format.ML100K;
        }
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(fs.open(p), java.nio.charset.StandardCharsets.UTF_8))) {
            String first = in.readLine();
            if (first != null && first.replace("\uFEFF", "").startsWith("userId,movieId,")) {
                return Format.MOVIELENS;
            }
        }
        return Format.DELIMITED;
    }
}
