package reco.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reco.trainer.progress.Progress;
import reco.trainer.progress.ProgressReporter;
import reco.synth.SyntheticInteractions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "synth",
        header = "Generate seeded synthetic interaction data for benchmarks.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a seeded synthetic interaction set for benchmarks: Zipf item popularity, log-normal",
                "user activity and latent taste clusters. Writes OUT (user\\titem\\tweight\\ttimestamp, no header)",
                "and meta.json beside it (readable by the eval protocol's split)."})
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "TSV file to write (e.g. data/10m/train.tsv).")
    Path out;

    @Option(names = "--interactions", defaultValue = "10000000", description = "Rows to generate (default: ${DEFAULT-VALUE}).")
    long interactions;

    @Option(names = "--users", defaultValue = "100000", description = "Users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--items", defaultValue = "50000", description = "Items (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--zipf", defaultValue = "1.0", description = "Zipf exponent of item popularity (default: ${DEFAULT-VALUE}).")
    double zipf;

    @Option(names = "--activity-sigma", defaultValue = "1.0", description = "Log-normal sigma of user activity (default: ${DEFAULT-VALUE}).")
    double activitySigma;

    @Option(names = "--clusters", defaultValue = "32", description = "Latent taste clusters (default: ${DEFAULT-VALUE}).")
    int clusters;

    @Option(names = "--kind", defaultValue = "implicit", description = "implicit (play counts) or ratings (0.5-5 stars). Default: ${DEFAULT-VALUE}.")
    String kind;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        SyntheticInteractions.WeightKind weightKind = switch (kind.toLowerCase()) {
            case "implicit", "counts" -> SyntheticInteractions.WeightKind.IMPLICIT_COUNTS;
            case "ratings", "explicit" -> SyntheticInteractions.WeightKind.RATINGS;
            default -> throw new IllegalArgumentException("--kind: '" + kind + "' is not implicit or ratings");
        };
        SyntheticInteractions.Params params = SyntheticInteractions.Params.builder().users(users).items(items)
                .interactions(interactions).zipfExponent(zipf).activitySigma(activitySigma).tasteClusters(clusters)
                .weightKind(weightKind).seed(seed).build();
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        long start = System.nanoTime();
        long rows;
        try (Progress p = ProgressReporter.toStderr().start("synth", interactions)) {
            rows = SyntheticInteractions.writeTsv(params, out, p);
        }
        SyntheticInteractions.writeMetaJson(params, parent.resolve("meta.json"));
        System.out.printf("wrote %,d interactions (%,d users x %,d items, %s, seed %d) to %s in %.1f s%n", rows, users,
                items, weightKind.protocolKind, seed, out, (System.nanoTime() - start) / 1e9);
        return ExitCodes.OK;
    }
}
