package reco.spark;

import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

/**
 * Spark MLlib ALS alone, the baseline of docs/benchmarks.md's Spark section: reads a user, item, weight,
 * timestamp TSV with integer ids, sums duplicates, fits implicit ALS and materialises both factor tables. No
 * reco code on the way, so the difference to `reco train --engine spark --models als` is what the engine adds
 * (id mapping, strengths, popularity, histories, writing the generation).
 *
 *   java $SPARK_FLAGS -cp trainer-spark/target/test-classes:$(cat trainer-spark/target/spark-classpath.txt) \
 *       reco.spark.MllibAlsBenchmark MASTER TSV PARTITIONS RANK ITERATIONS
 */
public final class MllibAlsBenchmark {
    public static void main(String[] args) {
        String master = args[0];
        String path = args[1];
        int partitions = Integer.parseInt(args[2]);
        int rank = Integer.parseInt(args[3]);
        int iterations = Integer.parseInt(args[4]);
        SparkSession spark = SparkSession.builder().master(master).appName("mllib-als-benchmark")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", String.valueOf(partitions))
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        long start = System.nanoTime();
        StructType schema = new StructType().add("u", DataTypes.IntegerType).add("i", DataTypes.IntegerType)
                .add("w", DataTypes.FloatType).add("t", DataTypes.LongType);
        Dataset<Row> ratings = spark.read().option("sep", "\t").schema(schema).csv(path).repartition(partitions)
                .groupBy("u", "i").agg(sum("w").cast("float").as("r"));
        long read = System.nanoTime();
        ALSModel model = new ALS().setImplicitPrefs(true).setRank(rank).setMaxIter(iterations).setRegParam(0.01).setAlpha(1.0)
                .setSeed(42).setNumUserBlocks(partitions).setNumItemBlocks(partitions).setUserCol("u").setItemCol("i")
                .setRatingCol("r").fit(ratings);
        long users = model.userFactors().count();
        long items = model.itemFactors().count();
        long end = System.nanoTime();
        System.out.printf("mllib als: %,d users, %,d items, rank %d, %d iterations: %.1f s total (%.1f s fit incl. read)%n",
                users, items, rank, iterations, (end - start) / 1e9, (end - read) / 1e9);
        spark.stop();
    }
}
