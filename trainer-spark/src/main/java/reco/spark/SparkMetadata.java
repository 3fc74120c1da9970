package reco.spark;

import org.apache.spark.sql.SparkSession;
import reco.model.generation.Manifest;
import reco.trainer.data.ItemMetadata;
import reco.trainer.io.InputFormat;
import reco.trainer.io.ItemsReader;
import reco.trainer.io.ReadReport;
import reco.trainer.io.TagsReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Item metadata and tags, read on the driver with the single-machine trainer's readers: their size is the
 * catalogue's, not the interaction log's. Remote files are copied to a local scratch directory first.
 */
final class SparkMetadata {
    private SparkMetadata() {}

    /** Reads {@code request.items()} and {@code request.tags()} into {@code metadata}; returns how many items are described. */
    static long read(SparkSession spark, SparkTrainer.Request request, ItemMetadata metadata, List<Manifest.InputFile> inputs,
                     PrintStream log) throws IOException {
        if (request.items() == null && request.tags() == null) {
            return 0;
        }
        InputFormat format = switch (request.format()) {
            case MOVIELENS -> InputFormat.MOVIELENS;
            case ML100K -> InputFormat.ML100K;
            case DELIMITED -> InputFormat.DELIMITED;
            default -> InputFormat.AUTO;
        };
        Path scratch = Files.createTempDirectory("reco-spark-metadata-");
        try {
            List<ReadReport> reports = new ArrayList<>();
            if (request.items() != null) {
                Path local = HadoopFiles.toLocal(spark, request.items(), scratch);
                ItemsReader.read(local, format, request.options(), request.strict(), metadata, reports);
            }
            if (request.tags() != null) {
                Path local = HadoopFiles.toLocal(spark, request.tags(), scratch);
                InputFormat tagFormat = format == InputFormat.ML100K ? InputFormat.AUTO : format;
                reports.add(TagsReader.read(local, tagFormat, request.options(), request.strict(), metadata));
            }
            for (ReadReport r : reports) {
                log.println("read " + r.summary());
                for (String example : r.malformedExamples()) {
                    log.println("  malformed: " + example);
                }
                inputs.add(new Manifest.InputFile(r.kind().name().toLowerCase(), r.path().toString(), r.format().cliName(),
                        r.fingerprint().sizeBytes(), r.fingerprint().crc32c()));
            }
        } finally {
            try (var files = Files.walk(scratch)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        long described = 0;
        for (int i = 0; i < metadata.size(); i++) {
            described += metadata.isDescribed(i) ? 1 : 0;
        }
        return described;
    }
}
