package reco.spark;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.conf.Configuration;
import reco.model.generation.GenerationFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Publishes a generation written locally (complete, stamped and checksummed by the model writer) to a model root
 * on any Hadoop file system (hdfs://, s3a://, ...), with the local protocol's steps: copy into a temporary
 * directory, rename it into place, then replace CURRENT (a temporary file renamed over it), keep the newest
 * generations. A lock file created exclusively stands in for the local root's OS lock.
 */
final class HadoopPublisher {
    static final String LOCK = ".lock-writer";

    private HadoopPublisher() {}

    /** @return the published generation's URI */
    static String publish(java.nio.file.Path localGeneration, String root, int keep, Configuration conf) throws IOException {
        Path rootPath = new Path(root);
        FileSystem fs = rootPath.getFileSystem(conf);
        fs.mkdirs(rootPath);
        Path lock = new Path(rootPath, LOCK);
        try (FSDataOutputStream out = fs.create(lock, false)) {
            out.write(("held by a reco Spark trainer, pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            throw new IOException(root + " is locked by another writer (" + lock + " exists); if no trainer is publishing "
                    + "there, delete that file");
        }
        try {
            String id = localGeneration.getFileName().toString();
            Path target = new Path(rootPath, id);
            if (fs.exists(target)) {
                throw new IOException(target + " already exists");
            }
            Path temp = new Path(rootPath, GenerationFiles.TEMP_PREFIX + id);
            fs.delete(temp, true);
            FileSystem local = FileSystem.getLocal(conf);
            if (!FileUtil.copy(local, new Path(localGeneration.toUri()), fs, temp, false, conf)) {
                throw new IOException("copying " + localGeneration + " to " + temp + " failed");
            }
            if (!fs.rename(temp, target)) {
                throw new IOException("renaming " + temp + " to " + target + " failed");
            }
            Path currentTemp = new Path(rootPath, GenerationFiles.CURRENT_TEMP_PREFIX + ProcessHandle.current().pid());
            try (FSDataOutputStream out = fs.create(currentTemp, true)) {
                out.write((id + "\n").getBytes(StandardCharsets.UTF_8));
            }
            FileContext.getFileContext(rootPath.toUri(), conf).rename(currentTemp, new Path(rootPath, GenerationFiles.CURRENT),
                    Options.Rename.OVERWRITE);
            prune(fs, rootPath, Math.max(1, keep), id);
            return target.toString();
        } finally {
            fs.delete(lock, false);
        }
    }

    /** Deletes all but the newest {@code keep} generations (never {@code current}). */
    private static void prune(FileSystem fs, Path root, int keep, String current) throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus s : fs.listStatus(root)) {
            String name = s.getPath().getName();
            if (s.isDirectory() && GenerationFiles.isGenerationName(name) && name.startsWith(GenerationFiles.GENERATION_PREFIX)) {
                names.add(name);
            }
        }
        names.sort(Comparator.reverseOrder());
        for (int i = keep; i < names.size(); i++) {
            if (!names.get(i).equals(current)) {
                fs.delete(new Path(root, names.get(i)), true);
            }
        }
    }
}
