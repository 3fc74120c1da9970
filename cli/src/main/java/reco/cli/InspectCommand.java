package reco.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reco.model.ModelKind;
import reco.model.generation.Generation;
import reco.model.generation.GenerationFiles;
import reco.model.generation.ItemCatalog;
import reco.model.generation.Manifest;
import reco.model.generation.NeighborLists;
import reco.model.generation.PopularityRanking;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "inspect",
        header = "Validate a generation and print a readable summary.", mixinStandardHelpOptions = true,
        description = {"Validate a generation and print a readable summary.",
                "DIR is a model root (its CURRENT generation is shown) or a generation directory."})
public final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "Model root or generation directory.")
    Path dir;

    @Option(names = "--top", defaultValue = "5", description = "Popular items and neighbours to show (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--item", description = "Also show this item's neighbours in every model.")
    String item;

    @Override
    public Integer call() throws Exception {
        Path generationDir = Files.exists(dir.resolve(GenerationFiles.CURRENT)) ? Generation.currentDirectory(dir) : dir;
        long start = System.nanoTime();
        try (Generation g = Generation.open(generationDir)) {
            double openMs = (System.nanoTime() - start) / 1e6;
            Manifest m = g.manifest();
            var out = System.out;
            out.printf("generation   %s%n", m.generationId());
            out.printf("directory    %s%n", generationDir.toAbsolutePath());
            out.printf("created      %s by %s (format v%d)%n", m.createdAt(), m.trainerVersion(), m.formatVersion());
            out.printf("validated    all %d files (sizes, headers, CRC32C) in %.0f ms%n", m.files().size(), openMs);
            Manifest.Counts c = m.counts();
            out.printf("counts       %,d users, %,d items (%,d with metadata), %,d interactions, %,d positives, %,d malformed rows%n",
                    c.users(), c.items(), c.itemsWithMetadata(), c.interactions(), c.positives(), c.malformedRows());
            for (Manifest.InputFile in : m.inputs()) {
                out.printf("input        %-12s %s (%s, %,d bytes, crc32c %s)%n", in.role(), in.path(), in.format(), in.size(), in.crc32c());
            }
            out.printf("default      %s%n", m.defaultModel());
            printProfileAndTuning(m, out);
            for (Manifest.ModelEntry e : m.models()) {
                StringBuilder sb = new StringBuilder();
                if (e.neighborsPerItem() > 0) {
                    sb.append(" neighbours<=").append(e.neighborsPerItem());
                }
                if (e.dimensions() > 0) {
                    sb.append(" dimensions=").append(e.dimensions());
                }
                if (e.parameters() != null && !e.parameters().isEmpty()) {
                    sb.append(" ").append(e.parameters());
                }
                out.printf("model        %-10s%s%n", e.name(), sb);
            }
            long bytes = 0;
            for (Manifest.FileEntry f : m.files()) {
                bytes += f.size();
            }
            out.printf("files        %d, %,d bytes%n", m.files().size(), bytes);
            for (Manifest.FileEntry f : m.files()) {
                out.printf("  %-28s %,14d  crc32c %s%n", f.name(), f.size(), f.crc32c());
            }
            PopularityRanking pop = g.popularity();
            boolean recent = pop.size(true) > 0;
            out.printf("popular      (%s)%n", recent ? "recency-weighted" : "global");
            for (int r = 0; r < Math.min(top, pop.size(recent)); r++) {
                out.printf("  %2d. %s%n", r + 1, describe(g, pop.item(recent, r)));
            }
            if (item != null) {
                int i = g.itemIndex().indexOf(item);
                if (i < 0) {
                    throw new Reco.CliException("unknown item '" + item + "'");
                }
                out.printf("item         %s%n", describe(g, i));
                for (ModelKind kind : ModelKind.values()) {
                    NeighborLists lists = g.neighbors(kind);
                    if (lists == null) {
                        continue;
                    }
                    out.printf("  %s neighbours:%n", kind);
                    long s = lists.start(i);
                    for (long p = s; p < Math.min(lists.end(i), s + top); p++) {
                        out.printf("    %.4f  %s%n", lists.score(p), describe(g, lists.neighbor(p)));
                    }
                }
            }
        }
        return ExitCodes.OK;
    }

    /** The data profile and the tuning's search, as the trainer recorded them in the manifest. */
    static void printProfileAndTuning(Manifest m, java.io.PrintStream out) {
        java.util.Map<String, Object> p = m.parameters();
        if (p == null) {
            return;
        }
        if (p.get("strength") != null) {
            out.printf("input        strength %s%s%n", p.get("strength"),
                    p.get("minWeight") == null ? "" : ", positives: weight >= " + p.get("minWeight"));
        }
        if (p.get("dataProfile") instanceof java.util.Map<?, ?> profile) {
            out.printf("profile      %s%n", profile);
        }
        if (p.get("tuning") instanceof java.util.Map<?, ?> t) {
            out.printf("tuning       %s trials in %s s (budget %s s%s) on %s validation users (%s), best ndcg@20 %s%n",
                    t.get("trials") instanceof java.util.List<?> l ? l.size() : 0, t.get("seconds"), t.get("budgetSeconds"),
                    Boolean.TRUE.equals(t.get("budgetReached")) ? ", reached" : "", t.get("validationUsers"), t.get("split"),
                    t.get("bestNdcg20"));
            out.printf("  chosen     %s%n", t.get("chosen"));
            if (t.get("trials") instanceof java.util.List<?> trials) {
                for (Object o : trials) {
                    if (o instanceof java.util.Map<?, ?> trial) {
                        out.printf("  trial      %-9s %-8s ndcg@20 %-7s %6s s  %s%n", trial.get("stage"), trial.get("model"),
                                trial.get("ndcg20"), trial.get("seconds"), trial.get("parameters"));
                    }
                }
            }
        }
    }

    static String describe(Generation g, int item) {
        String id = g.itemIds().id(item);
        ItemCatalog catalog = g.catalog();
        if (catalog == null || catalog.title(item).isEmpty()) {
            return id;
        }
        return id + "  " + catalog.title(item) + "  " + String.join("|", catalog.categories(item));
    }
}
