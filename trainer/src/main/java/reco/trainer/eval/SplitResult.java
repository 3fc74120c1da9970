package reco.trainer.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A holdout-v1 split: train rows (input order, held-out rows removed) and test pairs (users ascending,
 * each user's items in hold-out order), plus what meta.json records.
 */
public final class SplitResult {
    private final HoldoutDataset dataset;
    private final long seed;
    private final List<RawRow> train;
    private final List<UserItem> test;
    private final SplitCounts counts;

    SplitResult(HoldoutDataset dataset, long seed, List<RawRow> train, List<UserItem> test, SplitCounts counts) {
        this.dataset = dataset;
        this.seed = seed;
        this.train = List.copyOf(train);
        this.test = List.copyOf(test);
        this.counts = counts;
    }

    public HoldoutDataset dataset() { return dataset; }
    public Kind kind() { return dataset.kind(); }
    public boolean hasTimestamps() { return dataset.hasTimestamps(); }
    public List<RawRow> train() { return train; }
    public List<UserItem> test() { return test; }
    public SplitCounts counts() { return counts; }

    /** user -> items of train, in file order (the shape {@link TopKMetrics#evaluate} takes). */
    public Map<String, List<String>> trainByUser() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (RawRow r : train) {
            out.computeIfAbsent(r.user(), u -> new java.util.ArrayList<>()).add(r.item());
        }
        return out;
    }

    /** user -> held-out items, in test.tsv order. */
    public Map<String, List<String>> testByUser() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (UserItem p : test) {
            out.computeIfAbsent(p.user(), u -> new java.util.ArrayList<>()).add(p.item());
        }
        return out;
    }

    /**
     * Writes {@code train.tsv}, {@code test.tsv} and {@code meta.json} into {@code outDir} (created if
     * needed), each through a temporary file and a rename, byte-identical to split.py's output.
     */
    public void write(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        TextFiles.writeAtomically(outDir.resolve(HoldoutDataset.TRAIN_FILE), out -> {
            for (RawRow r : train) {
                out.write(r.user());
                out.write('\t');
                out.write(r.item());
                out.write('\t');
                out.write(r.weight());
                out.write('\t');
                out.write(r.timestamp());
                out.write('\n');
            }
        });
        TextFiles.writeAtomically(outDir.resolve("test.tsv"), out -> {
            for (UserItem p : test) {
                out.write(p.user());
                out.write('\t');
                out.write(p.item());
                out.write('\n');
            }
        });
        TextFiles.writeAtomically(outDir.resolve(HoldoutDataset.META_FILE), out -> out.write(metaJson()));
    }

    /** meta.json's content: split.py's {@code json.dumps(meta, indent=1)}, no final newline. */
    public String metaJson() {
        boolean explicit = kind() == Kind.EXPLICIT;
        StringBuilder json = new StringBuilder("{\n");
        json.append(" \"protocol\": ").append(PythonCompat.jsonString(HoldoutSplit.PROTOCOL)).append(",\n");
        json.append(" \"source\": ").append(PythonCompat.jsonString(dataset.source())).append(",\n");
        json.append(" \"kind\": ").append(PythonCompat.jsonString(kind().jsonName())).append(",\n");
        json.append(" \"has_timestamps\": ").append(hasTimestamps()).append(",\n");
        json.append(" \"positive_rating\": ")
                .append(explicit ? PythonCompat.floatRepr(HoldoutSplit.POSITIVE_RATING) : "null").append(",\n");
        json.append(" \"min_positives\": ").append(HoldoutSplit.MIN_POSITIVES).append(",\n");
        json.append(" \"seed\": ").append(hasTimestamps() ? "null" : Long.toString(seed)).append(",\n");
        json.append(" \"counts\": {\n");
        var entries = counts.asMap().entrySet().iterator();
        while (entries.hasNext()) {
            var e = entries.next();
            json.append("  ").append(PythonCompat.jsonString(e.getKey())).append(": ").append(e.getValue())
                    .append(entries.hasNext() ? ",\n" : "\n");
        }
        return json.append(" }\n}").toString();
    }

    /** The summary split.py prints: a header line, then one indented line per count. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(HoldoutSplit.PROTOCOL).append(": ").append(dataset.source()).append(", ")
                .append(kind().jsonName()).append(", timestamps=").append(hasTimestamps() ? "yes" : "no").append('\n');
        counts.asMap().forEach((key, value) -> out.append(String.format("  %-28s %d\n", key, value)));
        return out.toString();
    }
}
