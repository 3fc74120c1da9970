package reco.spark;

import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Input and output paths through the Hadoop FileSystem API: file://, hdfs://, s3a:// and plain local paths alike. */
final class HadoopFiles {
    private HadoopFiles() {}

    static org.apache.hadoop.fs.Path path(String p) {
        return new org.apache.hadoop.fs.Path(p);
    }

    static FileSystem fs(SparkSession spark, String p) throws IOException {
        return path(p).getFileSystem(spark.sparkContext().hadoopConfiguration());
    }

    /** Whether {@code p} names the local file system (no scheme, or file:). */
    static boolean isLocal(String p) {
        String scheme = URI.create(p.replace(" ", "%20")).getScheme();
        return scheme == null || scheme.equals("file") || scheme.length() == 1; // "C:" on Windows
    }

    static Path localPath(String p) {
        return p.startsWith("file:") ? Path.of(URI.create(p)) : Path.of(p);
    }

    static long size(SparkSession spark, String p) throws IOException {
        return fs(spark, p).getContentSummary(path(p)).getLength();
    }

    static boolean isFile(SparkSession spark, String p) throws IOException {
        FileSystem fs = fs(spark, p);
        return fs.exists(path(p)) && fs.getFileStatus(path(p)).isFile();
    }

    static boolean isDirectory(SparkSession spark, String p) throws IOException {
        FileSystem fs = fs(spark, p);
        return fs.exists(path(p)) && fs.getFileStatus(path(p)).isDirectory();
    }

    /**
     * A local copy of a (small) file for the driver's readers: the file itself when it is local, else a copy in
     * {@code scratch} under its own name (readers detect formats by name).
     */
    static Path toLocal(SparkSession spark, String p, Path scratch) throws IOException {
        if (isLocal(p)) {
            return localPath(p);
        }
        Path dir = Files.createTempDirectory(scratch, "input-");
        Path local = dir.resolve(path(p).getName());
        fs(spark, p).copyToLocalFile(false, path(p), new org.apache.hadoop.fs.Path(local.toUri()), true);
        return local;
    }

    static String child(String parent, String name) {
        return new org.apache.hadoop.fs.Path(path(parent), name).toString();
    }
}
